from __future__ import annotations

import argparse
import json

import pytest

from evacuation import ShelterIndex, haversine_m
from evacuation.cli import register
from tests.unit.evacuation.conftest import EMERGENCY_HEADER, SCHOOL_EMERGENCY, WriteCsv


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


def test_import_reports_bad_rows_and_stores_nothing(write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv([EMERGENCY_HEADER, SCHOOL_EMERGENCY, SCHOOL_EMERGENCY])
    assert sonae("shelters", "import", str(path), "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["stored"] is False
    assert report["sites"] == 1
    assert report["bad_rows"][0]["line"] == 3


def test_import_of_another_kind_of_file(write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(["a,b,c", "1,2,3"])
    assert sonae("shelters", "import", str(path)) == 2
    assert "not a GSI" in capsys.readouterr().err
