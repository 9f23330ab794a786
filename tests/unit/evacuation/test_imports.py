"""evacuation/ never pulls in the LINE SDK or Redis; its core never pulls in Flask either."""

from __future__ import annotations

import subprocess
import sys


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_core_and_cli_import_no_flask_linebot_or_redis() -> None:
    assert not loaded_after("import evacuation, evacuation.cli") & {"flask", "linebot", "redis"}


def test_storage_modules_import_no_linebot_or_redis() -> None:
    # They import reports_api's models (and so Flask, via that package's __init__): see docs/evacuation.md.
    modules = "evacuation.status, evacuation.live, evacuation.db_import, evacuation.cli_db"
    assert not loaded_after(f"import {modules}") & {"linebot", "redis"}
