"""Alembic migrations for the reports database (run via ``reports_api.db.upgrade``)."""
