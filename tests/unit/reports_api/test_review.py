"""The review workflow as officers use it: status changes, notes, audit trail, roles and scope."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reports_api import SavedReport

from .conftest import YOKOHAMA, Officer


@pytest.fixture
def moderator(officer: Callable[..., Officer]) -> Officer:
    return officer("moderator")


def test_a_moderator_verifies_then_resolves(moderator: Officer, report: Callable[..., SavedReport]) -> None:
    saved = report()
    verified = moderator.verifies(saved.number)
    assert verified.status_code == 200 and verified.json is not None
    assert verified.json["status"] == "verified"
    resolved = moderator.post(f"/reports/{saved.number}/status", {"status": "resolved"})
    assert resolved.status_code == 200 and resolved.json is not None
    assert resolved.json["status"] == "resolved"
    assert moderator.opens(saved.number).json["status"] == "resolved"  # type: ignore[index]


@pytest.mark.parametrize("reason", ["false", "duplicate", "not_disaster"])
def test_a_rejection_keeps_its_reason(moderator: Officer, report: Callable[..., SavedReport], reason: str) -> None:
    saved = report()
    response = moderator.rejects(saved.number, reason)
    assert response.status_code == 200 and response.json is not None
    assert (response.json["status"], response.json["reject_reason"]) == ("rejected", reason)


@pytest.mark.parametrize(
    ("body", "code", "mentions"),
    [
        ({"status": "rejected"}, 400, "reason"),
        ({"status": "rejected", "reason": "boring"}, 400, "reason"),
        ({"status": "verified", "reason": "false"}, 400, "reason"),
        ({"status": "closed"}, 400, "status"),
        ({}, 400, "status"),
        ("verified", 400, "JSON object"),
        ({"status": "resolved"}, 409, "new report can become"),
        ({"status": "new"}, 409, "can become"),
    ],
)
def test_changes_the_workflow_does_not_allow(
    moderator: Officer, report: Callable[..., SavedReport], body: object, code: int, mentions: str
) -> None:
    saved = report()
    response = moderator.post(f"/reports/{saved.number}/status", body)
    assert response.status_code == code, response.json
    assert response.json is not None and mentions in response.json["message"]
    assert moderator.opens(saved.number).json["status"] == "new"  # type: ignore[index]


def test_a_viewer_cannot_change_anything(officer: Callable[..., Officer], report: Callable[..., SavedReport]) -> None:
    viewer = officer("viewer")
    saved = report()
    for response in (viewer.verifies(saved.number), viewer.post(f"/reports/{saved.number}/notes", {"text": "x"})):
        assert response.status_code == 403
        assert response.json is not None and "moderator" in response.json["message"]


def test_a_city_moderator_cannot_touch_another_city(
    officer: Callable[..., Officer], report: Callable[..., SavedReport]
) -> None:
    fujisawa = officer("moderator", "14205")
    theirs = report(municipality=YOKOHAMA[0], municipality_code=YOKOHAMA[1])
    # Writes outside the scope answer like reads: 404, existence is not revealed.
    for response in (
        fujisawa.verifies(theirs.number),
        fujisawa.post(f"/reports/{theirs.number}/notes", {"text": "見ました"}),
        fujisawa.get(f"/reports/{theirs.number}/notes"),
        fujisawa.get(f"/reports/{theirs.number}/audit"),
    ):
        assert response.status_code == 404
    prefecture = officer("viewer")
    assert prefecture.opens(theirs.number).json["status"] == "new"  # type: ignore[index]
    assert prefecture.get(f"/reports/{theirs.number}/notes").json == {"notes": []}


def test_notes_and_the_audit_trail(moderator: Officer, report: Callable[..., SavedReport]) -> None:
    saved = report()
    note = moderator.post(f"/reports/{saved.number}/notes", {"text": "<b>消防に連絡済み</b>"})
    assert note.status_code == 201 and note.json is not None
    assert note.json["text"] == "<b>消防に連絡済み</b>"  # JSON keeps it verbatim; HTML views escape it
    moderator.verifies(saved.number)
    moderator.rejects(saved.number, "duplicate")
    notes = moderator.get(f"/reports/{saved.number}/notes").json
    assert notes is not None and [n["text"] for n in notes["notes"]] == ["<b>消防に連絡済み</b>"]
    audit = moderator.get(f"/reports/{saved.number}/audit").json
    assert audit is not None
    entries = audit["entries"]
    assert [e["action"] for e in entries] == [
        "report.created",
        "report.note_added",
        "report.status_changed",
        "report.status_changed",
    ]
    assert {e["actor"] for e in entries[1:]} == {moderator.actor}
    assert entries[3]["detail"] == {
        "before": {"status": "verified", "reject_reason": None},
        "after": {"status": "rejected", "reject_reason": "duplicate"},
    }
    assert all(e["at"].endswith("Z") for e in entries)


def test_an_empty_note_is_refused(moderator: Officer, report: Callable[..., SavedReport]) -> None:
    response = moderator.post(f"/reports/{report().number}/notes", {"text": ""})
    assert response.status_code == 400 and response.json is not None and "text" in response.json["message"]
