"""Normalisation keeps a map back to the original offsets."""

from __future__ import annotations

import pytest

from nlp.normalize import fold_place, kanji_to_int, normalize, to_hiragana


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("辻堂元町三丁目", "辻堂元町3丁目"),
        ("十二丁目", "12丁目"),
        ("二十一番地", "21番地"),
        ("３ー１２ー１", "3-12-1"),
        ("ﾌｼﾞｻﾜｴｷ", "フジサワエキ"),
        ("ス－パ〜", "スーパー"),
        ("ＡＢＣ", "abc"),
        ("停電\x07です", "停電 です"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


def test_offsets_map_back_to_exact_substring() -> None:
    raw = "ﾌｼﾞｻﾜ市辻堂元町三丁目１２ー３で"
    norm = normalize(raw)
    start = norm.text.index("辻堂")
    end = norm.text.index("で")
    s, e = norm.span(start, end)
    assert raw[s:e] == "辻堂元町三丁目１２ー３"


def test_helpers() -> None:
    assert kanji_to_int("三") == 3
    assert kanji_to_int("十") == 10
    assert kanji_to_int("二〇") == 20
    assert to_hiragana("フジサワ") == "ふじさわ"
    assert fold_place("茅ヶ崎") == fold_place("茅ケ崎") == "茅ケ崎"
