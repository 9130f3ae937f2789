"""Typeahead, similar questions and related items at organisation scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \
        .venv/bin/python -m bench.findability [--sample 100] [--embeddings]

On the database from `bench.generate` (300,000 items). It applies pending
migrations (knowledge 0004 adds pg_trgm, the title trigram index and the
similarity table), computes similarity rows for a sample of items of the
largest community (timing the job), then times, in this process through
Django's test client (middleware, session, view, JSON or HTML):
- the header typeahead (`/search/suggest/`) for typed prefixes and words,
- the similar-questions fragment (`/similar/`) for paraphrased titles,
- the related panel's read (`related_for`) and the item page with it,
for a member of the largest community. p50/p95 in milliseconds over
`--repeat` rounds after a warm-up; query counts from the server. It writes
only similarity rows (and a session). A measurement, not a test.
"""

import argparse
import json
import os
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

TYPED = [
    "sh",
    "shift",
    "shift hand",
    "onboard",
    "safety walks",
    "supplier audits",
    "remote teams",
    "budget",
    "Letubavix",
    "jonas",
    "kaya",
    "lean",
    "escal",
    "quokka",
]


def percentiles(samples):
    samples = sorted(samples)
    return (
        round(statistics.median(samples), 1),
        round(samples[int(0.95 * (len(samples) - 1))], 1),
    )


def timed(fn, repeat):
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--embeddings", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from communities.models import Community, Membership
    from knowledge import similarity
    from knowledge.models import Item

    settings.SIMILARITY_EMBEDDINGS = args.embeddings
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    biggest = (
        Item.objects.values("community_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    largest = Community.objects.get(pk=biggest["community_id"])
    member = (
        Membership.objects.filter(community=largest, status="active")
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    client = Client()
    client.force_login(member)
    report = {
        "when": datetime.now(UTC).isoformat(),
        "items": Item.objects.count(),
        "embeddings": args.embeddings,
        "load_average": os.getloadavg(),
    }

    def get(url, params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        return len(queries)

    # Typeahead.
    samples, counts = [], set()
    for q in TYPED:
        counts.add(get("/search/suggest/", {"q": q}))
        samples += timed(lambda q=q: get("/search/suggest/", {"q": q}), args.repeat)
    report["typeahead_ms"] = percentiles(samples)
    report["typeahead_queries"] = sorted(counts)

    # The similarity job on a sample of the largest community's newest items.
    sample = list(
        Item.objects.filter(community=largest, hidden_at__isnull=True)
        .order_by("-created_at")
        .values_list("pk", flat=True)[: args.sample]
    )
    job = []
    for pk in sample:
        started = time.perf_counter()
        similarity.similarity_refresh(item_id=pk, force=True)
        job.append((time.perf_counter() - started) * 1000)
    report["similarity_job_ms"] = percentiles(job)

    # Related: the panel's read, and the whole item page.
    items = list(Item.objects.filter(pk__in=sample).select_related("community"))
    samples = []
    for item in items[:50]:
        samples += timed(
            lambda item=item: similarity.related_for(item=item, viewer=member),
            args.repeat // 4 or 1,
        )
    report["related_read_ms"] = percentiles(samples)
    shown = [len(similarity.related_for(item=item, viewer=member)) for item in items]
    report["related_shown_mean"] = round(statistics.mean(shown), 2)
    samples = []
    for item in items[:10]:
        samples += timed(
            lambda item=item: get(item.get_absolute_url(), {}), args.repeat // 4 or 1
        )
    report["item_page_ms"] = percentiles(samples)

    # Similar questions for paraphrased titles.
    pairs = [
        json.loads(line)
        for line in (HERE / "duplicates.jsonl").read_text().splitlines()[:20]
    ]
    samples, counts = [], set()
    for pair in pairs:
        counts.add(get("/similar/", {"title": pair["paraphrase"]}))
        samples += timed(
            lambda p=pair: get("/similar/", {"title": p["paraphrase"]}),
            args.repeat // 4 or 1,
        )
    report["similar_ms"] = percentiles(samples)
    report["similar_queries"] = sorted(counts)
    report["load_average_end"] = os.getloadavg()
    print(json.dumps(report, indent=2))
    out = HERE / "results" / f"findability-{datetime.now(UTC):%Y-%m-%dT%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
