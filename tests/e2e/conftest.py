"""The whole stack on loopback: app + workers + LINE stand-in, on real services when configured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.embedded import EmbeddedStack
from bot.standin import WebhookDriver
from config import Settings, load_settings
from reports_api import create_token
from tests.conftest import REDIS_URL
from tests.people import LineUser, Officer


def stack_settings(tmp_path: Path, database_url: str) -> Settings:
    """Embedded settings on the twins, or real Redis + PostgreSQL when the suite is pointed at them."""
    env = {"SONAE_DATA_DIR": str(tmp_path / "var"), "SONAE_LOG_LEVEL": "INFO"}
    if REDIS_URL is not None and database_url.startswith("postgresql"):
        env |= {
            "SONAE_REDIS_URL": REDIS_URL,
            "SONAE_DATABASE_URL": database_url,
            "SONAE_LINE_CHANNEL_SECRET": "test-channel-secret",
            "SONAE_LINE_CHANNEL_ACCESS_TOKEN": "test-access-token",
            "SONAE_PSEUDONYM_KEY": "test-pseudonym-key",
        }
    return load_settings(env)


@pytest.fixture
def stack(tmp_path: Path, database_url: str, redis_client: object) -> Iterator[EmbeddedStack]:
    # redis_client flushes the real Redis database before and after the test.
    settings = stack_settings(tmp_path, database_url)
    with EmbeddedStack(settings, workers=2, standin=True, migrate=True) as running:
        yield running


@pytest.fixture
def driver(stack: EmbeddedStack) -> WebhookDriver:
    assert stack.standin is not None
    return WebhookDriver(stack.url + "/callback", stack.settings.line_channel_secret, stack.standin)


@pytest.fixture
def resident(stack: EmbeddedStack, driver: WebhookDriver) -> LineUser:
    assert stack.standin is not None
    return LineUser(driver, stack.standin, "U" + "1a2b3c4d" * 4, timeout_s=30.0)


@pytest.fixture
def officer(stack: EmbeddedStack) -> Officer:
    return Officer(stack.url, create_token(stack.runtime.engine, "viewer", label="prefecture duty officer"))
