"""Fixtures for the evacuation tests: small GSI CSVs written on the fly, and the real data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from evacuation import ShelterIndex
from reports_api import make_engine, upgrade

EMERGENCY_HEADER = (
    "NO,共通ID,都道府県名及び市町村名,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,"
    "地震,津波,大規模な火事,内水氾濫,火山現象,指定避難所との住所同一,緯度,経度,備考"
)
SHELTER_HEADER = (
    "NO,共通ID,都道府県名及び市町村名,施設・場所名,住所,指定緊急避難場所との住所同一,"
    "その他市町村長が必要と認める事項,受入対象者,緯度,経度,備考"
)
# 横浜市立さちが丘小学校: one facility, an emergency site and a shelter.
SCHOOL_EMERGENCY = (
    "35268,E1410000001204,神奈川県横浜市,横浜市立さちが丘小学校　校舎６,"
    "神奈川県横浜市旭区さちが丘110-1,1,1,,1,,,,,1,35.456809,139.522987,"
)
SCHOOL_SHELTER = (
    "27954,E1410000001111,神奈川県横浜市,横浜市立さちが丘小学校,"
    "神奈川県横浜市旭区さちが丘110-1,1,,,35.456799,139.522979,"
)

WriteCsv = Callable[..., Path]


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """Write lines as a CSV file: ``write_csv(lines, encoding="utf-8-sig", name=...)``."""

    def write(lines: list[str], encoding: str = "utf-8-sig", name: str = "sites.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return path

    return write


@pytest.fixture(scope="session")
def kanagawa() -> ShelterIndex:
    """The packaged Kanagawa snapshot."""
    return ShelterIndex.load_default()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated, empty database (PostgreSQL when configured, else SQLite)."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def emergency_row(n: int, name: str, lat: float = 35.44, lon: float = 139.63, city: str = "神奈川県横浜市") -> str:
    """A 指定緊急避難場所 row (earthquake + tsunami) with 共通ID E14100{n:05d}201."""
    return f"{n},E14100{n:05d}201,{city},{name},{city}中区{n},,,,1,1,,,,,{lat},{lon},"
