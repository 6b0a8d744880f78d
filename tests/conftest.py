"""Fixed personas used by every test: an Uppsala coordinator, a Danderyd coordinator, an organisation
admin, a viewer, a coordinator of another organisation, and participants in each region."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from tests.factories import ParticipantFactory, make_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MAIL_CATCHER_DIR = tmp_path / "mail"
    settings.SIGNUP_RATE = "1000/h"
    settings.LANGUAGE_CODE = "en"  # tests read English unless they choose a language
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only


@pytest.fixture
def world(db):
    """Two organisations; regions Uppsala, Danderyd and Luleå; staff personas; one project."""
    return make_world()


@pytest.fixture
def uppsala_coordinator(world):
    return world.uppsala_coordinator


@pytest.fixture
def danderyd_coordinator(world):
    return world.danderyd_coordinator


@pytest.fixture
def org_admin(world):
    return world.admin


@pytest.fixture
def viewer(world):
    return world.viewer


@pytest.fixture
def uppsala_participant(world):
    return ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        municipality_id="0380",
        first_name="Amal",
        last_name="Haddad",
        signed_up_at_date=date(2026, 3, 1),
    )


@pytest.fixture
def danderyd_participant(world):
    return ParticipantFactory(
        organisation=world.org,
        region=world.danderyd,
        municipality_id="0162",
        first_name="Karin",
        last_name="Lind",
        role="established",
    )


# Fixtures through which a test reaches a database (pytest-django's own; `world` and the personas request `db`).
# (Not django_db_blocker or django_db_setup: pytest-django's autouse fixtures put those into every test.)
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)


def touches_database(item: pytest.Item) -> bool:
    """True when a test has the django_db marker or needs, directly or through other fixtures, a database
    fixture. pytest-django blocks database access for every other test, so those cannot touch one."""
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """KOMPIS_DB_ONLY=1 (scripts/run-tests' PostgreSQL pass): only the tests that touch a database; the
    others already ran once in the SQLite pass and would only run again unchanged."""
    if os.environ.get("KOMPIS_DB_ONLY") != "1":
        return
    keep = [item for item in items if touches_database(item)]
    dropped = [item for item in items if not touches_database(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
        report = os.environ.get("KOMPIS_DB_ONLY_REPORT")  # under xdist the workers' output is not shown
        if report:
            Path(report).write_text(f"{len(dropped)}\n")
        if not hasattr(config, "workerinput"):
            print(
                f"\nKOMPIS_DB_ONLY: {len(dropped)} tests that touch no database deselected (they ran on SQLite)"
            )
