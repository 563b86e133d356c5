"""The test suite's settings: the one settings module, with a key made for the run.

Outside DEBUG a missing SECRET_KEY stops the process, and the suite runs with DEBUG
off as production does. The key goes into the environment, so the processes that the
tests start (Celery workers, manage.py commands) share it.
"""

from __future__ import annotations

import os
import secrets

os.environ.setdefault("SECRET_KEY", "test-" + secrets.token_urlsafe(40))

from config.settings import *  # noqa: F403
