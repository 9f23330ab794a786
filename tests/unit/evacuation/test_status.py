"""Officers' status: history, validation, unknown sites, linked 避難所, effect on the live index."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from evacuation import ShelterIndex
from evacuation.db_import import import_sites
from evacuation.live import LiveShelters, status_of
from evacuation.status import StatusRecord, UnknownSiteError, current_statuses, set_status, status_history
from tests.unit.evacuation.conftest import EMERGENCY_HEADER, WriteCsv, emergency_row

# Packaged data: 横浜市立さちが丘小学校, emergency site (building 6) linked to its 指定避難所.
SCHOOL = "E1410000001204"
SCHOOL_SHELTER = "E1410000001111"


def test_history_is_kept_newest_first_with_time_and_author(engine: Engine) -> None:
    before = datetime.now(UTC)
    set_status(engine, SCHOOL, status="open", crowding="available", head_count=10, author="佐藤")
    set_status(engine, SCHOOL, status="open", crowding="crowded", head_count=250, author="鈴木", note="体育館のみ")
    last = set_status(engine, SCHOOL, status="closed", author="佐藤")
    history = status_history(engine, SCHOOL)
    assert [(r.status, r.crowding, r.head_count, r.author) for r in history] == [
        ("closed", None, None, "佐藤"),
        ("open", "crowded", 250, "鈴木"),
        ("open", "available", 10, "佐藤"),
    ]
    assert history[1].note == "体育館のみ"
    assert history[0] == last
    assert all(r.at.tzinfo is not None and before - timedelta(seconds=1) <= r.at for r in history)
    assert status_history(engine, SCHOOL, limit=1) == [last]
    assert current_statuses(engine) == {SCHOOL: last}
    assert current_statuses(engine, [SCHOOL, "E1410000009201"]) == {SCHOOL: last}
    assert current_statuses(engine, []) == {}


def test_never_set_is_unknown(engine: Engine) -> None:
    assert current_statuses(engine) == {}
    assert status_history(engine, SCHOOL) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "opened"}, "valid statuses: open, closed"),
        ({"status": "open", "crowding": "busy"}, "valid values: available, crowded, full"),
        ({"status": "closed", "crowding": "full"}, "only to an open site"),
        ({"status": "open", "head_count": -1}, "head_count"),
        ({"status": "open", "author": "  "}, "author is required"),
    ],
)
def test_invalid_values_are_refused_listing_valid_ones(
    engine: Engine, changes: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {"author": "佐藤"} | changes
    with pytest.raises(ValueError, match=message):
        set_status(engine, SCHOOL, **values)  # type: ignore[arg-type]
    assert current_statuses(engine) == {}


def test_unknown_site_is_a_key_error_naming_it(engine: Engine) -> None:
    with pytest.raises(KeyError) as caught:
        set_status(engine, "E9999999999999", status="open", author="佐藤")
    assert isinstance(caught.value, UnknownSiteError)
    assert "E9999999999999" in str(caught.value)


def test_imported_sites_replace_the_packaged_ones_for_validation(engine: Engine, write_csv: WriteCsv) -> None:
    path = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園")])
    import_sites(engine, [path], data_date=date(2026, 4, 1), author="test")
    set_status(engine, "E1410000001201", status="open", author="佐藤")
    with pytest.raises(UnknownSiteError):
        set_status(engine, SCHOOL, status="open", author="佐藤")  # only in the packaged data


def test_a_status_on_the_shelter_applies_to_its_linked_sites(engine: Engine) -> None:
    index = ShelterIndex.load_default()
    linked = index.linked_to_shelter(SCHOOL_SHELTER)
    assert SCHOOL in {s.id for s in linked} and len(linked) > 1  # several school buildings
    set_status(engine, SCHOOL_SHELTER, status="open", crowding="full", author="佐藤")
    live = LiveShelters(engine)
    statuses = live.statuses()
    assert live.turned_away(live.index(), statuses) == {s.id for s in linked}
    site = index.get(SCHOOL)
    assert site is not None
    record = status_of(site, statuses)
    assert record is not None and record.crowding == "full"
    # A newer status on one building wins over the shelter's for that building only.
    set_status(engine, SCHOOL, status="open", crowding="crowded", author="鈴木")
    statuses = live.statuses()
    assert SCHOOL not in live.turned_away(live.index(), statuses)
    assert status_of(site, statuses) == current_statuses(engine)[SCHOOL]


def test_turns_away_only_closed_or_full() -> None:
    def record(status: str, crowding: str | None = None) -> StatusRecord:
        return StatusRecord("x", status, crowding, None, "a", "", datetime.now(UTC))

    assert record("closed").turns_away and record("open", "full").turns_away
    assert not record("open").turns_away and not record("open", "crowded").turns_away


def test_live_index_follows_new_imports(engine: Engine, write_csv: WriteCsv) -> None:
    live = LiveShelters(engine)
    assert live.index() is ShelterIndex.load_default()
    path = write_csv([EMERGENCY_HEADER, emergency_row(1, "A公園")])
    import_sites(engine, [path], data_date=date(2026, 4, 1), author="test")
    index = live.index()
    assert [s.id for s in index.sites] == ["E1410000001201"]
    assert live.index() is index  # not rebuilt without a new import
