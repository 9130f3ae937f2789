import pytest


@pytest.fixture
def own_cache(settings):
    """A cache of this test's own: with REDIS_URL set, tests share one Redis
    database, and another xdist worker's test empties it (tests/conftest.py)
    between two views of a page that should be read from the cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "mentoring-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()
    return cache
