"""reports_api."""
