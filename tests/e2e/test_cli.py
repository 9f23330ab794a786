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


def test_shelters_nearest_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shelters", "nearest", "--lat", "35.3387", "--lon", "139.4870", "--hazard", "tsunami", "--json"]) == 0
    sites = json.loads(capsys.readouterr().out)
    assert len(sites) == 5
    assert sites == sorted(sites, key=lambda s: s["distance_m"])
    assert all("tsunami" in s["hazards"] for s in sites)
