"""The officers' API: tokens, municipality scope, filters, pagination, JSON errors."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from reports_api import SavedReport, create_token, revoke
from reports_api.tokens import authenticate

from .conftest import FUJISAWA, LINE_USER, YOKOHAMA, Officer

LINE_USER_ID = re.compile(r"U[0-9a-f]{32}")
T0 = datetime(2026, 11, 29, 0, 0, tzinfo=UTC)


@pytest.fixture
def prefecture(client: FlaskClient, engine: Engine) -> Officer:
    return Officer(client, create_token(engine, "viewer", label="神奈川県 災害対策本部"))


@pytest.fixture
def fujisawa(client: FlaskClient, engine: Engine) -> Officer:
    return Officer(client, create_token(engine, "viewer", [FUJISAWA[1]], label="藤沢市"))


def yokohama_report(report: Callable[..., SavedReport], **changes: object) -> SavedReport:
    return report(municipality=YOKOHAMA[0], municipality_code=YOKOHAMA[1], **changes)


# -- authentication -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/reports", "/api/v1/reports/R-20261129-000001"])
def test_no_token_is_401_with_a_bearer_challenge(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 401
    assert response.json is not None and response.json["error"] == "unauthorized"
    assert response.json["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer sonae_wrong", "Basic dXNlcjpwdw==", "Bearer ", "sonae_x", "Bearer"])
def test_a_bad_token_is_401(client: FlaskClient, engine: Engine, header: str) -> None:
    create_token(engine, "viewer")
    response = client.get("/api/v1/reports", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json is not None and response.json["error"] == "unauthorized"
    assert "invalid_token" in response.headers["WWW-Authenticate"]


def test_a_revoked_token_is_401(prefecture: Officer, engine: Engine) -> None:
    assert prefecture.token is not None
    info = authenticate(engine, prefecture.token)
    assert info is not None and revoke(engine, info.id)
    assert prefecture.lists().status_code == 401


# -- reading and scope ----------------------------------------------------------------


def test_a_report_as_officers_see_it(prefecture: Officer, report: Callable[..., SavedReport]) -> None:
    saved = report(urgent=True, photos=("content/abc", "content/def"), place_text="境川の橋")
    response = prefecture.opens(saved.number)
    assert response.status_code == 200
    assert response.json == {
        "number": saved.number,
        "received_at": "2026-11-29T03:00:00Z",
        "reported_at": "2026-11-29T02:59:00Z",
        "categories": ["flood"],
        "urgent": True,
        "text": "川が溢れそうです",
        "location": {
            "lat": 35.339,
            "lon": 139.49,
            "source": "line_location",
            "precision_m": 20.0,
            "place_text": "境川の橋",
        },
        "municipality": {"name": "藤沢市", "code": "14205"},
        "reporter": saved.reporter,
        "source": "line",
        "status": "new",
        "reject_reason": None,
        "incident_id": saved.incident_id,
        "photos": 2,
    }
    assert saved.incident_id is not None


def test_a_city_token_sees_only_its_city(
    fujisawa: Officer, prefecture: Officer, report: Callable[..., SavedReport]
) -> None:
    ours = report()
    theirs = yokohama_report(report)
    nowhere = report(municipality="", municipality_code=None)
    assert fujisawa.numbers() == [ours.number]
    assert fujisawa.opens(ours.number).status_code == 200
    for hidden in (theirs, nowhere):
        response = fujisawa.opens(hidden.number)
        assert response.status_code == 404
        # Same answer as for a report that does not exist: existence is not revealed.
        absent = fujisawa.opens("R-20261129-999999")
        assert response.json is not None and absent.json is not None
        assert response.json["error"] == absent.json["error"] == "not_found"
    assert set(prefecture.numbers()) == {ours.number, theirs.number, nowhere.number}


def test_a_city_token_cannot_ask_for_another_city(fujisawa: Officer, report: Callable[..., SavedReport]) -> None:
    yokohama_report(report)
    response = fujisawa.lists(municipality=YOKOHAMA[1])
    assert response.status_code == 403
    assert response.json is not None and response.json["error"] == "forbidden"
    assert fujisawa.numbers(municipality=FUJISAWA[1]) == []


# -- filters and pagination -------------------------------------------------------------


def test_filters(prefecture: Officer, report: Callable[..., SavedReport]) -> None:
    flood = report(received_at=T0 + timedelta(hours=1))
    urgent_fire = report(categories=("fire", "injury"), urgent=True, received_at=T0)
    yokohama = yokohama_report(report, categories=(), received_at=T0 + timedelta(hours=2))
    assert prefecture.numbers(urgent="true") == [urgent_fire.number]
    assert prefecture.numbers(urgent="false") == [yokohama.number, flood.number]
    assert prefecture.numbers(category="injury") == [urgent_fire.number]
    # Urgent reports always come first, then the newest.
    assert prefecture.numbers(category="flood,fire") == [urgent_fire.number, flood.number]
    assert prefecture.numbers(municipality=YOKOHAMA[1]) == [yokohama.number]
    assert prefecture.numbers(status="new") == [urgent_fire.number, yokohama.number, flood.number]
    assert prefecture.numbers(status="verified") == []
    assert prefecture.numbers(since="2026-11-29T10:00:00+09:00") == [yokohama.number, flood.number]
    assert prefecture.numbers(since="2026-11-29T01:00:00Z", until="2026-11-29T02:00:00Z") == [flood.number]


def test_pages_follow_the_cursor_newest_first(prefecture: Officer, report: Callable[..., SavedReport]) -> None:
    same_time = T0 + timedelta(hours=5)
    saved = [report(received_at=T0 + timedelta(minutes=i)) for i in range(5)]
    saved += [report(received_at=same_time) for _ in range(3)]  # ties are ordered by id
    expected = [r.number for r in sorted(saved, key=lambda r: (r.received_at, r.id), reverse=True)]
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        response = prefecture.lists(**params)
        assert response.status_code == 200 and response.json is not None
        seen += [r["number"] for r in response.json["reports"]]
        cursor = response.json["next_cursor"]
        if cursor is None:
            break
    assert seen == expected
    assert prefecture.numbers(limit=500) == expected
    assert len(prefecture.numbers()) == 8


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"urgent": "maybe"}, "urgent"),
        ({"status": "closed"}, "status"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-11-29T09:00:00"}, "time zone"),
        ({"since": "2026-11-29T09:00:00Z", "until": "2026-11-29T08:00:00Z"}, "since"),
        ({"municipality": "藤沢市"}, "municipality"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "eyJ0IjogMX0"}, "cursor"),
        ({"category": ""}, "category"),
        ({"municipality_code": "14205"}, "unknown parameter"),
    ],
)
def test_bad_parameters_are_400_with_a_clear_message(
    prefecture: Officer, params: dict[str, object], mentions: str
) -> None:
    response = prefecture.lists(**params)
    assert response.status_code == 400
    assert response.json is not None and response.json["error"] == "bad_request"
    assert mentions in response.json["message"]


# -- errors and privacy -------------------------------------------------------------------


def test_errors_are_always_json(prefecture: Officer, client: FlaskClient) -> None:
    headers = {"Authorization": f"Bearer {prefecture.token}"}
    unknown = client.get("/api/v1/nothing-here", headers=headers)
    assert unknown.status_code == 404 and unknown.is_json
    wrong_method = client.delete("/api/v1/reports", headers=headers)
    assert wrong_method.status_code == 405 and wrong_method.is_json
    assert wrong_method.json is not None and wrong_method.json["error"] == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]
    # Outside the API prefix the app's own pages are left alone.
    assert not client.get("/elsewhere").is_json


def test_an_unexpected_failure_is_a_json_500(prefecture: Officer, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom with 川が溢れそうです")

    monkeypatch.setattr("reports_api.api_reports.list_reports", broken)
    response = prefecture.lists()
    assert response.status_code == 500
    assert response.json is not None and response.json["error"] == "internal_server_error"
    assert "川" not in response.get_data(as_text=True)


def test_no_response_ever_contains_a_line_user_id(
    prefecture: Officer, fujisawa: Officer, report: Callable[..., SavedReport]
) -> None:
    saved = [report(urgent=True), yokohama_report(report), report(text="")]
    responses = [prefecture.lists(), fujisawa.lists(), prefecture.lists(limit=1)]
    responses += [prefecture.opens(r.number) for r in saved] + [fujisawa.opens(saved[1].number)]
    for response in responses:
        body = response.get_data(as_text=True)
        assert LINE_USER_ID.search(body) is None
        assert LINE_USER not in body


def _cursor_at(text: str, **extra: object) -> str:
    raw = json.dumps({"t": text, "i": 1, "u": False, **extra}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
@pytest.mark.parametrize(
    "path", ["/reports", "/incidents", "/aggregates", "/exports/reports.csv", "/exports/reports.geojson"]
)
def test_times_beyond_the_calendar_are_400_not_500(
    prefecture: Officer, report: Callable[..., SavedReport], moment: str, path: str
) -> None:
    report()
    for params in ({"since": moment}, {"until": moment}, {"cursor": _cursor_at(moment)}):
        if "cursor" in params and path not in ("/reports", "/incidents"):
            continue
        response = prefecture.get(path, **params)
        assert response.status_code == 400, (params, response.get_data(as_text=True)[:200])
        assert response.json is not None and response.json["error"] == "bad_request"


def test_nul_characters_in_json_bodies_are_400(
    officer: Callable[..., Officer], report: Callable[..., SavedReport]
) -> None:
    saved = report()
    moderator, admin = officer("moderator"), officer("admin")
    shelters = moderator.get("/shelters", limit=1).json
    assert shelters is not None
    site = shelters["shelters"][0]["id"]
    for who, path, body in (
        (moderator, f"/reports/{saved.number}/notes", {"text": "x\x00y"}),
        (moderator, f"/shelters/{site}/status", {"status": "open", "note": "x\x00"}),
        (admin, "/tokens", {"role": "viewer", "label": "a\x00b"}),
        (admin, "/subscriptions", {"url": "https://example.org/", "label": "a\x00b"}),
        (moderator, "/incidents/1/split", {"reports": ["R-\x00"]}),
    ):
        response = who.post(path, body)
        assert response.status_code == 400, (path, response.json)
        assert response.json is not None and "NUL" in response.json["message"]
    assert moderator.get(f"/reports/{saved.number}/notes").json == {"notes": []}
