"""Cached reads that the services invalidate by bumping a version.

A cached value's key carries the current token of every version it depends
on ("tag:onboarding", "member-expertise"); a service that changes what the
value was computed from bumps those versions once its transaction commits,
so the next read misses and recomputes, and the old entries are never read
again (they expire). This is key-based expiry: nothing is deleted key by
key, and a reader racing a writer can only store under the old token.

Who may see what is never left to a bump: a value that depends on the
viewer's access is keyed by that access itself (the caller puts it in
`key`), so a permission change reaches the key at once.

Tokens are random, not counters: a version that Redis evicted or lost comes
back as a new token, never as an old one with entries still stored under it.
With Redis down every read is a miss (config.cache.FailOpenRedisCache) and
the value is computed as if there were no cache.
"""

import secrets
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

# A backstop for writes that do not bump (bulk jobs, the admin): no cached
# value outlives this.
DEFAULT_TIMEOUT = 10 * 60


def _version_key(name: str) -> str:
    return f"version:{name}"


def _new_token() -> str:
    return secrets.token_hex(6)


def versions(names: Iterable[str]) -> list[str]:
    """The current token of each version, creating the missing ones."""
    names = list(names)
    found = cache.get_many([_version_key(name) for name in names])
    tokens = []
    for name in names:
        token = found.get(_version_key(name))
        if token is None:
            token = _new_token()
            # Two readers creating the same version agree on the first token.
            if not cache.add(_version_key(name), token, timeout=None):
                token = cache.get(_version_key(name)) or token
        tokens.append(token)
    return tokens


def bump(*names: str) -> None:
    """New tokens for `names` now and again once the current transaction
    commits: what was cached under the old ones is not read again. The
    second bump orphans anything a reader computed from the rows as they
    were before the commit and stored under the first new token."""
    if not names:
        return

    def renew():
        cache.set_many(
            {_version_key(name): _new_token() for name in set(names)}, timeout=None
        )

    renew()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(renew)


def cached(
    key: str,
    depends_on: Iterable[str],
    compute: Callable,
    *,
    timeout: int = DEFAULT_TIMEOUT,
):
    """`compute()`, cached under `key` until a version in `depends_on` is
    bumped (or `timeout` seconds pass). `compute` must not return None."""
    full_key = f"{key}@{'.'.join(versions(depends_on))}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def cached_many(
    depends_on: dict[str, str],
    compute_missing: Callable[[list[str]], dict],
    *,
    timeout: int = DEFAULT_TIMEOUT,
) -> dict:
    """`cached` for several keys at once, each depending on one version
    (`depends_on`: key -> version name): two cache reads, and one call of
    `compute_missing(keys)` for the keys that missed, which must return a
    value (not None) for each of them."""
    keys = list(depends_on)
    tokens = versions(depends_on[key] for key in keys)
    full_keys = {key: f"{key}@{token}" for key, token in zip(keys, tokens, strict=True)}
    found = cache.get_many(list(full_keys.values()))
    values = {key: found[full] for key, full in full_keys.items() if full in found}
    missing = [key for key in keys if key not in values]
    if missing:
        computed = compute_missing(missing)
        cache.set_many({full_keys[key]: computed[key] for key in missing}, timeout)
        values.update(computed)
    return values
