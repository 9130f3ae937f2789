"""Rendered fragments of list pages (a row, a card), cached by what they show.

A fragment that shows nothing about who is looking but their language and
time zone can be keyed by the values it shows: the key is a digest of those
values (with the language, the time zone and the fragment template's own
text), so any change to them reads as a new key at once and nothing has to
be invalidated; an old key is simply never asked for again and expires.
Unlike members.versioned_cache, no service has to remember to bump anything.

The caller names the values (`shown`): every value the template reads must
be among them, or a change to it would not show. A fragment is only looked
up for an object the page's own permission-checked read returned, so no one
is served a fragment of something they may not see. One cache round trip
per list; with Redis down every fragment is rendered (a miss).
"""

import functools
import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

# Keys change with their content, so this only bounds what an idle cache keeps.
TIMEOUT = 60 * 60


@functools.cache
def _template_digest(template_name: str) -> str:
    """The template's own text is in every key: a deploy that changes the
    fragment never reads one rendered by the old template."""
    source = get_template(template_name).template.source
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def fragment_key(template_name: str, shown: tuple) -> str:
    return _keys(template_name)(shown)


def _keys(template_name: str) -> Callable[[tuple], str]:
    """fragment_key() for one template in this request's language and time
    zone, which are asked once (they cost ~30 us a call, a list's keys ~0.6
    ms), not once per row."""
    context = (
        _template_digest(template_name),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )

    def key(shown: tuple) -> str:
        digest = hashlib.sha256(repr((*context, shown)).encode()).hexdigest()[:32]
        return f"fragment:{template_name}:{digest}"

    return key


def rendered_fragments(
    template_name: str,
    objects: Iterable,
    *,
    shown: Callable[[object], tuple],
    context: Callable[[object], dict],
) -> list[SafeString]:
    """`template_name` rendered with `context(obj)` for each of `objects`, in
    their order; `shown(obj)` is every value that rendering reads."""
    objects = list(objects)
    key = _keys(template_name)
    keys = [key(shown(obj)) for obj in objects]
    found = cache.get_many(keys) if keys else {}
    fragments, missing = [], {}
    template = get_template(template_name)
    for obj, key in zip(objects, keys, strict=True):
        html = found.get(key)
        if html is None:
            html = str(template.render(context(obj)))
            missing[key] = html
        fragments.append(mark_safe(html))  # noqa: S308 - rendered by our template
    if missing:
        cache.set_many(missing, TIMEOUT)
    return fragments
