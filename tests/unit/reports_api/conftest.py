"""Fixtures: a migrated database (SQLite or PostgreSQL), report makers, an Officer."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from werkzeug.test import TestResponse

from reports_api import (
    ApiOptions,
    NewReport,
    ReportStore,
    SavedReport,
    authenticate,
    create_token,
    init_api,
    make_engine,
    pseudonymise,
    upgrade,
)

PSEUDONYM_KEY = "test-pseudonym-key"
LINE_USER = "U" + "4af4980629" * 3 + "ab"  # shaped like a real LINE user id
FUJISAWA = ("藤沢市", "14205")
YOKOHAMA = ("横浜市", "14100")

_event_ids = itertools.count(1)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated, empty reports database."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> ReportStore:
    return ReportStore(engine)


def new_report(**changes: Any) -> NewReport:
    """A report from 藤沢市 as the bot would hand it over; override any field."""
    base = NewReport(
        source_event_id=f"01TESTEVENT{next(_event_ids):015d}",
        received_at=datetime(2026, 11, 29, 3, 0, tzinfo=UTC),
        reported_at=datetime(2026, 11, 29, 2, 59, tzinfo=UTC),
        reporter=pseudonymise(PSEUDONYM_KEY, LINE_USER),
        text="川が溢れそうです",
        categories=("flood",),
        lat=35.339,
        lon=139.490,
        location_source="line_location",
        location_precision_m=20.0,
        municipality=FUJISAWA[0],
        municipality_code=FUJISAWA[1],
    )
    return replace(base, **changes)


@pytest.fixture
def report(store: ReportStore) -> Callable[..., SavedReport]:
    """Save a report: ``report(municipality_code="14100", urgent=True)``."""

    def save(**changes: Any) -> SavedReport:
        return store.save(new_report(**changes))

    return save


def make_app(engine: Engine, **options: Any) -> Flask:
    app = Flask(__name__)
    app.config["TESTING"] = True
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    init_api(app, engine, ApiOptions(**options))
    return app


@pytest.fixture
def app(engine: Engine) -> Flask:
    return make_app(engine)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Officer:
    """A municipal officer calling the API with a bearer token."""

    def __init__(self, client: FlaskClient, token: str | None, engine: Engine | None = None) -> None:
        self.client = client
        self.token = token
        self.engine = engine

    @property
    def actor(self) -> str:
        """How the audit trail names this officer: ``token:<id>``."""
        assert self.token is not None
        info = authenticate(self.engine, self.token) if self.engine is not None else None
        assert info is not None
        return info.actor

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def lists(self, **params: Any) -> TestResponse:
        return self.client.get("/api/v1/reports", query_string=params, headers=self._headers())

    def opens(self, number: str) -> TestResponse:
        return self.client.get(f"/api/v1/reports/{number}", headers=self._headers())

    def get(self, path: str, **params: Any) -> TestResponse:
        return self.client.get(f"/api/v1{path}", query_string=params, headers=self._headers())

    def post(self, path: str, body: Any = None) -> TestResponse:
        return self.client.post(f"/api/v1{path}", json=body, headers=self._headers())

    def delete(self, path: str) -> TestResponse:
        return self.client.delete(f"/api/v1{path}", headers=self._headers())

    def verifies(self, number: str) -> TestResponse:
        return self.post(f"/reports/{number}/status", {"status": "verified"})

    def rejects(self, number: str, reason: str) -> TestResponse:
        return self.post(f"/reports/{number}/status", {"status": "rejected", "reason": reason})

    def numbers(self, **params: Any) -> list[str]:
        response = self.lists(**params)
        assert response.status_code == 200, response.json
        assert response.json is not None
        return [r["number"] for r in response.json["reports"]]


@pytest.fixture
def officer(client: FlaskClient, engine: Engine) -> Callable[..., Officer]:
    """An officer with a fresh token: ``officer("moderator", "14205")``."""

    def make(role: str = "viewer", *municipalities: str) -> Officer:
        return Officer(client, create_token(engine, role, municipalities, label=f"{role} {municipalities}"), engine)

    return make
