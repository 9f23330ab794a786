"""Surface and kana indexes over the gazetteer (built once by ``Gazetteer.load_default``)."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.normalize import fold_place, normalize
from nlp.romaji import romaji_variants

if TYPE_CHECKING:
    from nlp.gazetteer import Gazetteer, Municipality

__all__ = ["Entry", "build_index", "kanagawa_names_by_length"]

_CHOME = re.compile(r"\d+丁目$")
_PUBLIC_PREFIX = re.compile(r"^.{1,5}?[都道府県市区町村]立")
_KANA_SUFFIX = re.compile(r"(し|く|まち|ちょう|むら|そん)$")


@dataclass(frozen=True)
class Entry:
    """One way to refer to a place. ``bare`` names need a word boundary after them."""

    kind: str
    name: str
    municipality: Municipality | None
    lat: float | None
    lon: float | None
    bare: bool = False


Index = dict[str, list[Entry]]


def _key(name: str) -> str:
    return fold_place(normalize(name).text)


def _add(index: Index, key: str, entry: Entry) -> None:
    bucket = index[key]
    if not any(e.kind == entry.kind and e.name == entry.name for e in bucket):
        bucket.append(entry)


def _municipalities(gaz: Gazetteer, surface: Index, kana: Index) -> None:
    for key, m in gaz.municipalities.items():
        entry = Entry("municipality", m.name, m, m.lat, m.lon)
        _add(surface, _key(key), entry)
        if m.prefecture != "神奈川県" or key != m.name:
            continue
        _add(kana, m.kana, entry)
        short = m.name.split("市")[-1] if m.name.endswith("区") else m.name[:-1]
        if m.name.endswith("区"):
            _add(surface, _key(short), entry)
        elif len(short) >= 2:
            _add(surface, _key(short), Entry("municipality", m.name, m, m.lat, m.lon, True))
        bare_kana = _KANA_SUFFIX.sub("", m.kana)
        if len(bare_kana) >= 4 and not m.name.endswith("区"):
            _add(kana, bare_kana, Entry("municipality", m.name, m, m.lat, m.lon, True))


def _stations(gaz: Gazetteer, path: Path, surface: Index, kana: Index, romaji: Index) -> None:
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            lat, lon = float(r["lat"]), float(r["lon"])
            entry = Entry("station", r["name"] + "駅", gaz.reverse_municipality(lat, lon), lat, lon)
            _add(surface, _key(r["name"] + "駅"), entry)
            _add(kana, r["kana"] + "えき", entry)
            for key in romaji_variants(r["kana"]):
                _add(romaji, key, entry)


def _romaji_municipalities(gaz: Gazetteer, romaji: Index) -> None:
    """Kanagawa municipalities by bare reading (fujisawa, hakone; yokohama is the city)."""
    for key, m in gaz.municipalities.items():
        if m.prefecture != "神奈川県" or key != m.name or m.name.endswith("区"):
            continue
        bare = _KANA_SUFFIX.sub("", m.kana)
        for variant in romaji_variants(bare):
            if len(variant) >= 4:
                _add(romaji, variant, Entry("municipality", m.name, m, m.lat, m.lon))


def _towns(gaz: Gazetteer, path: Path, surface: Index) -> dict[str, dict[str, Entry]]:
    by_muni: dict[str, dict[str, Entry]] = defaultdict(dict)
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            muni = gaz.municipalities[r["municipality"]]
            lat, lon = float(r["lat"]), float(r["lon"])
            key = _key(r["town"])
            for k in (key, _CHOME.sub("", key)):
                if k and k not in by_muni[muni.name]:
                    entry = Entry("address", k, muni, lat, lon, True)
                    by_muni[muni.name][k] = entry
                    if len(k) >= 3:
                        _add(surface, k, entry)
    return dict(by_muni)


def _facilities(gaz: Gazetteer, path: Path, surface: Index) -> None:
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            muni = gaz.municipalities[r["municipality"]]
            entry = Entry("facility", r["name"], muni, float(r["lat"]), float(r["lon"]))
            for k in {_key(r["name"]), _PUBLIC_PREFIX.sub("", _key(r["name"]))}:
                if len(k) >= 4:
                    _add(surface, k, entry)


def build_index(gaz: Gazetteer, data_dir: Path) -> tuple[Index, Index, Index, dict[str, dict[str, Entry]]]:
    """Return (surface index, kana index, romaji index, 町丁目 keys per municipality)."""
    surface: Index = defaultdict(list)
    kana: Index = defaultdict(list)
    romaji: Index = defaultdict(list)
    _municipalities(gaz, surface, kana)
    _romaji_municipalities(gaz, romaji)
    _stations(gaz, data_dir / "stations_kanagawa.csv", surface, kana, romaji)
    by_muni = _towns(gaz, data_dir / "towns_kanagawa.csv", surface)
    _facilities(gaz, data_dir / "facilities_kanagawa.csv", surface)
    return dict(surface), dict(kana), dict(romaji), by_muni


def kanagawa_names_by_length(gaz: Gazetteer) -> dict[int, list[str]]:
    """Kanagawa municipality names and ward short names (≥ 3 characters) by length, for typos."""
    names: dict[int, list[str]] = {}
    for key, m in gaz.municipalities.items():
        if m.prefecture == "神奈川県" and key == m.name and len(m.name) >= 3:
            short = m.name.split("市")[-1] if m.name.endswith("区") else m.name
            for name in {fold_place(m.name), fold_place(short)}:
                names.setdefault(len(name), []).append(name)
    return names
