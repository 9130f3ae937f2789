"""Reads for the @mention typeahead: the people (and role groups) an author
may mention in a community, by the start of their name or handle."""

from django.db.models.functions import Collate, Lower

from knowledge.mentions import GROUPS
from knowledge.watching import readers_q
from members.models import User

SUGGESTIONS = 8


def _starting_with(field: str, q: str, community, author, limit: int):
    """Readers of `community` whose lower-cased `field` starts with `q`,
    first `limit` in byte order: one range of members' "C"-collated prefix
    index (member_name_prefix / member_handle_prefix), read in order, so the
    cost does not grow with the number of members or matches."""
    # The smallest string after every string starting with q, in byte order.
    after = q[:-1] + chr(ord(q[-1]) + 1)
    return (
        User.objects.annotate(key=Collate(Lower(field), "C"))
        .filter(readers_q(community), key__gte=q, key__lt=after)
        .exclude(pk=author.pk)
        .order_by("key")
        .values_list("pk", "username", "display_name", "job_title")[:limit]
    )


def mention_suggestions(*, community, author, q: str, groups: bool, limit=SUGGESTIONS):
    """Up to `limit` people who may read `community` whose display name or
    username starts with `q` (case-insensitive), by name; then the role groups
    whose handle starts with it when `groups` (the author may use them). One
    query: the first few by name and by handle, as a UNION ALL."""
    q = q.strip().lstrip("@").lower()[:60]
    if not q:
        return []
    rows = _starting_with("display_name", q, community, author, limit).union(
        _starting_with("username", q, community, author, limit), all=True
    )
    people = {pk: (username, name, title) for pk, username, name, title in rows}
    ordered = sorted(people.values(), key=lambda p: (p[1].lower(), p[0]))[:limit]
    found = [
        {"handle": username, "name": name, "detail": title, "kind": "person"}
        for username, name, title in ordered
    ]
    if groups:
        found += [
            {"handle": handle, "name": str(label), "detail": "", "kind": "group"}
            for handle, (label, _which) in GROUPS.items()
            if handle.startswith(q)
        ]
    return found
