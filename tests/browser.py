"""What the browser tests share: Debian's chromium driven by Playwright.

Playwright's own browser download does not work here, so the tests launch
/usr/bin/chromium; without it (or without Playwright) they are skipped with the reason.
The live demo site they visit is the `live_site` fixture in conftest.py.
"""

import os
import shutil

import pytest

from tools.desk_task import LAUNCH_ARGS  # noqa: F401 (the browser tests import it from here)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def require_browser():
    """Playwright's sync API, or skip the calling test module with the reason."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            "No browser: install Debian's chromium (apt-get install chromium)",
            allow_module_level=True,
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls are sync.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return sync_api
