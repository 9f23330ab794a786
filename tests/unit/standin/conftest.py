"""Fixtures: a running stand-in, and the real line-bot-sdk clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, MessagingApiBlob

from bot.standin import LineStandin

TOKEN = "test-access-token"
SECRET = "0123456789abcdef0123456789abcdef"


class FakeClock:
    """A monotonic clock the test moves by hand, so token expiry needs no sleeping."""

    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def standin(clock: FakeClock) -> Iterator[LineStandin]:
    with LineStandin(TOKEN, reply_token_ttl_s=60.0, clock=clock) as running:
        yield running


def _client(standin: LineStandin, token: str = TOKEN) -> ApiClient:
    return ApiClient(Configuration(host=standin.base_url, access_token=token))


@pytest.fixture
def api_client(standin: LineStandin) -> Iterator[ApiClient]:
    with _client(standin) as client:
        yield client


@pytest.fixture
def api(api_client: ApiClient) -> MessagingApi:
    return MessagingApi(api_client)


@pytest.fixture
def blob_api(api_client: ApiClient) -> MessagingApiBlob:
    return MessagingApiBlob(api_client)


@pytest.fixture
def wrong_token_api(standin: LineStandin) -> Iterator[MessagingApi]:
    with _client(standin, token="not-the-token") as client:
        yield MessagingApi(client)
