"""Shelters through the officers' API: list with status, history, scoped and audited updates."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from evacuation import ShelterIndex

from .conftest import Officer

YOKOHAMA_CODE = "14100"


@pytest.fixture(scope="module")
def yokohama_site() -> str:
    site = next(s for s in ShelterIndex.load_default().sites if s.municipality_code.startswith(YOKOHAMA_CODE))
    return site.id


def test_an_officer_opens_a_shelter_and_sees_it_listed(officer: Callable[..., Officer], yokohama_site: str) -> None:
    moderator = officer("moderator", YOKOHAMA_CODE)
    listed = moderator.get("/shelters", limit=5).json
    assert listed is not None and len(listed["shelters"]) == 5 and listed["next_cursor"]
    assert all(s["municipality"]["code"] == YOKOHAMA_CODE for s in listed["shelters"])
    assert all(s["status"] is None for s in listed["shelters"])
    changed = moderator.post(
        f"/shelters/{yokohama_site}/status", {"status": "open", "crowding": "crowded", "head_count": 120}
    )
    assert changed.status_code == 200, changed.json
    assert changed.json is not None and changed.json["status"]["crowding"] == "crowded"
    opened = moderator.get("/shelters", status="open").json
    assert opened is not None and [s["id"] for s in opened["shelters"]] == [yokohama_site]
    detail = moderator.get(f"/shelters/{yokohama_site}").json
    assert detail is not None and [h["status"] for h in detail["history"]] == ["open"]
    assert detail["history"][0]["author"] == moderator.actor


def test_shelter_scope_roles_and_validation(officer: Callable[..., Officer], yokohama_site: str) -> None:
    fujisawa = officer("moderator", "14205")
    assert fujisawa.get(f"/shelters/{yokohama_site}").status_code == 404
    assert fujisawa.post(f"/shelters/{yokohama_site}/status", {"status": "open"}).status_code == 404
    assert fujisawa.get("/shelters", municipality=YOKOHAMA_CODE).status_code == 403
    listed = fujisawa.get("/shelters", limit=500).json
    assert listed is not None and all(s["municipality"]["code"] == "14205" for s in listed["shelters"])
    assert officer("viewer").post(f"/shelters/{yokohama_site}/status", {"status": "open"}).status_code == 403
    prefecture = officer("moderator")
    bad = prefecture.post(f"/shelters/{yokohama_site}/status", {"status": "closed", "crowding": "full"})
    assert bad.status_code == 400 and bad.json is not None and "crowding" in bad.json["message"]
    assert prefecture.post("/shelters/NO-SUCH-SITE/status", {"status": "open"}).status_code == 404
    assert prefecture.get("/shelters", status="maybe").status_code == 400
