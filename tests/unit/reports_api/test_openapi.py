"""The OpenAPI document, the offline docs page, and a schema-based fuzz run that finds no 5xx."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok
from sqlalchemy.engine import Engine

from reports_api import SavedReport, create_token

from .conftest import LINE_USER, YOKOHAMA


def test_the_document_describes_every_route(client: FlaskClient, app: Flask) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec is not None and spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"bearerAuth": []}]
    documented = {
        (path, method.upper()) for path, item in spec["paths"].items() for method in item if method != "parameters"
    }
    routed = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api_v1.")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    assert routed == documented
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), (path, method)
            assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }


def test_the_interactive_docs_work_offline(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/api/v1/docs/assets/") for a in assets)  # no CDN
    for asset in assets:
        with client.get(asset) as response:
            assert response.status_code == 200


@pytest.fixture
def fuzz_app(app: Flask, engine: Engine, report: Callable[..., SavedReport]) -> Flask:
    report(urgent=True)
    report(municipality=YOKOHAMA[0], municipality_code=YOKOHAMA[1], lat=None, lon=None, place_text="駅前")
    app.config["FUZZ_TOKEN"] = create_token(engine, "admin", label="fuzz")
    return app


# A few examples per operation keeps the suite fast; derandomized so that CI runs are repeatable.
FUZZ = settings(max_examples=6, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))


def test_no_operation_answers_with_a_server_error(fuzz_app: Flask) -> None:
    """Schemathesis generates requests from the document for every operation (bounded: a few each)."""
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)
    headers = {"Authorization": f"Bearer {fuzz_app.config['FUZZ_TOKEN']}"}
    seen: list[str] = []
    for result in api.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        seen.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
        )
        def run(case: Any) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.formatted_path, response.status_code)
            assert LINE_USER not in response.text and re.search(r"U[0-9a-f]{32}", response.text) is None

        run()
    assert len(seen) >= 18
