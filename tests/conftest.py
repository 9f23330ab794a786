"""Shared fixtures.

Real services are used when ``SONAE_TEST_REDIS_URL`` / ``SONAE_TEST_DATABASE_URL`` are set
(CI sets both); otherwise the in-process Redis twin and a temporary SQLite file are used.
Tests never reach beyond loopback: the guard below fails any such connection.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fakeredis
import pytest
import redis

REDIS_URL = os.environ.get("SONAE_TEST_REDIS_URL") or None
DATABASE_URL = os.environ.get("SONAE_TEST_DATABASE_URL") or None

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            if host != "localhost":
                raise RuntimeError(f"test tried to reach {host!r}: tests stay offline") from None
        else:
            if not ip.is_loopback:
                raise RuntimeError(f"test tried to reach {host!r}: tests stay offline")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _offline_guard() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


def _redis_backends() -> list[Any]:
    backends: list[Any] = ["twin"]
    backends.append(
        pytest.param("real", marks=pytest.mark.skipif(REDIS_URL is None, reason="SONAE_TEST_REDIS_URL unset"))
    )
    return backends


@pytest.fixture(params=_redis_backends())
def any_redis(request: pytest.FixtureRequest) -> Iterator[redis.Redis]:
    """Each backend in turn: the in-process twin, then real Redis when configured."""
    yield from _make_redis(request.param)


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    """Real Redis when configured, else the twin."""
    yield from _make_redis("real" if REDIS_URL else "twin")


def _make_redis(kind: str) -> Iterator[redis.Redis]:
    if kind == "real":
        assert REDIS_URL is not None
        client = redis.Redis.from_url(REDIS_URL)
        client.flushdb()
        yield client
        client.flushdb()
        client.close()
    else:
        client = fakeredis.FakeRedis(server=fakeredis.FakeServer())
        yield client


@pytest.fixture(scope="session")
def _pg_database() -> Iterator[str | None]:
    """A throw-away PostgreSQL database for this test session, when configured."""
    if DATABASE_URL is None:
        yield None
        return
    import sqlalchemy as sa

    from config.settings import normalise_database_url

    admin_url = normalise_database_url(DATABASE_URL)
    name = f"sonae_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(_pg_database: str | None, tmp_path: Path) -> Iterator[str]:
    """An empty database: a fresh PostgreSQL schema when configured, else a SQLite file."""
    if _pg_database is None:
        yield f"sqlite:///{(tmp_path / 'sonae.sqlite3').as_posix()}"
        return
    import sqlalchemy as sa

    engine = sa.create_engine(_pg_database, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    yield _pg_database
