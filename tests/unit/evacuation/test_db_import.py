"""Storing GSI CSVs in the database: idempotent runs, newer files, bad rows, bad files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from evacuation import GsiFileError, Hazard, ShelterIndex
from evacuation.db_import import import_sites
from evacuation.store import data_version, imported_data_date, load_index
from evacuation.tables import ShelterImport, ShelterSite
from tests.unit.evacuation.conftest import EMERGENCY_HEADER, SCHOOL_SHELTER, SHELTER_HEADER, WriteCsv, emergency_row

PACKAGED = sorted((Path(__file__).resolve().parents[3] / "evacuation/data").glob("*.csv"))
DAY1, DAY2 = date(2026, 4, 1), date(2026, 10, 1)


def site_rows(engine: Engine) -> dict[str, tuple[str, bool]]:
    """id -> (name, removed) of every stored site."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(ShelterSite.id, ShelterSite.name, ShelterSite.removed_at))
        return {r.id: (r.name, r.removed_at is not None) for r in rows}


def test_packaged_snapshot_imports_with_its_known_date_and_again_changes_nothing(engine: Engine) -> None:
    first = import_sites(engine, PACKAGED, author="test")
    assert (first.skipped, first.added, first.data_date) == (False, 3_605, date(2025, 10, 27))
    assert first.rows_read == 4_879 and first.bad_rows == ()
    index = load_index(engine)
    assert index is not None and len(index) == 3_605
    assert index.data_date == date(2025, 10, 27)
    default = ShelterIndex.load_default()
    assert {s.id: s for s in index.sites} == {s.id: s for s in default.sites}  # same sites, field for field

    again = import_sites(engine, PACKAGED, author="test")
    assert again.skipped and again.import_id == first.import_id
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(ShelterImport)) == 1
    assert data_version(engine) == first.import_id


def test_newer_file_updates_adds_and_removes_and_records_its_date(engine: Engine, write_csv: WriteCsv) -> None:
    old = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園"), emergency_row(2, "B公園")], name="v1.csv")
    import_sites(engine, [old], data_date=DAY1, author="test")
    new = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園（改称）"), emergency_row(3, "C公園")], name="v2.csv")
    outcome = import_sites(engine, [new], data_date=DAY2, author="officer")
    assert (outcome.added, outcome.updated, outcome.removed) == (1, 1, 1)
    assert site_rows(engine) == {
        "E1410000001201": ("A公園（改称）", False),
        "E1410000002201": ("B公園", True),
        "E1410000003201": ("C公園", False),
    }
    index = load_index(engine)
    assert index is not None
    assert sorted(s.id for s in index.sites) == ["E1410000001201", "E1410000003201"]
    assert imported_data_date(engine) == DAY2

    back = import_sites(engine, [old], data_date=DAY1, author="test")  # an older file can be re-applied
    assert (back.added, back.updated, back.removed) == (0, 2, 1)
    assert site_rows(engine)["E1410000002201"] == ("B公園", False)


def test_same_files_with_another_date_is_a_new_run_without_site_changes(engine: Engine, write_csv: WriteCsv) -> None:
    path = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園")])
    import_sites(engine, [path], data_date=DAY1, author="test")
    outcome = import_sites(engine, [path], data_date=DAY2, author="test")
    assert not outcome.skipped and (outcome.added, outcome.updated, outcome.removed) == (0, 0, 0)
    assert imported_data_date(engine) == DAY2


def test_other_prefectures_are_untouched(engine: Engine, write_csv: WriteCsv) -> None:
    kanagawa = write_csv([EMERGENCY_HEADER, emergency_row(1, "横浜の公園")], name="k.csv")
    tokyo_row = "1,E1310100001201,東京都千代田区,皇居外苑,東京都千代田区皇居外苑1,,,,1,,1,,,,35.68,139.75,"
    tokyo = write_csv([EMERGENCY_HEADER, tokyo_row], name="t.csv")
    import_sites(engine, [kanagawa], data_date=DAY1, author="test")
    outcome = import_sites(engine, [tokyo], data_date=DAY2, author="test")
    assert outcome.removed == 0
    index = load_index(engine)
    assert index is not None and len(index) == 2
    assert imported_data_date(engine) == DAY1  # the oldest data still shown


