"""Residents' reports for officers: storage, tokens and the ``/api/v1`` blueprint.

Never imports ``linebot`` or ``redis``: the bot hands over neutral ``NewReport`` values.
"""

from .api import URL_PREFIX, ApiOptions, init_api
from .db import (
    DatabaseUnavailable,
    alembic_config,
    check_connection,
    make_engine,
    session_factory,
    upgrade,
)
from .delivery import run_outbox_once, start_outbox_scheduler
from .models import LocationSource, ReportSource, ReportStatus, Role
from .pseudonym import pseudonymise
from .queries import Cursor, ReportFilter, ReportPage, get_report, list_reports
from .store import NewReport, ReportStore, report_number
from .tokens import TokenInfo, authenticate, create_token, revoke
from .views import SavedReport

__all__ = [
    "URL_PREFIX",
    "ApiOptions",
    "Cursor",
    "DatabaseUnavailable",
    "LocationSource",
    "NewReport",
    "ReportFilter",
    "ReportPage",
    "ReportSource",
    "ReportStatus",
    "ReportStore",
    "Role",
    "SavedReport",
    "TokenInfo",
    "alembic_config",
    "authenticate",
    "check_connection",
    "create_token",
    "get_report",
    "init_api",
    "list_reports",
    "make_engine",
    "pseudonymise",
    "report_number",
    "revoke",
    "run_outbox_once",
    "session_factory",
    "start_outbox_scheduler",
    "upgrade",
]
