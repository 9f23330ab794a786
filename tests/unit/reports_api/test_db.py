"""Engine set-up, migrations and the connection check, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from reports_api import DatabaseUnavailable, alembic_config, check_connection, make_engine, upgrade
from reports_api.models import Base, Report
from reports_api.store import report_number

from .conftest import new_report


def test_migrations_create_the_schema_on_an_empty_database(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # migrations must not depend on the working directory
    engine = make_engine(database_url)
    try:
        check_connection(engine)
        upgrade(engine)
        upgrade(engine)  # a second run is a no-op
        tables = set(sa.inspect(engine).get_table_names())
        assert {"reports", "api_tokens", "audit_entries", "incidents", "outbox", "alembic_version"} <= tables
        heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
        assert heads == {"0005_report_photos"}  # one linear history
        with engine.connect() as conn:
            assert set(conn.scalars(sa.text("SELECT version_num FROM alembic_version"))) == heads
    finally:
        engine.dispose()


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        command.check(alembic_config(conn))


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert "reports" not in sa.inspect(engine).get_table_names()
    upgrade(engine)
    assert "reports" in sa.inspect(engine).get_table_names()


def test_unreachable_database_names_the_host_not_the_password() -> None:
    engine = make_engine("postgresql://sonae:s3cret-pw@127.0.0.1:1/sonae")
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            check_connection(engine)
    finally:
        engine.dispose()
    assert "127.0.0.1:1/sonae" in str(caught.value)
    assert "s3cret-pw" not in str(caught.value)


def test_sqlite_has_foreign_keys_and_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_times_are_stored_as_utc_and_read_back_aware(engine: Engine) -> None:
    jst = timezone(timedelta(hours=9))
    with Session(engine) as session, session.begin():
        row = Report(
            number="R-TEST",
            source_event_id="evt-utc",
            received_at=datetime(2026, 11, 29, 9, 30, tzinfo=jst),
            reported_at=datetime(2026, 11, 29, 9, 29, tzinfo=jst),
            categories=[],
            reporter="rp_x",
            source="line",
            photos=[],
        )
        session.add(row)
    with Session(engine) as session:
        stored = session.scalars(sa.select(Report)).one()
    assert stored.received_at == datetime(2026, 11, 29, 0, 30, tzinfo=UTC)
    assert stored.received_at.tzinfo == UTC


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        new_report(received_at=datetime(2026, 11, 29, 9, 30))


def test_report_numbers_use_the_japanese_date() -> None:
    late_evening_utc = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)  # 01:00 on 30 Nov in Japan
    assert report_number(7, late_evening_utc) == "R-20261130-000007"


def test_reports_api_never_imports_linebot_or_redis() -> None:
    code = "import sys, reports_api; print(sorted({m.split('.')[0] for m in sys.modules} & {'linebot', 'redis'}))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
