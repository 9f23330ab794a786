"""The ``sonae`` command as a newcomer and an officer use it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.chat import run_chat
from bot.cli import main
from config import load_settings

pytestmark = pytest.mark.slow


def test_chat_talks_to_the_bot_through_the_webhook(tmp_path: Path) -> None:
    settings = load_settings({"SONAE_DATA_DIR": str(tmp_path)})
    typed = io.StringIO("藤沢駅の近くで冠水しています\n1\n/loc 35.3387 139.4870\n/quit\n")
    out = io.StringIO()
    assert run_chat(settings, inp=typed, out=out) == 0
    screen = out.getvalue()
    assert "緊急通報ではありません" in screen  # the greeting on follow
    assert "送信しますか" in screen
    assert "受付番号" in screen  # quick reply 1 is 送信
    assert "避難場所" in screen  # the location got the nearest sites


def test_token_create_then_the_api_accepts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SONAE_DATA_DIR", str(tmp_path))
    for name in ("SONAE_REDIS_URL", "SONAE_DATABASE_URL", "SONAE_LINE_API_BASE", "SONAE_LINE_CHANNEL_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert main(["token", "create", "--role", "viewer", "--municipality", "14205", "--label", "藤沢市"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("sonae_")

    from bot.app import create_app

    app = create_app(env={"SONAE_DATA_DIR": str(tmp_path)}, start_worker=False)
    client = app.test_client()
    assert client.get("/api/v1/reports").status_code == 401
    response = client.get("/api/v1/reports", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["reports"] == []


def test_misconfiguration_exits_with_the_variables_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SONAE_REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.delenv("SONAE_DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 2
    assert "SONAE_DATABASE_URL" in capsys.readouterr().err


def test_shelters_nearest_prints_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SONAE_DATA_DIR", str(tmp_path))
    assert main(["shelters", "nearest", "--lat", "35.3387", "--lon", "139.4870", "--hazard", "tsunami", "--json"]) == 0
    sites = json.loads(capsys.readouterr().out)
    assert len(sites) == 5
    assert sites == sorted(sites, key=lambda s: s["distance_m"])
    assert all("tsunami" in s["hazards"] for s in sites)


def test_a_safety_campaign_reaches_consenting_residents_of_the_area(
    tmp_path: Path, database_url: str, redis_client: object, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from bot.embedded import EmbeddedStack
    from dialogue.profile import Profile, ProfileStore
    from tests.conftest import REDIS_URL
    from tests.e2e.conftest import stack_settings

    if REDIS_URL is None or not database_url.startswith("postgresql"):
        # Without real services the command refuses clearly rather than ask nobody.
        monkeypatch.setenv("SONAE_DATA_DIR", str(tmp_path))
        assert main(["campaign", "safety", "--title", "t", "--municipality", "14205"]) == 2
        assert "SONAE_REDIS_URL" in capsys.readouterr().err
        return
    settings = stack_settings(tmp_path, database_url)
    with EmbeddedStack(settings, standin=True, migrate=True) as stack:
        assert stack.standin is not None
        profiles = ProfileStore(stack.runtime.redis)
        profiles.save("U" + "f1" * 16, Profile(home_municipality_code="14205", area_messages=True))
        profiles.save("U" + "f2" * 16, Profile(home_municipality_code="14205", area_messages=False))
        for name, value in {
            "SONAE_REDIS_URL": REDIS_URL, "SONAE_DATABASE_URL": database_url,
            "SONAE_LINE_API_BASE": stack.standin.base_url,
            "SONAE_LINE_CHANNEL_SECRET": settings.line_channel_secret, "SONAE_PSEUDONYM_KEY": settings.pseudonym_key,
            "SONAE_LINE_CHANNEL_ACCESS_TOKEN": settings.line_channel_access_token,
        }.items():  # fmt: skip
            monkeypatch.setenv(name, value)
        assert main(["campaign", "safety", "--title", "藤沢市 大雨", "--municipality", "14205", "--id", "c1"]) == 0
        assert json.loads(capsys.readouterr().out) == {"campaign": "c1", "asked": 1, "already_asked": 0, "failed": 0}
        assert main(["campaign", "safety", "--title", "藤沢市 大雨", "--municipality", "14205", "--id", "c1"]) == 0
        assert json.loads(capsys.readouterr().out)["already_asked"] == 1  # re-running asks no one twice
        assert "ご無事ですか" in stack.standin.delivered("U" + "f1" * 16)[0]["text"]
        assert stack.standin.delivered("U" + "f2" * 16) == []
