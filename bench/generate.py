"""Fill a PostgreSQL database with an organisation at Practica's target scale:
20,000 members, 300 communities, 300,000 items (plus replies, helpful marks,
tags and adoptions). Set-based SQL keeps it to a few minutes on two cores.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \
        .venv/bin/python -m bench.generate [--members N --communities N --items N]
"""

import argparse
import os
import time

MEMBERS = 20_000
COMMUNITIES = 300
ITEMS = 300_000
TAGS = [
    "onboarding", "lean", "safety", "shift-handover", "escalations", "key-accounts",
    "negotiation", "coaching", "mentoring", "strategy", "systems-thinking",
    "facilitation", "data-analysis", "forecasting", "storytelling", "interviews",
    "roadmapping", "troubleshooting", "culture", "customer-feedback",
]  # fmt: skip


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def generate(members: int, communities: int, items: int, out=print) -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench.generate needs PostgreSQL (set DATABASE_URL)")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with connection.cursor() as cur:

        def step(label, sql, params=()):
            t = time.perf_counter()
            cur.execute(sql, params)
            out(f"  {label}: {time.perf_counter() - t:.1f}s")

        cur.execute("SELECT count(*) FROM members_user WHERE email LIKE 'bench%%'")
        if cur.fetchone()[0]:
            raise SystemExit("bench data already present; use a fresh database")
        out(f"Generating {members} members, {communities} communities, {items} items")
        roles = (
            "ARRAY['none','none','none','none','line_leader','executive','networker']"
        )
        step(
            "members",
            f"""INSERT INTO members_user (password, is_superuser, username, first_name,
                last_name, email, is_staff, is_active, date_joined, display_name,
                job_title, business_unit, location, bio, bio_html, leadership_role,
                digest_frequency, notification_emails)
            SELECT '!', false, 'bench-' || g, '', '', 'bench' || g || '@example.com',
                false, true, now() - (g %% 900) * interval '1 day', 'Bench Person ' || g,
                'Engineer', 'Unit ' || (g %% 40), 'City ' || (g %% 25), '', '',
                ({roles})[1 + g %% 7], 'weekly', 'digest'
            FROM generate_series(1, %s) g""",
            [members],
        )
        step(
            "tags",
            "INSERT INTO taggit_tag (name, slug) SELECT t, t FROM unnest(%s::text[]) t "
            "ON CONFLICT DO NOTHING",
            [TAGS],
        )
        step(
            "communities",
            """INSERT INTO communities_community (name, slug, purpose, description,
                description_html, visibility, created_at, last_activity_at)
            SELECT 'Bench community ' || g, 'bench-community-' || g,
                'Practice area number ' || g, '', '',
                CASE WHEN g %% 10 = 0 THEN 'private' ELSE 'open' END,
                now() - interval '2 years', now() - (g %% 60) * interval '1 hour'
            FROM generate_series(1, %s) g""",
            [communities],
        )
        # Each member joins 3 to 6 communities; community ids are looked up once.
        step(
            "memberships",
            """WITH u AS (SELECT id, row_number() OVER (ORDER BY id) n FROM members_user
                          WHERE email LIKE 'bench%%'),
                 c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 k,
                              count(*) OVER () total
                       FROM communities_community WHERE slug LIKE 'bench-%%')
            INSERT INTO communities_membership (user_id, community_id, role, status,
                created_at, joined_at, updated_at, digest_muted)
            SELECT DISTINCT ON (u.id, c.id) u.id, c.id,
                CASE WHEN j = 0 AND u.n %% 60 = 0 THEN 'steward' ELSE 'member' END,
                'active', now() - ((u.n * 7 + j) %% 700) * interval '1 day',
                now() - ((u.n * 7 + j) %% 700) * interval '1 day', now(), false
            FROM u CROSS JOIN generate_series(0, 5) j
            JOIN c ON c.k = (u.n * 37 + j * 101) %% c.total
            WHERE j < 3 + u.n %% 4""",
        )
        step(
            "authors",
            """CREATE TEMP TABLE bench_authors AS
            SELECT cm.user_id, cm.community_id, row_number() OVER (ORDER BY cm.id) n
            FROM communities_membership cm JOIN communities_community cc
              ON cc.id = cm.community_id WHERE cc.slug LIKE 'bench-%%';
            CREATE UNIQUE INDEX ON bench_authors (n); ANALYZE bench_authors""",
        )
        cur.execute("SELECT count(*) FROM bench_authors")
        authors = cur.fetchone()[0]
        step(
            "items",
            """INSERT INTO knowledge_item (community_id, kind, title, body, body_html,
                tag_names, author_id, created_at, last_activity_at, helpful_count,
                reply_count)
            SELECT m.community_id,
                (ARRAY['story','practice','lesson','question','resource'])[1 + g %% 5],
                'How we handled case ' || g || ' in ' || (ARRAY['onboarding','lean',
                    'escalations','handover'])[1 + g %% 4],
                'Context, challenge, what we did and what we learned, number ' || g,
                '<p>Context, challenge, what we did and what we learned, number ' || g
                    || '</p>',
                '', m.user_id, now() - (g %% 730) * interval '1 day' - g * interval '1 s',
                now() - (g %% 730) * interval '1 day', (g * 7) %% 13, 0
            FROM generate_series(1, %s) g
            JOIN bench_authors m ON m.n = 1 + (g::bigint * 7919) %% %s""",
            [items, authors],
        )
        step(
            "item tags",
            """INSERT INTO knowledge_itemtag (content_object_id, tag_id, item_created_at)
            SELECT i.id, t.id, i.created_at FROM knowledge_item i
            JOIN taggit_tag t ON t.name = (%s::text[])[1 + (i.id %% %s)]
            UNION ALL
            SELECT i.id, t.id, i.created_at FROM knowledge_item i
            JOIN taggit_tag t ON t.name = (%s::text[])[1 + ((i.id / 7 + 3) %% %s)]
            WHERE (i.id %% %s) <> ((i.id / 7 + 3) %% %s)""",
            [TAGS, len(TAGS), TAGS, len(TAGS), len(TAGS), len(TAGS)],
        )
        step(
            "tag names",
            """UPDATE knowledge_item i SET tag_names = s.names FROM (
                SELECT it.content_object_id, string_agg(t.name, ' ' ORDER BY t.name) names
                FROM knowledge_itemtag it JOIN taggit_tag t ON t.id = it.tag_id
                GROUP BY it.content_object_id) s WHERE s.content_object_id = i.id""",
        )
        step(
            "replies",
            """INSERT INTO knowledge_reply (item_id, author_id, body, body_html, created_at)
            SELECT i.id, cm.user_id, 'A reply with what worked for us.',
                '<p>A reply with what worked for us.</p>', i.created_at + interval '3 hours'
            FROM knowledge_item i
            JOIN LATERAL (SELECT user_id FROM communities_membership
                          WHERE community_id = i.community_id AND user_id <> i.author_id
                          ORDER BY id OFFSET (i.id %% 5) LIMIT 1) cm ON true
            WHERE i.id %% 3 <> 0""",
        )
        step(
            "reply counters",
            """UPDATE knowledge_item i SET reply_count = s.n, first_reply_at = s.first
            FROM (SELECT item_id, count(*) n, min(created_at) first FROM knowledge_reply
                  GROUP BY item_id) s WHERE s.item_id = i.id""",
        )
        step(
            "helpful marks",
            """INSERT INTO knowledge_helpfulmark (item_id, user_id, created_at)
            SELECT i.id, cm.user_id, i.created_at + interval '1 day'
            FROM knowledge_item i
            JOIN LATERAL (SELECT user_id FROM communities_membership
                          WHERE community_id = i.community_id AND user_id <> i.author_id
                          ORDER BY id LIMIT (i.helpful_count %% 4)) cm ON true""",
        )
        step(
            "helpful counters",
            """UPDATE knowledge_item i SET helpful_count = coalesce(s.n, 0)
            FROM knowledge_item i2 LEFT JOIN (SELECT item_id, count(*) n
                  FROM knowledge_helpfulmark GROUP BY item_id) s ON s.item_id = i2.id
            WHERE i2.id = i.id""",
        )
        step(
            "search vectors",
            """UPDATE knowledge_item SET search_vector =
                setweight(to_tsvector('english', title), 'A')
                || setweight(to_tsvector('english', tag_names), 'B')
                || setweight(to_tsvector('english', body), 'C')""",
        )
        step("analyze", "ANALYZE")
    out(f"Done in {time.perf_counter() - started:.0f}s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--communities", type=int, default=COMMUNITIES)
    parser.add_argument("--items", type=int, default=ITEMS)
    args = parser.parse_args()
    setup_django()
    generate(args.members, args.communities, args.items)


if __name__ == "__main__":
    main()
