"""Text normalisation that remembers where every character came from.

``normalize`` returns the normalised text plus, for each of its characters, the offset of
the original character it came from, so spans found in the normalised text can be mapped
back to exact substrings of what the resident typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Normalized",
    "fold_place",
    "kanji_to_int",
    "normalize",
    "to_hiragana",
    "to_katakana",
]

_HALF_VOICED = "\uff9e\uff9f"  # half-width (semi-)voiced marks combine with the kana before
_DASHES = "‐‑‒–—―−ｰ─━"
_KANA_LONG = re.compile(r"(?<=[ぁ-ゖァ-ヺ])[-~〜～" + _DASHES + r"]")
_ADDRESS_DASH = re.compile(r"(?<=\d)[ー" + _DASHES + r"の](?=\d)")
_KANJI_DIGITS = {
    "〇": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_NUM = re.compile(r"[一二三四五六七八九十〇]+(?=丁目|番地?|号)")
_JA = r"[\u3040-\u30ff\u4e00-\u9fff々ー]"
# やさしい日本語 is often written with a space after each word (すいどうの みずが でません);
# only spaces after hiragana go, so headline style (道路冠水 車が動けない) keeps its breaks.
_JA_SPACE = re.compile(rf"(?<=[ぁ-ゖ])[ \u3000]+(?={_JA})")
# Messages pasted from web pages or forms: tags and entities become one space each.
_MARKUP = re.compile(r"<[a-z/!][^<>]{0,200}>|&(?:lt|gt|amp|quot|nbsp|#\d{1,6});")
_SMALL_KE = re.compile(r"(?<=[\u4e00-\u9fff])[ヶケヵ](?=[\u4e00-\u9fff])")


@dataclass(frozen=True)
class Normalized:
    """Normalised text and ``offsets[i]`` = index in the original of character ``i``."""

    text: str
    offsets: tuple[int, ...]
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised ``[start, end)`` span to the original text."""
        if start >= end:
            return self.offsets[start], self.offsets[start]
        stop = self.offsets[end - 1] + 1
        while stop < len(self.original) and self.original[stop] in _HALF_VOICED:
            stop += 1  # ｶﾞ is two original characters behind one normalised one
        return self.offsets[start], stop


def kanji_to_int(numeral: str) -> int:
    """三 → 3, 十二 → 12, 二十 → 20, 二〇 → 20 (numbers below 100, as in 丁目/番)."""
    if "十" not in numeral:
        return int("".join(str(_KANJI_DIGITS[c]) for c in numeral))
    tens, _, ones = numeral.partition("十")
    return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (_KANJI_DIGITS.get(ones, 0) if ones else 0)


def to_hiragana(text: str) -> str:
    """Katakana → hiragana (other characters unchanged)."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def to_katakana(text: str) -> str:
    """Hiragana → katakana (other characters unchanged)."""
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def _nfkc(original: str) -> tuple[list[str], list[int]]:
    chars: list[str] = []
    offsets: list[int] = []
    i = 0
    while i < len(original):
        j = i + 1
        while j < len(original) and original[j] in _HALF_VOICED:
            j += 1
        piece = unicodedata.normalize("NFKC", original[i:j])
        if unicodedata.category(original[i]) == "Cc" or original[i] in "\u200b\ufeff":
            piece = " "
        for ch in piece:
            chars.append(ch.lower() if ch.isascii() else ch)
            offsets.append(i)
        i = j
    return chars, offsets


def _sub(
    pattern: re.Pattern[str], repl: str | None, chars: list[str], offsets: list[int]
) -> tuple[list[str], list[int]]:
    """Apply a regex substitution, keeping the offset of each replaced span's first char."""
    text = "".join(chars)
    out_c: list[str] = []
    out_o: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        out_c.extend(chars[pos : m.start()])
        out_o.extend(offsets[pos : m.start()])
        new = repl if repl is not None else str(kanji_to_int(m.group()))
        for k, ch in enumerate(new):
            out_c.append(ch)
            out_o.append(offsets[min(m.start() + k, m.end() - 1)])
        pos = m.end()
    out_c.extend(chars[pos:])
    out_o.extend(offsets[pos:])
    return out_c, out_o


def normalize(original: str) -> Normalized:
    """NFKC, ASCII lower case, HTML tags, long-vowel marks, ヶ/ケ, 三丁目→3丁目, 3ー12ー1→3-12-1."""
    chars, offsets = _nfkc(original)
    chars, offsets = _sub(_MARKUP, " ", chars, offsets)
    chars, offsets = _sub(_KANA_LONG, "ー", chars, offsets)
    chars, offsets = _sub(_ADDRESS_DASH, "-", chars, offsets)
    chars, offsets = _sub(_KANJI_NUM, None, chars, offsets)
    chars, offsets = _sub(_JA_SPACE, "", chars, offsets)
    return Normalized("".join(chars), tuple(offsets), original)


def fold_place(text: str) -> str:
    """Fold ヶ/ヵ between kanji to ケ (茅ヶ崎 → 茅ケ崎); keeps the length unchanged."""
    return _SMALL_KE.sub("ケ", text)
