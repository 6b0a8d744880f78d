import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache(db):
    cache.clear()
    yield
    cache.clear()
