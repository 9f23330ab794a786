"""Tests for reports_api: storage, tokens and the officers' API."""
