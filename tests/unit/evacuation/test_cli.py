from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from evacuation import ShelterIndex, haversine_m
from evacuation.cli import register
from reports_api import make_engine, upgrade
from tests.unit.evacuation.conftest import EMERGENCY_HEADER, SCHOOL_EMERGENCY, WriteCsv, emergency_row

PACKAGED = sorted((Path(__file__).resolve().parents[3] / "evacuation/data").glob("*.csv"))
SCHOOL = "E1410000001204"  # 横浜市立さちが丘小学校 校舎６ (packaged data)


@pytest.fixture(autouse=True)
def sonae_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI's database: the embedded SQLite file in a temporary folder, or the test PostgreSQL."""
    for name in ("SONAE_DATABASE_URL", "SONAE_REDIS_URL", "SONAE_LINE_API_BASE", "SONAE_LINE_CHANNEL_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SONAE_DATA_DIR", str(tmp_path / "var"))
    if database_url.startswith("postgresql"):
        engine = make_engine(database_url)
        upgrade(engine)  # real services are migrated by `sonae db upgrade`, not by each command
        engine.dispose()
        monkeypatch.setenv("SONAE_DATABASE_URL", database_url)
        monkeypatch.setenv("SONAE_REDIS_URL", "redis://127.0.0.1:6379/15")  # required with it; never contacted
        monkeypatch.setenv("SONAE_LINE_CHANNEL_SECRET", "s")
        monkeypatch.setenv("SONAE_LINE_CHANNEL_ACCESS_TOKEN", "t")
        monkeypatch.setenv("SONAE_PSEUDONYM_KEY", "k")
    yield


def sonae(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="sonae")
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_nearest_json_matches_own_computation(kanagawa: ShelterIndex, capsys: pytest.CaptureFixture[str]) -> None:
    assert sonae("shelters", "nearest", "--lat", "35.31", "--lon", "139.58",
                 "--hazard", "tsunami", "-k", "3", "--json") == 0  # fmt: skip
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3
    for row in rows:
        assert {"id", "name", "address", "municipality", "lat", "lon", "distance_m"} <= set(row)
        assert "tsunami" in row["hazards"] and row["status"] is None
        own = haversine_m(35.31, 139.58, row["lat"], row["lon"])
        assert row["distance_m"] == pytest.approx(own, abs=0.1)
    assert [r["distance_m"] for r in rows] == sorted(r["distance_m"] for r in rows)


def test_unknown_hazard_exits_with_valid_names(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        sonae("shelters", "nearest", "--lat", "35.4", "--lon", "139.6", "--hazard", "lava")
    assert info.value.code == 2
    assert "valid hazards: flood, landslide" in capsys.readouterr().err


def test_outside_japan_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = sonae("shelters", "nearest", "--lat", "nan", "--lon", "139.6", "--hazard", "flood")
    assert code == 2
    assert "not inside Japan" in capsys.readouterr().err


def test_missing_municipality_is_said_plainly(capsys: pytest.CaptureFixture[str]) -> None:
    assert sonae("shelters", "nearest", "--lat", "35.319", "--lon", "139.55",
                 "--hazard", "tsunami", "--municipality", "鎌倉市") == 0  # fmt: skip
    assert "no tsunami designated-site data for 鎌倉市" in capsys.readouterr().err


def test_dry_run_reports_bad_rows_and_stores_nothing(write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv([EMERGENCY_HEADER, SCHOOL_EMERGENCY, SCHOOL_EMERGENCY])
    assert sonae("shelters", "import", str(path), "--dry-run", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["stored"] is False
    assert report["sites"] == 1
    assert report["bad_rows"][0]["line"] == 3


def test_import_stores_reports_bad_rows_and_is_idempotent(
    write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園"), emergency_row(1, "A公園")])
    assert sonae("shelters", "import", str(path), "--data-date", "2026-04-01", "--author", "tester", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["stored"], report["added"], report["data_date"]) == (True, 1, "2026-04-01")
    assert report["bad_rows"][0]["line"] == 3 and "duplicate" in report["bad_rows"][0]["reason"]
    assert sonae("shelters", "import", str(path), "--data-date", "2026-04-01") == 0
    assert "no change" in capsys.readouterr().out
    # The imported sites are now what `nearest` searches.
    assert sonae("shelters", "nearest", "--lat", "35.44", "--lon", "139.63", "--hazard", "tsunami", "--json") == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["E1410000001201"]


def test_import_of_an_unknown_snapshot_needs_a_date(write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園")])
    assert sonae("shelters", "import", str(path)) == 2
    assert "--data-date" in capsys.readouterr().err


def test_status_set_shows_in_nearest_and_closed_is_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    where = ("--lat", "35.456809", "--lon", "139.522987", "--hazard", "earthquake", "-k", "1", "--json")
    assert sonae("shelters", "status", SCHOOL, "--set", "open", "--crowding", "crowded",
                 "--head-count", "80", "--author", "旭区 防災担当") == 0  # fmt: skip
    capsys.readouterr()
    assert sonae("shelters", "nearest", *where) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["id"], row["status"], row["crowding"], row["head_count"]) == (SCHOOL, "open", "crowded", 80)
    assert sonae("shelters", "status", SCHOOL, "--set", "closed", "--author", "旭区 防災担当") == 0
    assert "closed  by 旭区 防災担当" in capsys.readouterr().out
    assert sonae("shelters", "nearest", *where) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] != SCHOOL
    assert sonae("shelters", "nearest", *where, "--include-closed") == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "closed"
    assert sonae("shelters", "status", SCHOOL, "--json") == 0
    history = json.loads(capsys.readouterr().out)
    assert [(h["status"], h["author"]) for h in history] == [("closed", "旭区 防災担当"), ("open", "旭区 防災担当")]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("E0000000000000", "--set", "open", "--author", "x"), "no designated site"),
        ((SCHOOL, "--set", "open"), "--author is required"),
        ((SCHOOL, "--crowding", "full"), "need --set"),
        ((SCHOOL, "--set", "open", "--head-count", "-3", "--author", "x"), "head_count"),
    ],
)
def test_status_errors_exit_2(argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert sonae("shelters", "status", *argv) == 2
    assert message in capsys.readouterr().err


def test_import_of_another_kind_of_file(write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(["a,b,c", "1,2,3"])
    assert sonae("shelters", "import", str(path)) == 2
    assert "not a GSI" in capsys.readouterr().err
