"""Incidents: automatic grouping (300 m, 2 h, same category), corroboration, merge and split."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from reports_api import ReportStore, SavedReport, incident_queries, pseudonymise
from reports_api.incident_queries import merge_incidents

from .conftest import PSEUDONYM_KEY, YOKOHAMA, Officer, new_report

T0 = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
# 35.339,139.490 is the default spot; 0.001° of latitude is ~111 m.
NEAR = {"lat": 35.3405, "lon": 139.4905}  # ~170 m away
FAR = {"lat": 35.345, "lon": 139.490}  # ~670 m away


def resident(n: int) -> str:
    return pseudonymise(PSEUDONYM_KEY, "U" + f"{n:032x}")


def test_close_reports_of_one_category_form_one_incident(report: Callable[..., SavedReport]) -> None:
    first = report(reporter=resident(1))
    near = report(reporter=resident(2), received_at=T0 + timedelta(minutes=90), **NEAR)
    assert first.incident_id is not None and near.incident_id == first.incident_id
    assert report(reporter=resident(3), **FAR).incident_id != first.incident_id
    assert report(reporter=resident(4), received_at=T0 + timedelta(hours=4)).incident_id != first.incident_id
    assert report(reporter=resident(5), categories=("fire",)).incident_id != first.incident_id


def test_corroboration_counts_distinct_residents(
    officer: Callable[..., Officer], report: Callable[..., SavedReport]
) -> None:
    saved = [report(reporter=resident(1)), report(reporter=resident(1)), report(reporter=resident(2), **NEAR)]
    moderator = officer("moderator")
    incident = moderator.get(f"/incidents/{saved[0].incident_id}").json
    assert incident is not None
    assert (incident["report_count"], incident["corroboration"]) == (3, 2)
    assert sorted(incident["reports"]) == sorted(r.number for r in saved)
    # A report rejected as false no longer corroborates.
    moderator.rejects(saved[2].number, "false")
    incident = moderator.get(f"/incidents/{saved[0].incident_id}").json
    assert incident is not None and (incident["report_count"], incident["corroboration"]) == (3, 1)


def test_a_report_between_two_incidents_merges_them(report: Callable[..., SavedReport], engine: Engine) -> None:
    south = report(lat=35.3390, lon=139.490)
    north = report(lat=35.3440, lon=139.490)  # ~560 m from south: its own incident
    assert south.incident_id != north.incident_id
    bridge = report(lat=35.3415, lon=139.490)  # ~280 m from each
    store = ReportStore(engine)
    ids = {store.get(r.number).incident_id for r in (south, north, bridge)}  # type: ignore[union-attr]
    assert ids == {min(south.incident_id or 0, north.incident_id or 0)}


def test_reports_without_coordinates_group_by_place_text(report: Callable[..., SavedReport]) -> None:
    def placed(text: str, **changes: object) -> SavedReport:
        return report(lat=None, lon=None, location_source="text", place_text=text, **changes)

    a = placed("境川 の橋")
    assert placed("境川の橋").incident_id == a.incident_id
    assert placed("片瀬海岸").incident_id != a.incident_id
    assert placed("境川の橋", municipality=YOKOHAMA[0], municipality_code=YOKOHAMA[1]).incident_id != a.incident_id
    assert report(lat=None, lon=None, place_text="").incident_id != report(lat=None, lon=None).incident_id


def test_incidents_are_listed_urgent_first_and_scoped(
    officer: Callable[..., Officer], report: Callable[..., SavedReport]
) -> None:
    calm = report(received_at=T0 + timedelta(hours=1))
    urgent = report(categories=("fire",), urgent=True, received_at=T0)
    theirs = report(municipality=YOKOHAMA[0], municipality_code=YOKOHAMA[1], lat=35.45, lon=139.63)
    prefecture, fujisawa = officer("viewer"), officer("viewer", "14205")
    listed = prefecture.get("/incidents").json
    assert listed is not None
    assert [i["id"] for i in listed["incidents"]][:1] == [urgent.incident_id]
    assert {i["id"] for i in listed["incidents"]} == {calm.incident_id, urgent.incident_id, theirs.incident_id}
    ours = fujisawa.get("/incidents").json
    assert ours is not None and {i["id"] for i in ours["incidents"]} == {calm.incident_id, urgent.incident_id}
    assert fujisawa.get(f"/incidents/{theirs.incident_id}").status_code == 404
    assert prefecture.get("/incidents", category="fire").json["incidents"][0]["id"] == urgent.incident_id  # type: ignore[index]
    page = prefecture.get("/incidents", limit=1).json
    assert page is not None and page["next_cursor"]
    rest = prefecture.get("/incidents", limit=5, cursor=page["next_cursor"]).json
    assert rest is not None and len(rest["incidents"]) == 2


def test_merge_and_split_are_audited(officer: Callable[..., Officer], report: Callable[..., SavedReport]) -> None:
    a, b = report(), report(**FAR)
    c = report(**NEAR)
    moderator = officer("moderator")
    merged = moderator.post("/incidents/merge", {"incident_ids": [a.incident_id, b.incident_id]})
    assert merged.status_code == 200 and merged.json is not None
    assert sorted(merged.json["reports"]) == sorted([a.number, b.number, c.number])
    assert merged.json["edited"] is True
    assert moderator.get(f"/incidents/{b.incident_id}").status_code == 404
    split = moderator.post(f"/incidents/{a.incident_id}/split", {"reports": [b.number]})
    assert split.status_code == 200 and split.json is not None
    assert split.json["new_incident"]["reports"] == [b.number]
    assert sorted(split.json["incident"]["reports"]) == sorted([a.number, c.number])
    # An edited incident is not merged away by the next nearby report.
    d = report(**NEAR)
    assert d.incident_id == a.incident_id


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("/incidents/merge", {"incident_ids": [1]}, 400),
        ("/incidents/merge", {"incident_ids": [1, 999]}, 404),
        ("/incidents/1/split", {"reports": []}, 400),
        ("/incidents/999/split", {"reports": ["R-1"]}, 404),
        ("/incidents/1/split", {"reports": ["R-20261129-999999"]}, 400),
    ],
)
def test_bad_merges_and_splits(
    officer: Callable[..., Officer], report: Callable[..., SavedReport], path: str, body: object, code: int
) -> None:
    report()
    assert officer("moderator").post(path, body).status_code == code


def test_a_city_moderator_cannot_merge_another_citys_incident(
    officer: Callable[..., Officer], report: Callable[..., SavedReport]
) -> None:
    ours = report()
    theirs = report(municipality=YOKOHAMA[0], municipality_code=YOKOHAMA[1], lat=35.45, lon=139.63)
    fujisawa = officer("moderator", "14205")
    assert (
        fujisawa.post("/incidents/merge", {"incident_ids": [ours.incident_id, theirs.incident_id]}).status_code == 404
    )
    assert officer("viewer").post("/incidents/merge", {"incident_ids": [1, 2]}).status_code == 403


def test_incident_filters_only_look_at_member_reports_in_scope(
    officer: Callable[..., Officer], report: Callable[..., SavedReport]
) -> None:
    ours = report()  # the incident belongs to 藤沢市, its first report's municipality
    theirs = report(municipality=YOKOHAMA[0], municipality_code=YOKOHAMA[1], text="SECRETWORD", **NEAR)
    assert theirs.incident_id == ours.incident_id
    ours_incident = [ours.incident_id]

    def ids(who: Officer, **params: str) -> list[int]:
        response = who.get("/incidents", **params)
        assert response.status_code == 200 and response.json is not None
        return [i["id"] for i in response.json["incidents"]]

    fujisawa = officer("viewer", "14205")
    assert ids(fujisawa) == ours_incident
    assert ids(fujisawa, q="secretword") == []  # no oracle on another city's text
    assert ids(fujisawa, status="new", q="川") == ours_incident
    assert ids(officer("viewer"), q="secretword") == ours_incident


def test_concurrent_reports_of_one_place_end_in_one_incident(engine: Engine) -> None:
    store = ReportStore(engine)
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def save(n: int) -> None:
        try:
            barrier.wait()
            store.save(new_report(reporter=resident(n), lat=35.339 + n * 0.0002, lon=139.490))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    from reports_api.incident_queries import list_incidents
    from reports_api.queries import ReportFilter

    page = list_incidents(engine, ReportFilter(), scope=frozenset(), limit=10)
    assert [(i.report_count, i.corroboration) for i in page.incidents] == [(6, 6)]


@pytest.mark.parametrize("operation", ["merge", "split"])
def test_merge_and_split_work_on_incidents_as_they_are_once_locked(
    officer: Callable[..., Officer],
    report: Callable[..., SavedReport],
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    operation: str,
) -> None:
    a = report()
    b = report(lat=35.40, lon=139.55)
    c = report(lat=35.45, lon=139.60)
    c2 = report(lat=35.45, lon=139.60)
    assert len({a.incident_id, b.incident_id, c.incident_id}) == 3 and c2.incident_id == c.incident_id
    assert a.incident_id and b.incident_id and c.incident_id
    real_lock = incident_queries.lock_categories
    raced: list[bool] = []

    def lock_after_a_concurrent_merge(session: Session, categories: list[str]) -> None:
        if not raced:  # another officer's merge commits between our read and our lock
            raced.append(True)
            assert merge_incidents(engine, [b.incident_id or 0, c.incident_id or 0], actor="t", scope=frozenset())
        real_lock(session, categories)

    monkeypatch.setattr(incident_queries, "lock_categories", lock_after_a_concurrent_merge)
    moderator = officer("moderator")
    if operation == "merge":
        response = moderator.post("/incidents/merge", {"incident_ids": [a.incident_id, c.incident_id]})
        assert response.status_code == 404, response.json  # c no longer exists
    else:
        response = moderator.post(f"/incidents/{c.incident_id}/split", {"reports": [c2.number]})
        assert response.status_code == 404, response.json
    assert raced == [True]
    merged = moderator.get(f"/incidents/{b.incident_id}").json
    assert merged is not None and sorted(merged["reports"]) == sorted([b.number, c.number, c2.number])


def test_a_scoped_incident_summary_counts_only_member_reports_in_scope(
    officer: Callable[..., Officer], report: Callable[..., SavedReport]
) -> None:
    ours = report(reporter=resident(1))  # 藤沢市: the incident is 藤沢市's
    theirs = report(
        municipality=YOKOHAMA[0],
        municipality_code=YOKOHAMA[1],
        reporter=resident(2),
        urgent=True,
        received_at=T0 + timedelta(minutes=30),
        **NEAR,
    )
    assert theirs.incident_id == ours.incident_id
    fujisawa, prefecture = officer("viewer", "14205"), officer("viewer")

    def summary(body: dict[str, Any]) -> tuple[object, ...]:
        where = body["location"]
        return (
            *(body[k] for k in ("report_count", "corroboration", "urgent", "first_at", "last_at")),
            where["lat"] == pytest.approx(35.339) and where["lon"] == pytest.approx(139.49),
        )

    mine = (1, 1, False, "2026-11-29T03:00:00Z", "2026-11-29T03:00:00Z", True)
    listed = fujisawa.get("/incidents").json
    assert listed is not None and [summary(i) for i in listed["incidents"]] == [mine]
    detail = fujisawa.get(f"/incidents/{ours.incident_id}").json
    assert detail is not None and summary(detail) == mine and detail["reports"] == [ours.number]
    # Filters and order look at the same in-scope figures, so they reveal nothing either.
    assert fujisawa.get("/incidents", urgent="true").json == {"incidents": [], "next_cursor": None}
    assert fujisawa.get("/incidents", since="2026-11-29T03:10:00Z").json == {"incidents": [], "next_cursor": None}
    assert fujisawa.get("/incidents", bbox="139.4903,35.3403,139.4907,35.3407").json == {
        "incidents": [],
        "next_cursor": None,
    }
    # Prefecture-wide tokens keep the full figures.
    whole = prefecture.get(f"/incidents/{ours.incident_id}").json
    assert whole is not None and (whole["report_count"], whole["corroboration"], whole["urgent"]) == (2, 2, True)
    assert whole["last_at"] == "2026-11-29T03:30:00Z"
    assert [i["id"] for i in prefecture.get("/incidents", urgent="true").json["incidents"]] == [ours.incident_id]  # type: ignore[index]


def test_scoped_incident_order_and_pages_follow_the_in_scope_summary(
    officer: Callable[..., Officer], report: Callable[..., SavedReport]
) -> None:
    ours = report()
    theirs = report(municipality=YOKOHAMA[0], municipality_code=YOKOHAMA[1], urgent=True, **NEAR)
    later = report(categories=("fire",), received_at=T0 + timedelta(hours=1))
    assert theirs.incident_id == ours.incident_id != later.incident_id
    # Prefecture-wide, the incident with another city's urgent report comes first; in 藤沢市's
    # scope neither incident is urgent, so the most recently active one leads, page after page.
    prefecture = officer("viewer").get("/incidents").json
    assert prefecture is not None and [i["id"] for i in prefecture["incidents"]] == [
        ours.incident_id,
        later.incident_id,
    ]
    fujisawa = officer("viewer", "14205")
    first = fujisawa.get("/incidents", limit=1).json
    assert first is not None and [i["id"] for i in first["incidents"]] == [later.incident_id]
    rest = fujisawa.get("/incidents", limit=1, cursor=first["next_cursor"]).json
    assert rest is not None and [i["id"] for i in rest["incidents"]] == [ours.incident_id]
    assert rest["next_cursor"] is None and rest["incidents"][0]["urgent"] is False
