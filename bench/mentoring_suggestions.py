"""Time mentor suggestions for a broker-console page at organisation scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \
        .venv/bin/python -m bench.mentoring_suggestions [members] [offers]

On a database filled by bench.generate (20,000 members, about 2,900 mentor
offers, 490 requests) it only reads: it times suggestions_for_requests for a
page of 10 open requests and counts queries. On a database without open
requests it builds its own organisation (`members` people, `offers` mentor
offers over 200 topics, 300 communities, 100,000 tagged items with helpful
marks and accepted answers, 50 open requests) in a throwaway test database
(test_<name>) that it drops afterwards, so the main bench database never
grows. Target: under 150 ms per page, a fixed query count.

It then times the broker console's rows for the first page
(mentoring.console): computed (after a bump of MATCHING_VERSION, which
writes only to the cache) and read from the cache (REDIS_URL, or the
process's memory without it).
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from taggit.models import Tag  # noqa: E402

from communities.models import Community, Membership  # noqa: E402
from config.gc_tuning import tune_from_environment  # noqa: E402
from knowledge.models import HelpfulMark, Item, ItemTag, Reply  # noqa: E402
from members.models import ExpertiseTag, LeadershipRole, User  # noqa: E402
from members.versioned_cache import bump  # noqa: E402
from mentoring.console import console_rows  # noqa: E402
from mentoring.models import MentoringRequest, MentorOffer, OfferTopic, RequestTopic  # noqa: E402
from mentoring.selectors import open_request_ids, open_requests  # noqa: E402
from mentoring.strengths import strengths_refresh  # noqa: E402
from mentoring.suggestions import (  # noqa: E402
    MATCHING_VERSION,
    suggestions_for_requests,
)

ROLES = [LeadershipRole.NONE] * 7 + [
    LeadershipRole.LINE_LEADER, LeadershipRole.EXECUTIVE, LeadershipRole.NETWORKER
]  # fmt: skip


def build(members: int, offers: int) -> None:
    rng = random.Random(7)
    tags = Tag.objects.bulk_create(
        [Tag(name=f"topic-{i}", slug=f"topic-{i}") for i in range(200)]
    )
    users = User.objects.bulk_create(
        [
            User(
                email=f"b{i}@bench.local", username=f"b{i}", display_name=f"B {i}",
                leadership_role=rng.choice(ROLES), password="!",  # noqa: S106 - unusable
            )
            for i in range(members)
        ],
        batch_size=2000,
    )  # fmt: skip
    ExpertiseTag.objects.bulk_create(
        [
            ExpertiseTag(content_object=u, tag=t)
            for u in users
            for t in rng.sample(tags, 2)
        ],
        batch_size=5000,
    )
    communities = Community.objects.bulk_create(
        [Community(name=f"C{i}", slug=f"c{i}", purpose="x") for i in range(300)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, community=c, status="active")
            for u in users
            for c in rng.sample(communities, 3)
        ],
        batch_size=5000,
    )
    mentor_offers = MentorOffer.objects.bulk_create(
        [MentorOffer(user=u, capacity=rng.randint(1, 3)) for u in users[:offers]]
    )
    OfferTopic.objects.bulk_create(
        [
            OfferTopic(content_object=o, tag=t)
            for o in mentor_offers
            for t in rng.sample(tags, 3)
        ],
        batch_size=5000,
    )
    items = Item.objects.bulk_create(
        [
            Item(
                community=rng.choice(communities), kind="question", title="q",
                body="b", author=rng.choice(users),
            )
            for _ in range(100_000)
        ],
        batch_size=5000,
    )  # fmt: skip
    ItemTag.objects.bulk_create(
        [
            # bulk_create skips ItemTag.save(), which fills item_created_at.
            ItemTag(
                content_object=it, tag=rng.choice(tags), item_created_at=it.created_at
            )
            for it in items
        ],
        batch_size=5000,
    )
    HelpfulMark.objects.bulk_create(
        [
            HelpfulMark(item=it, user=rng.choice(users))
            for it in rng.sample(items, 40_000)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    answered = rng.sample(items, 10_000)
    replies = Reply.objects.bulk_create(
        [Reply(item=it, author=rng.choice(users), body="a") for it in answered],
        batch_size=5000,
    )
    for it, reply in zip(answered, replies, strict=True):
        it.accepted_reply = reply
    Item.objects.bulk_update(answered, ["accepted_reply"], batch_size=5000)
    reqs = MentoringRequest.objects.bulk_create(
        [
            MentoringRequest(mentee=u, goals="g", format="mentoring")
            for u in rng.sample(users[offers:], 50)
        ]
    )
    RequestTopic.objects.bulk_create(
        [
            RequestTopic(content_object=r, tag=t)
            for r in reqs
            for t in rng.sample(tags, 3)
        ]
    )


def _lift_statement_timeout(sender, connection, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # a job, not a request


connection_created.connect(_lift_statement_timeout, weak=False)


def measure() -> None:
    broker = User.objects.filter(is_staff=True).first() or User.objects.create_user(
        email="broker@bench.local", is_staff=True
    )
    page = list(open_requests()[:10])
    # As a web worker does (config/wsgi.py); GC_THRESHOLD=0 leaves it out.
    tune_from_environment()
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            found = suggestions_for_requests(page, viewer=broker, limit=5)
            took = time.perf_counter() - started
        print(
            f"page of {len(page)} requests: {took * 1000:.0f} ms, "
            f"{len(queries)} queries, {sum(map(len, found.values()))} suggestions"
        )
    single = page[:1]
    started = time.perf_counter()
    suggestions_for_requests(single, viewer=broker, limit=10)
    print(f"one request: {(time.perf_counter() - started) * 1000:.0f} ms")
    ids = list(open_request_ids()[:10])
    # The first computation also loads and compiles the templates.
    for label in ("computed", "computed", "from the cache", "from the cache"):
        if label == "computed":
            bump(MATCHING_VERSION)
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            rows = console_rows(ids, viewer=broker)
            took, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"console rows, {label}: {took * 1000:.1f} ms ({cpu * 1000:.1f} ms CPU), "
            f"{len(queries)} queries, {len(rows)} requests"
        )


def main():
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    offers = int(sys.argv[2]) if len(sys.argv) > 2 else 3_000
    if open_requests().exists() and MentorOffer.objects.exists():
        print(
            f"{User.objects.count()} members, {MentorOffer.objects.count()} offers "
            f"in {connection.settings_dict['NAME']} (read only)"
        )
        measure()
        return
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        build(members, offers)
        strengths_refresh()  # as beat's job would
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would
        print(f"built in {time.perf_counter() - started:.1f}s (throwaway database)")
        measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
