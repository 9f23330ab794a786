"""A designated evacuation site and the municipality it belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from evacuation.hazards import Hazard

__all__ = [
    "DESIGNATED_CITIES",
    "PREFECTURES",
    "Site",
    "municipality_code",
    "split_municipality",
    "ward_of",
]

PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)  # fmt: skip

_PREFECTURE_SET = frozenset(PREFECTURES)

# 政令指定都市: only these have administrative wards below the municipality.
DESIGNATED_CITIES: frozenset[str] = frozenset((
    "札幌市", "仙台市", "さいたま市", "千葉市", "横浜市", "川崎市", "相模原市", "新潟市", "静岡市",
    "浜松市", "名古屋市", "京都市", "大阪市", "堺市", "神戸市", "岡山市", "広島市", "北九州市",
    "福岡市", "熊本市",
))  # fmt: skip
_WARD = re.compile(r"^\s*([^\s区]{1,6}区)")


@dataclass(frozen=True, slots=True)
class Site:
    """One designated site: a 指定緊急避難場所, a 指定避難所, or both at the same place.

    ``id`` is GSI's 共通ID (of the emergency site when both are linked). ``hazards`` is empty
    for a 指定避難所 that is not also an emergency site: it is a place to stay, not to flee to.
    """

    id: str
    name: str
    address: str
    prefecture: str
    municipality: str
    lat: float
    lon: float
    hazards: frozenset[Hazard]
    is_shelter: bool
    municipality_code: str = ""
    ward: str | None = None
    shelter_id: str | None = None
    shelter_for: str = ""  # 受入対象者, e.g. 要配慮者 for a welfare shelter
    note: str = ""  # 備考, e.g. "洪水、高潮は２階以上が対象"

    @property
    def municipality_full(self) -> str:
        """Prefecture and municipality, as in GSI's 都道府県名及び市町村名 (神奈川県横浜市)."""
        return self.prefecture + self.municipality

    def designated_for(self, hazard: Hazard) -> bool:
        """Whether the site is a 指定緊急避難場所 for ``hazard``."""
        return hazard in self.hazards


def split_municipality(pref_and_city: str) -> tuple[str, str]:
    """Split GSI's 都道府県名及び市町村名 (神奈川県横浜市) into (神奈川県, 横浜市)."""
    text = pref_and_city.strip()
    for size in (3, 4):  # prefecture names are 3 or 4 characters; none is a prefix of another
        if text[:size] in _PREFECTURE_SET:
            return text[:size], text[size:].strip()
    raise ValueError(f"no prefecture at the start of {pref_and_city!r}")


def ward_of(address: str, pref_and_city: str) -> str | None:
    """The ward (区) of a designated city, read from the address after the city name."""
    text = address.strip()
    # Tokyo's special wards are municipalities in their own right, and only 政令指定都市
    # have wards, so "…地区" in a town's address is not mistaken for one.
    try:
        city = split_municipality(pref_and_city)[1]
    except ValueError:
        return None
    if city not in DESIGNATED_CITIES or not text.startswith(pref_and_city):
        return None
    match = _WARD.match(text[len(pref_and_city) :])
    return match.group(1) if match else None


def municipality_code(common_id: str) -> str:
    """The 6-digit 全国地方公共団体コード from a 共通ID (E + 5-digit code + ...), or ''.

    The 共通ID carries the code without its check digit; the check digit is recomputed
    (JIS X 0402: weights 6..2, modulus 11).
    """
    digits = common_id[1:6]
    if len(digits) != 5 or not digits.isdigit():
        return ""
    total = sum(int(d) * w for d, w in zip(digits, (6, 5, 4, 3, 2), strict=True))
    return digits + str((11 - total % 11) % 10)
