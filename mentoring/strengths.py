"""Who has shown they know what: TopicStrength rows, one per (person, tag,
community), recomputed from knowledge's tables.

Mentor suggestions need, for the wanted tags, every mentor with helpful
items or accepted answers on them. Read live, that joins every item carrying a
popular tag (tens of thousands at organisation scale: 3-4 s for a broker's
page); read from here it is a few index rows. The figures are as fresh as
the last refresh: beat runs `mentoring.strengths_refresh` every few minutes
(MENTORING_STRENGTHS_SECONDS), on the analytics queue.

Only people who offer to mentor are counted (the only ones suggestions
score): someone who makes an offer is scored on their knowledge from the
next refresh on, and on their topics and expertise at once.

Counted: helpful marks received on one's own visible items and on one's
visible replies to visible items (the items' and replies' `helpful_count`,
kept true by knowledge's services; a reply's marks count on its item's
tags) and accepted
answers one wrote (visible reply on a visible item), per tag of the item and
per community, so a reader filters by the communities the broker may see.
"""

from django.db import connection, transaction

from knowledge.models import Item, ItemTag, Reply
from mentoring.models import MentorOffer, TopicStrength
from mentoring.suggestions import matching_changed

_LOCK_KEY = 0x3E7A0517  # pg_advisory_xact_lock: one refresh at a time


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def strengths_refresh() -> int:
    """Recompute every row in one transaction (readers see the old rows until
    it commits); idempotent. Returns the number of rows."""
    item, item_tag, reply = _table(Item), _table(ItemTag), _table(Reply)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        cursor.execute(f"DELETE FROM {_table(TopicStrength)}")  # noqa: S608
        cursor.execute(
            f"""
            INSERT INTO {_table(TopicStrength)}
                (user_id, tag_id, community_id, helpful, accepted)
            SELECT user_id, tag_id, community_id, SUM(helpful), SUM(accepted)
            FROM (
                SELECT i.author_id AS user_id, t.tag_id, i.community_id,
                       i.helpful_count AS helpful, 0 AS accepted
                FROM {item_tag} t JOIN {item} i ON i.id = t.content_object_id
                WHERE i.hidden_at IS NULL AND i.helpful_count > 0
                UNION ALL
                SELECT r.author_id, t.tag_id, i.community_id, r.helpful_count, 0
                FROM {item_tag} t
                JOIN {item} i ON i.id = t.content_object_id
                JOIN {reply} r ON r.item_id = i.id
                WHERE i.hidden_at IS NULL AND r.hidden_at IS NULL
                  AND r.helpful_count > 0
                UNION ALL
                SELECT r.author_id, t.tag_id, i.community_id, 0, 1
                FROM {item_tag} t
                JOIN {item} i ON i.id = t.content_object_id
                JOIN {reply} r ON r.id = i.accepted_reply_id
                WHERE i.hidden_at IS NULL AND r.hidden_at IS NULL
            ) AS shown
            WHERE user_id IN (SELECT user_id FROM {_table(MentorOffer)})
            GROUP BY user_id, tag_id, community_id
            """  # noqa: S608 - table names from the models
        )
        # Unconditional: the refresh rewrites every row (every few minutes).
        matching_changed()
        return cursor.rowcount