def test_bad_rows_are_reported_and_missing_sites_kept(engine: Engine, write_csv: WriteCsv) -> None:
    v1 = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園"), emergency_row(2, "B公園")], name="v1.csv")
    import_sites(engine, [v1], data_date=DAY1, author="test")
    broken_b = emergency_row(2, "B公園", lat=float("nan"))
    v2 = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園"), broken_b, "3,E1410000003201,too,few"], name="v2.csv")
    outcome = import_sites(engine, [v2], data_date=DAY2, author="test")
    assert [(b.line, b.reason.split(":")[0]) for b in outcome.bad_rows] == [
        (3, "緯度 is not finite"),
        (4, "expected 17 fields, got 4"),
    ]
    assert (outcome.removed, outcome.kept_missing) == (0, 1)
    assert site_rows(engine)["E1410000002201"] == ("B公園", False)


def test_shelter_file_links_and_does_not_remove_emergency_sites(engine: Engine, write_csv: WriteCsv) -> None:
    emergency = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園")], name="e.csv")
    import_sites(engine, [emergency], data_date=DAY1, author="test")
    shelters = write_csv([SHELTER_HEADER, SCHOOL_SHELTER], name="s.csv")
    outcome = import_sites(engine, [shelters], data_date=DAY2, author="test")
    assert (outcome.added, outcome.removed) == (1, 0)
    index = load_index(engine)
    assert index is not None
    assert {s.id: bool(s.hazards) for s in index.sites} == {"E1410000001201": True, "E1410000001111": False}
    assert index.get("E1410000001201") is not None
    assert index.get("E1410000001201").hazards == {Hazard.EARTHQUAKE, Hazard.TSUNAMI}  # type: ignore[union-attr]


def test_unknown_snapshot_needs_a_data_date(engine: Engine, write_csv: WriteCsv) -> None:
    path = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園")])
    with pytest.raises(ValueError, match="--data-date"):
        import_sites(engine, [path], author="test")
    assert load_index(engine) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"a,b,c\n1,2,3\n", "not a GSI"),
        (b"\x1f\x8bbroken", "broken gzip"),
        (b"\x81\xff", "Shift_JIS"),
    ],
)
def test_bad_files_store_nothing(engine: Engine, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(GsiFileError, match=message):
        import_sites(engine, [path], data_date=DAY1, author="test")
    assert data_version(engine) == 0 and load_index(engine) is None


def test_missing_file_is_a_clear_error(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(GsiFileError, match="cannot read"):
        import_sites(engine, [tmp_path / "nope.csv"], data_date=DAY1, author="test")


def test_a_failed_run_leaves_the_previous_data(engine: Engine, write_csv: WriteCsv, tmp_path: Path) -> None:
    good = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園")])
    import_sites(engine, [good], data_date=DAY1, author="test")
    other = tmp_path / "other.csv"
    other.write_text("x,y\n1,2\n", encoding="utf-8")
    with pytest.raises(GsiFileError):
        import_sites(engine, [good, other], data_date=DAY2, author="test")
    assert imported_data_date(engine) == DAY1 and data_version(engine) == 1


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_encodings_are_stored_alike(engine: Engine, write_csv: WriteCsv, encoding: str) -> None:
    path = write_csv([EMERGENCY_HEADER, emergency_row(1, "髙島町公園", lat=35.45)], encoding=encoding)
    import_sites(engine, [path], data_date=DAY1, author="test")
    index = load_index(engine)
    assert index is not None and [(s.name, s.lat) for s in index.sites] == [("髙島町公園", 35.45)]
