"""Alembic environment: runs on the connection passed in by ``reports_api.db``.

There is no alembic.ini; the config is built in code so migrations work from an
installed package and from any working directory.
"""

from __future__ import annotations

from alembic import context

# Every module that declares tables on Base, so comparisons (`alembic check`) see them all.
import evacuation.tables  # noqa: F401
import reports_api.photos
import reports_api.safety  # noqa: F401
from reports_api.models import Base

config = context.config
connection = config.attributes.get("connection")

if context.is_offline_mode() or connection is None:
    raise RuntimeError("reports_api migrations run only online, via reports_api.db.upgrade(engine)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    compare_type=True,
    # SQLite cannot ALTER most things; batch mode recreates tables instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
