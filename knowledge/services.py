"""Writes to knowledge. Every state change goes through here."""

from django.db import transaction

from communities.services import community_record_activity
from knowledge.models import Item
from members.markup import markdown_to_html


@transaction.atomic
def item_create(
    *, author, community, kind: str, title: str, body: str, tags=()
) -> Item:
    """Publish an item in a community. Callers check permission first."""
    tags = sorted({t.strip().lower() for t in tags if t and t.strip()})
    item = Item(
        community=community,
        kind=kind,
        title=title.strip(),
        body=body,
        body_html=markdown_to_html(body),
        author=author,
        tag_names=" ".join(tags),
    )
    item.full_clean()
    item.save()
    if tags:
        item.tags.set(tags)
    community_record_activity(community_id=community.pk, at=item.created_at)
    return item
