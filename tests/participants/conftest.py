import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fast_passwords_and_clean_cache(settings, db):
    """Fast password hashes for the fixed world; an empty rate-limit cache for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()
