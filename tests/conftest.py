"""Fixed personas used by every test: an Uppsala coordinator, a Danderyd coordinator, an organisation
admin, a viewer, a coordinator of another organisation, and participants in each region."""

from __future__ import annotations

import os
from datetime import date

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
