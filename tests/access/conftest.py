import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Password hashing dominates the fixed world's set-up; tests do not need a slow hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
