"""Settings for the test suite (pytest-django and mypy's Django plugin): the development settings with a
random key made for this run, never a published one. Set in the environment, so that the processes tests
start (workers, `kompis` commands) use the same settings and key."""

import os
import secrets

os.environ.setdefault("KOMPIS_ENV", "development")
os.environ.setdefault("SECRET_KEY", "kompis-tests-" + secrets.token_urlsafe(48))

from kompis.settings import *  # noqa: F403
