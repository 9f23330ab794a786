"""Find place mentions in normalised text with the gazetteer (longest match, kana, fuzzy)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlp.gazetteer import Entry, Gazetteer
from nlp.normalize import Normalized, fold_place, to_hiragana

__all__ = ["find_places"]

_MAX_KEY = 24
_KANJI = re.compile(r"[\u4e00-\u9fff々ヶケ]")
_BARE_OK_AFTER = set("駅方周付近内全辺側")
_BLOCK = re.compile(r"^(?:\d+番(?:地)?(?:\d+号?)?|\d+(?:-\d+){0,2})")
_CHOME_NUM = re.compile(r"^(\d+)(?=-|丁|$|[^\d])")
_KANA_RUN = re.compile(r"[ぁ-ゖァ-ヺー]{3,}")
_HALL = re.compile(r"(?:[市区町村])?(?:役所|役場|庁舎)")
_PREF = re.compile(r"(?:北海道|東京都|大阪府|京都府|.{2,3}県)$")
_SUFFIX_PLACES = re.compile(
    r"(?P<name>[\u4e00-\u9fff々ァ-ヺー]{1,10}?)"
    r"(?P<suffix>小学校|中学校|高校|高等学校|大学|公民館|病院|公園|体育館|市役所|区役所|役場"
    r"|センター|図書館|神社|寺|川|橋|交差点|トンネル|海岸|ダム|港|漁港|山|団地|ホール)"
    r"(?=[^\u4e00-\u9fff]|[沿付周近上下側前辺方]|$)"
)
_SUFFIXES = set(re.findall(r"[^|()?:<>]+", _SUFFIX_PLACES.pattern.split("(?P<suffix>")[1].split(")")[0]))
_ROMAJI = re.compile(r"\b([a-z]{4,})(?:[ -]?(station|sta\b|eki|city|town|shi|machi))?\b")
_FUZZY_CANDIDATE = re.compile(r"[\u4e00-\u9fffぁ-ゖァ-ヺ]{2,4}[市区町村氏]")
_SUFFIX_KIND = {"川": "river", "橋": "landmark", "交差点": "landmark", "トンネル": "landmark"}
_SUFFIX_KIND |= {"海岸": "landmark", "ダム": "landmark", "港": "landmark", "漁港": "landmark"}
_SUFFIX_KIND |= {"山": "landmark", "団地": "landmark"}
_NOT_NAMES = {
    "近く", "近所", "裏", "前", "家", "自宅", "うち", "大", "小", "この", "その", "あの", "マン", "火",
    "ボランティア", "防災", "避難", "支援", "保健", "災害",
}  # fmt: skip


@dataclass
class Match:
    start: int
    end: int
    entry: Entry | None
    kind: str
    candidates: tuple[Entry, ...] = ()


def _lookup(text: str, i: int, index: dict[str, list[Entry]]) -> tuple[int, list[Entry]]:
    for length in range(min(_MAX_KEY, len(text) - i), 1, -1):
        entries = index.get(text[i : i + length])
        if entries:
            return length, entries
    return 0, []


def _boundary_ok(text: str, start: int, end: int, bare: bool) -> bool:
    if start > 0 and _KANJI.match(text[start - 1]) and bare:
        return False
    return not (bare and end < len(text) and _KANJI.match(text[end]) and text[end] not in _BARE_OK_AFTER)


def _extend_address(text: str, end: int, gaz: Gazetteer, muni: str) -> tuple[int, Entry | None]:
    """After a municipality, take the longest 町丁目 of that municipality, then block numbers."""
    towns = gaz.towns_by_muni.get(muni, {})
    for length in range(min(_MAX_KEY, len(text) - end), 0, -1):
        town = towns.get(text[end : end + length])
        if town:
            return _extend_blocks(text, end + length, towns, town)
    return end, None


def _extend_blocks(text: str, end: int, towns: dict[str, Entry], town: Entry) -> tuple[int, Entry]:
    if not town.name.endswith("丁目"):
        m = _CHOME_NUM.match(text[end:])
        chome = towns.get(f"{town.name}{m.group(1)}丁目") if m else None
        if m and chome:
            town = chome
    blocks = _BLOCK.match(text[end:])
    return (end + blocks.end() if blocks else end), town


def _gazetteer_matches(text: str, gaz: Gazetteer) -> list[Match]:
    out: list[Match] = []
    i = 0
    while i < len(text):
        length, entries = _lookup(text, i, gaz.surface)
        ok = [e for e in entries if _boundary_ok(text, i, i + length, e.bare)]
        if not ok:
            i += 1
            continue
        end = i + length
        best = next((e for e in ok if e.kind == "municipality"), ok[0])
        kind = best.kind
        if best.kind == "municipality" and not best.bare:
            hall = _HALL.match(text, end)
            end, town = _extend_address(text, end, gaz, best.name)
            if town is not None:
                best, kind, ok = town, "address", [town]
            elif hall:  # 座間市役所: the town-hall point is the municipality's point
                end, kind = hall.end(), "facility"
        elif best.kind == "address" and best.municipality is not None:
            towns = gaz.towns_by_muni.get(best.municipality.name, {})
            end, best = _extend_blocks(text, end, towns, best)
        pref = _PREF.search(text[max(0, i - 4) : i])
        start = i - len(pref.group()) if pref and kind in ("municipality", "address") else i
        out.append(Match(start, end, best, kind, tuple(ok)))
        i = end
    return out


def _kana_matches(text: str, gaz: Gazetteer, taken: list[Match]) -> list[Match]:
    out: list[Match] = []
    stations = gaz.station_kana
    for run in _KANA_RUN.finditer(text):
        if any(m.start < run.end() and run.start() < m.end for m in taken):
            continue
        hira = to_hiragana(run.group())
        tail = "えき" if text[run.end() : run.end() + 1] == "駅" else ""
        i = 0
        while i < len(hira):
            length, entries = _lookup(hira + tail, i, gaz.kana)
            length = min(length, len(hira) - i + (1 if tail else 0))
            if entries and length >= 3:
                end = run.start() + min(i + length, len(hira)) + (1 if tail and i + length > len(hira) else 0)
                out.append(Match(run.start() + i, end, entries[0], entries[0].kind, tuple(entries)))
                i += length
                continue
            i += 1
        if out and out[-1].start >= run.start():
            continue
        cut = hira.find("えき")
        probe = hira[: cut + 2] if cut >= 0 else (hira + tail if tail else "")
        if len(probe) >= 5:
            hit = process.extractOne(probe, stations, scorer=fuzz.ratio, score_cutoff=80)
            if hit:
                entry = gaz.kana[hit[0]][0]
                end = run.start() + min(len(probe), len(hira)) + (1 if tail and cut < 0 else 0)
                out.append(Match(run.start(), end, entry, "station", (entry,)))
    return out


def _named_after(name: str, gaz: Gazetteer) -> Entry | None:
    """藤沢橋, 箱根山, 逗子海岸: a landmark named after one municipality lies in it."""
    munis = {e.municipality.name: e for e in gaz.surface.get(name, []) if e.municipality and e.kind == "municipality"}
    if len(munis) != 1:
        return None
    entry = next(iter(munis.values()))
    return Entry("landmark", name, entry.municipality, None, None)


def _suffix_matches(text: str, taken: list[Match], gaz: Gazetteer) -> list[Match]:
    out: list[Match] = []
    for m in _SUFFIX_PLACES.finditer(text):
        start, end = m.start(), m.end()
        for t in taken:
            if t.start < end and start < t.end:
                start = max(start, t.end)
        suffix = m.group("suffix")
        name = text[start : end - len(suffix)]
        if start >= end or not name or name in _NOT_NAMES or name[-1:] + suffix in _SUFFIXES:
            continue
        kind = _SUFFIX_KIND.get(suffix, "facility")
        entry = _named_after(name, gaz) if kind != "river" else None
        out.append(Match(start, end, entry, kind, (entry,) if entry else ()))
    return out


def _romaji_matches(text: str, gaz: Gazetteer) -> list[Match]:
    """Fujisawa, Chigasaki station, Hakone-machi in English messages."""
    out: list[Match] = []
    for m in _ROMAJI.finditer(text):
        entries = gaz.romaji.get(m.group(1), [])
        station = m.group(2) in ("station", "sta", "eki")
        wanted = [e for e in entries if (e.kind == "station") == station]
        if wanted:
            end = m.end() if m.group(2) else m.end(1)
            out.append(Match(m.start(), end, wanted[0], wanted[0].kind, tuple(wanted)))
    return out


def _town_matches(text: str, gaz: Gazetteer, taken: list[Match]) -> list[Match]:
    """Bare 町名 of a municipality named elsewhere in the message (ひらつかしの須賀あたり)."""
    munis = {m.entry.municipality.name for m in taken if m.entry and m.entry.municipality and len(m.candidates) == 1}
    out: list[Match] = []
    for muni in munis:
        towns = gaz.towns_by_muni.get(muni, {})
        i = 0
        while i < len(text):
            if any(t.start <= i < t.end for t in taken + out):
                i += 1
                continue
            length = next((n for n in range(min(_MAX_KEY, len(text) - i), 1, -1) if text[i : i + n] in towns), 0)
            if length and _boundary_ok(text, i, i + length, True) and not text[i : i + length].endswith("川"):
                town = towns[text[i : i + length]]
                end, town = _extend_blocks(text, i + length, towns, town)
                out.append(Match(i, end, town, "address", (town,)))
                i = end
                continue
            i += 1
    return out


def _one_substitution(name: str, word: str) -> bool:
    """Exactly one differing character, and of the same script (a kanji for a kanji)."""
    diff = [(a, b) for a, b in zip(name, word, strict=True) if a != b]
    return len(diff) == 1 and bool(_KANJI.match(diff[0][0])) == bool(_KANJI.match(diff[0][1]))


def _typo_matches(text: str, gaz: Gazetteer, taken: list[Match]) -> list[Match]:
    """One mistyped character in a Kanagawa municipality name: 茅ケ先市, 藤沢氏."""
    by_length = gaz.names_by_length
    out: list[Match] = []
    for m in _FUZZY_CANDIDATE.finditer(text):
        if any(t.start < m.end() and m.start() < t.end for t in taken):
            continue
        for start in range(m.start(), m.end() - 2):
            word = text[start : m.end()]
            hits = [n for n in by_length.get(len(word), []) if _one_substitution(n, word)]
            entries = [e for n in hits for e in gaz.surface.get(n, []) if e.kind == "municipality" and not e.bare]
            if len({e.name for e in entries}) == 1 and sum(a == b for a, b in zip(hits[0], word, strict=True)) >= 2:
                entry = entries[0]
                end, town = _extend_address(text, m.end(), gaz, entry.name)
                kind = "address" if town else "municipality"
                out.append(Match(start, end, town or entry, kind, (town or entry,)))
                break
    return out


def find_places(norm: Normalized, gaz: Gazetteer) -> list[Match]:
    """All place matches in ``norm.text`` (spans in normalised coordinates), in text order."""
    text = fold_place(norm.text)
    matches = _gazetteer_matches(text, gaz)
    matches += _kana_matches(text, gaz, matches)
    matches += _typo_matches(text, gaz, matches)
    matches += _romaji_matches(text, gaz) if text.isascii() else []
    matches += _town_matches(text, gaz, matches)
    matches += _suffix_matches(text, matches, gaz)
    return sorted(matches, key=lambda m: m.start)
