from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from evacuation import GsiFileError, Hazard, ShelterIndex, SiteKind, load_sites, read_gsi_csv
from tests.unit.evacuation.conftest import (
    EMERGENCY_HEADER,
    SCHOOL_EMERGENCY,
    SCHOOL_SHELTER,
    SHELTER_HEADER,
    WriteCsv,
)

NATIONWIDE = Path(__file__).resolve().parents[4] / "shared/data/gsi_shelters_japan"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_reads_utf8_with_or_without_bom_and_cp932(write_csv: WriteCsv, encoding: str) -> None:
    result = read_gsi_csv(write_csv([EMERGENCY_HEADER, SCHOOL_EMERGENCY], encoding=encoding))
    (site,) = result.sites
    assert site.name == "横浜市立さちが丘小学校　校舎６"
    assert site.hazards == {Hazard.FLOOD, Hazard.LANDSLIDE, Hazard.EARTHQUAKE}
    assert (site.prefecture, site.municipality, site.ward) == ("神奈川県", "横浜市", "旭区")
    assert site.municipality_code == "141003"
    assert result.bad_rows == ()


def test_reads_gzip(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv.gz"
    path.write_bytes(gzip.compress(f"{EMERGENCY_HEADER}\n{SCHOOL_EMERGENCY}\n".encode()))
    assert len(read_gsi_csv(path).sites) == 1


def test_columns_are_found_by_name_not_position(write_csv: WriteCsv) -> None:
    header = EMERGENCY_HEADER.split(",")
    row = SCHOOL_EMERGENCY.split(",")
    order = list(reversed(range(len(header))))
    path = write_csv([",".join(header[i] for i in order), ",".join(row[i] for i in order)])
    (site,) = read_gsi_csv(path).sites
    assert (site.lat, site.lon) == (35.456809, 139.522987)


def test_quoted_newline_keeps_line_numbers(write_csv: WriteCsv) -> None:
    lines = [
        EMERGENCY_HEADER,
        '1,E1410000009201,神奈川県横浜市,"公園\nA",神奈川県横浜市中区1,,,,1,,,,,,35.44,139.63,',
        "2,E1410000009202,神奈川県横浜市,,神奈川県横浜市中区2,,,,1,,,,,,35.44,139.63,",
    ]
    result = read_gsi_csv(write_csv(lines))
    assert result.sites[0].name == "公園\nA"
    assert [(b.line, b.reason) for b in result.bad_rows] == [(4, "missing 施設・場所名 (name)")]


def test_bad_rows_are_reported_by_line_without_aborting(write_csv: WriteCsv) -> None:
    good = SCHOOL_EMERGENCY
    lines = [
        EMERGENCY_HEADER,
        good,  # line 2
        good,  # 3: duplicate
        good.replace("E1410000001204", "E1410000001205").replace("35.456809", "nan"),
        good.replace("E1410000001204", "E1410000001206").replace("139.522987", "-0.1"),
        good.replace("E1410000001204", "E1410000001207").replace("35.456809", ""),
        good.replace("E1410000001204", "E1410000001208").replace(",1,1,,1,", ",x,1,,1,"),
        "1,2,3",  # 8
        good.replace("E1410000001204", "E1410000001209"),  # 9: fine
    ]
    result = read_gsi_csv(write_csv(lines))
    assert [s.id for s in result.sites] == ["E1410000001204", "E1410000001209"]
    reasons = {b.line: b.reason for b in result.bad_rows}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert "duplicate 共通ID E1410000001204 (first on line 2)" in reasons[3]
    assert "not finite" in reasons[4]
    assert "not inside Japan" in reasons[5]
    assert "missing 緯度" in reasons[6]
    assert "unexpected value in 洪水" in reasons[7]
    assert "expected 17 fields, got 3" in reasons[8]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n"])
def test_empty_file_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(GsiFileError, match="empty file"):
        read_gsi_csv(path)


def test_file_of_another_kind_is_a_clear_error(write_csv: WriteCsv) -> None:
    path = write_csv(["station_name,line_name,operator,lat,lon", "横浜,東海道線,JR,35.46,139.62"])
    with pytest.raises(GsiFileError, match=r"not a GSI .*missing columns 共通ID"):
        read_gsi_csv(path)


def test_binary_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x81\x00")
    with pytest.raises(GsiFileError):
        read_gsi_csv(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GsiFileError, match="cannot read"):
        read_gsi_csv(tmp_path / "absent.csv")


def test_shelter_header_is_recognised(write_csv: WriteCsv) -> None:
    result = read_gsi_csv(write_csv([SHELTER_HEADER, SCHOOL_SHELTER]))
    assert list(result.kinds.values()) == [SiteKind.SHELTER]
    (site,) = result.sites
    assert site.is_shelter and site.hazards == frozenset()


def test_emergency_site_and_shelter_of_one_facility_are_linked(write_csv: WriteCsv) -> None:
    emergency = write_csv([EMERGENCY_HEADER, SCHOOL_EMERGENCY], name="e.csv")
    shelter = write_csv([SHELTER_HEADER, SCHOOL_SHELTER], name="s.csv")
    (site,) = load_sites([emergency, shelter]).sites
    assert site.id == "E1410000001204"
    assert site.is_shelter and site.shelter_id == "E1410000001111"


def test_linking_falls_back_to_same_address_and_name(write_csv: WriteCsv) -> None:
    emergency = SCHOOL_EMERGENCY.replace("E1410000001204", "X-1").replace("　校舎６", "")
    shelter = SCHOOL_SHELTER.replace("E1410000001111", "Y-1")
    sites = load_sites(
        [
            write_csv([EMERGENCY_HEADER, emergency], name="e.csv"),
            write_csv([SHELTER_HEADER, shelter], name="s.csv"),
        ]
    ).sites
    assert [(s.id, s.shelter_id) for s in sites] == [("X-1", "Y-1")]


def test_unlinked_shelter_is_kept_without_hazards(write_csv: WriteCsv) -> None:
    shelter = SCHOOL_SHELTER.replace("E1410000001111", "E1410000099111")
    sites = load_sites(
        [
            write_csv([EMERGENCY_HEADER, SCHOOL_EMERGENCY], name="e.csv"),
            write_csv([SHELTER_HEADER, shelter], name="s.csv"),
        ]
    ).sites
    assert [(s.id, s.is_shelter, bool(s.hazards)) for s in sites] == [
        ("E1410000001204", False, True),
        ("E1410000099111", True, False),
    ]


def test_packaged_kanagawa_data(kanagawa: ShelterIndex) -> None:
    sites = kanagawa.sites
    assert sum(1 for s in sites if s.hazards) == 3341
    # 2,672 emergency sites share a facility with one of the 1,538 shelters; 264 do not.
    assert sum(1 for s in sites if s.hazards and s.is_shelter) == 2672
    assert sum(1 for s in sites if not s.hazards) == 264
    assert len({s.shelter_id for s in sites if s.is_shelter}) == 1538
    assert sum(1 for s in sites if s.hazards and Hazard.TSUNAMI in s.hazards) == 351


@pytest.mark.skipif(not NATIONWIDE.exists(), reason="nationwide GSI data not at hand")
def test_nationwide_emergency_file() -> None:
    result = read_gsi_csv(NATIONWIDE / "japan_shitei_kinkyu_hinan_basho.csv.gz")
    assert len(result.sites) == 115_402
    assert result.bad_rows == ()
    assert any("\n" in s.name or "\n" in s.note or "\n" in s.address for s in result.sites)
