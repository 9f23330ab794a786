"""Hepburn romanisation of gazetteer readings, for English messages (Fujisawa, Chigasaki station).

Readings are in hiragana; long vowels are written both ways (おお → "o" and "oo", おう → "o"
and "ou"), since residents write "Oiso", "Ooiso" and "Ōiso" (NFKC keeps ō; it is folded).
"""

from __future__ import annotations

import re

__all__ = ["romaji_variants"]

_KANA = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
    "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽ"
)
_LATIN = (
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
    "ma mi mu me mo ya yu yo ra ri ru re ro wa o n ga gi gu ge go za ji zu ze zo da ji zu de do "
    "ba bi bu be bo pa pi pu pe po"
)
_BASE = dict(zip(_KANA, _LATIN.split(" "), strict=True))
_SMALL = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_PALATAL = {"し": "sh", "ち": "ch", "じ": "j", "ぢ": "j"}
_LONG = re.compile(r"(?<=[ou])u|(?<=o)o")


def _hepburn(kana: str) -> str:
    out: list[str] = []
    double = False
    for i, ch in enumerate(kana):
        if ch == "っ":
            double = True
            continue
        if ch in _SMALL and out:
            prev = kana[i - 1]
            out[-1] = (_PALATAL.get(prev) or out[-1][:-1] + "y") + _SMALL[ch]
            continue
        syllable = _BASE.get(ch, "")
        if double and syllable:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double = False
        out.append(syllable)
    return "".join(out)


def romaji_variants(kana: str) -> set[str]:
    """ "ふじさわ" → {"fujisawa"}; "おおいそ" → {"ooiso", "oiso"}."""
    full = _hepburn(kana)
    return {full, _LONG.sub("", full)} - {""}
