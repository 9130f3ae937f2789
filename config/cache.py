"""The Redis cache Practica runs on when REDIS_URL is set."""

from django_redis.cache import RedisCache, omit_exception


class FailOpenRedisCache(RedisCache):
    """django-redis with IGNORE_EXCEPTIONS turns a dead Redis into cache
    misses. `add` is the exception: a miss there reads as "someone else holds
    the lock", and allauth's rate limiter, which locks with `add`, would then
    answer 429 to every login. While Redis is down, `add` reports success:
    rate limits pause (logged) instead of locking everyone out."""

    @omit_exception(return_value=True)
    def add(self, *args, **kwargs):
        return self.client.add(*args, **kwargs)
