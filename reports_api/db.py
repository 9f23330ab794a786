"""Engine, connection check, migrations and sessions for the reports database.

Engines hide SQL parameters in error messages: they carry residents' text.

Nothing here runs at import time: the app factory calls :func:`make_engine` once,
then :func:`check_connection` and :func:`upgrade`, and injects the engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from config.settings import normalise_database_url

__all__ = [
    "MIGRATIONS_DIR",
    "DatabaseUnavailable",
    "alembic_config",
    "check_connection",
    "make_engine",
    "session_factory",
    "upgrade",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached; the message names the host, never the password."""


def make_engine(url: str) -> Engine:
    """An engine for ``url``: SQLite with foreign keys and WAL, PostgreSQL with pre-ping."""
    url = normalise_database_url(url)
    if sa.make_url(url).get_backend_name() == "sqlite":
        engine = sa.create_engine(url, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args={"connect_timeout": 10})


def _sqlite_lower(value: object) -> object:
    """Python's lower(): SQLite's own folds only ASCII letters (see ``queries.text_lower``)."""
    return value.lower() if isinstance(value, str) else value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.create_function("sonae_lower", 1, _sqlite_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # Concurrent writers wait for each other rather than fail at once.
        cursor.execute("PRAGMA busy_timeout=10000")
    finally:
        cursor.close()


def _where(engine: Engine) -> str:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database or ':memory:'}"
    port = f":{url.port}" if url.port else ""
    return f"{url.host or 'localhost'}{port}/{url.database or ''}"


def check_connection(engine: Engine) -> None:
    """Run ``SELECT 1``; raise :class:`DatabaseUnavailable` naming the host when it fails."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        password = engine.url.password
        if password:
            reason = reason.replace(str(password), "***")
        raise DatabaseUnavailable(f"cannot reach the reports database at {_where(engine)}: {reason}") from None


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic config built in code, independent of the working directory."""
    cfg = Config()
    # ConfigParser interpolates '%', which may appear in an install path.
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Migrate the database to ``revision`` (every branch head by default) in one transaction."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
