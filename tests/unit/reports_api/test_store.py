"""Saving reports: numbers, idempotency (also under concurrency), audit, privacy guards."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from reports_api import ReportStore, SavedReport, pseudonymise
from reports_api.models import AuditEntry, Report

from .conftest import LINE_USER, PSEUDONYM_KEY, new_report


def test_a_saved_report_gets_a_number_and_status_new(store: ReportStore) -> None:
    saved = store.save(new_report(categories=("flood", "injury"), urgent=True))
    assert saved.number == f"R-20261129-{saved.id:06d}"
    assert saved.status == "new"
    assert saved.categories == ("flood", "injury")
    assert saved.urgent is True
    assert store.get(saved.number) == saved
    assert store.get("R-00000000-000000") is None
    assert store.count() == 1


def test_saving_the_same_event_twice_stores_it_once(store: ReportStore, engine: Engine) -> None:
    new = new_report()
    first = store.save(new)
    again = store.save(new)
    assert again == first
    assert store.count() == 1
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 1


def test_concurrent_saves_of_one_event_store_it_once(store: ReportStore, engine: Engine) -> None:
    new = new_report()
    start = threading.Barrier(8)
    results: list[SavedReport] = []
    errors: list[BaseException] = []

    def save() -> None:
        start.wait()
        try:
            results.append(store.save(new))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({r.id for r in results}) == 1 and len(results) == 8
    assert store.count() == 1
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 1


def test_each_save_is_audited_without_the_residents_text(report: Callable[..., SavedReport], engine: Engine) -> None:
    saved = report(text="母が怪我をしています")
    with Session(engine) as session:
        entry = session.scalars(sa.select(AuditEntry)).one()
    assert (entry.actor, entry.action, entry.report_id) == ("resident", "report.created", saved.id)
    assert "母" not in str(entry.detail)


def test_empty_text_and_no_location_are_fine(report: Callable[..., SavedReport]) -> None:
    saved = report(text="", lat=None, lon=None, location_source="none", municipality_code=None)
    assert (saved.text, saved.lat, saved.municipality_code) == ("", None, None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reporter", LINE_USER),
        ("reporter", "rp_" + LINE_USER),
        ("source", "fax"),
        ("location_source", "gps"),
        ("municipality_code", "142051x"),
        ("source_event_id", ""),
        ("lat", None),
    ],
)
def test_invalid_reports_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValueError):
        new_report(**{field: value})


def test_the_reporter_is_a_keyed_pseudonym() -> None:
    pseudonym = pseudonymise(PSEUDONYM_KEY, LINE_USER)
    assert pseudonym.startswith("rp_") and len(pseudonym) == 3 + 24
    assert pseudonym == pseudonymise(PSEUDONYM_KEY, LINE_USER)
    assert pseudonym != pseudonymise("another-key", LINE_USER)
    assert LINE_USER[1:25] not in pseudonym
    with pytest.raises(ValueError):
        pseudonymise("", LINE_USER)


def test_no_stored_column_holds_the_line_user_id(report: Callable[..., SavedReport], engine: Engine) -> None:
    report()
    with engine.connect() as conn:
        for table in ("reports", "audit_entries"):
            for row in conn.execute(sa.text(f"SELECT * FROM {table}")):
                assert LINE_USER not in str(tuple(row))
    assert Report.__table__.c.keys().count("line_user_id") == 0


def test_losing_a_race_returns_the_winners_report(store: ReportStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The unique constraint, not the pre-check, is what keeps a save idempotent."""
    new = new_report()
    winner = store.save(new)
    real_lookup = store._by_event
    calls: list[str] = []

    def lookup_missing_the_winner_once(event_id: str) -> SavedReport | None:
        calls.append(event_id)
        return None if len(calls) == 1 else real_lookup(event_id)

    monkeypatch.setattr(store, "_by_event", lookup_missing_the_winner_once)
    assert store.save(new) == winner
    assert len(calls) == 2
    assert store.count() == 1
