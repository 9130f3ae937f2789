"""Fill a PostgreSQL database with an organisation at Practica's target scale:
20,000 members, 300 communities, 300,000 items, about 1,000,000 replies,
helpful marks, shares, adoptions, tags, memberships, notifications and
mentoring offers and requests. Set-based SQL (INSERT ... SELECT over
generate_series) keeps it under ten minutes on two cores.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \
        .venv/bin/python -m bench.generate [--members N --communities N --items N]

The organisation is skewed as real ones are: community sizes follow a Zipf
law, so the largest few hold tens of thousands of items and hundreds of
members sit beside many small ones. Everything is a function of the row
number (hashint8), so two runs at the same scale produce the same data.

Every generated member logs in with the e-mail benchN@example.com (N from 1)
and the password in BENCH_PASSWORD; bench-staff@example.com is staff. The
hash is computed once with the first hasher of the settings in force
(PBKDF2 under local and production settings), so the real stack can be
load-tested (bench.run does).

Table and column names come from each model's _meta, and every NOT NULL
column the generator does not set gets the field's default, so a model that
moves app or grows a column with a default does not break it.
"""

import argparse
import json
import math
import os
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

MEMBERS = 20_000
COMMUNITIES = 300
ITEMS = 300_000
REPLIES_PER_ITEM = 3.3  # about 1,000,000 replies at full scale
BENCH_PASSWORD = "practica-bench-2026"  # noqa: S105 - documented bench login
STAFF_EMAIL = "bench-staff@example.com"
RESULTS = Path(__file__).resolve().parent / "results"

TAGS = [
    "onboarding", "lean", "safety", "shift-handover", "escalations", "key-accounts",
    "negotiation", "coaching", "mentoring", "strategy", "systems-thinking",
    "facilitation", "data-analysis", "forecasting", "storytelling", "interviews",
    "roadmapping", "troubleshooting", "culture", "customer-feedback", "hiring",
    "retrospectives", "okrs", "budgeting", "procurement", "quality", "5s",
    "kaizen", "root-cause", "maintenance", "supply-chain", "pricing", "onboarding-buddies",
    "remote-work", "feedback", "one-to-ones", "delegation", "change-management",
    "risk", "compliance", "audits", "training", "documentation", "automation",
    "dashboards", "customer-success", "churn", "sales-pipeline", "partnerships",
    "sustainability", "energy", "logistics", "scheduling", "inventory",
    "standard-work", "visual-management", "gemba", "a3-thinking", "value-streams",
    "design-reviews", "incident-review", "on-call", "accessibility", "ux-research",
    "product-discovery", "experiments", "pairing", "code-review", "testing",
    "architecture", "cloud-costs", "security", "privacy", "vendor-management",
    "contract-review", "wellbeing", "inclusion", "recognition", "succession",
    "career-paths", "public-speaking", "writing", "meetings", "decision-making",
]  # fmt: skip
TOPICS = [
    "onboarding", "shift handover", "escalations", "supplier audits", "night shifts",
    "key accounts", "price negotiation", "team coaching", "forecast reviews",
    "incident reviews", "line balancing", "machine changeovers", "customer churn",
    "quarterly planning", "budget cuts", "remote teams", "new managers",
    "safety walks", "quality gates", "release planning",
]  # fmt: skip
AREAS = [
    "Lean operations", "Customer success", "Engineering leadership", "Sales craft",
    "Safety first", "Supply chain", "Finance partners", "People leaders",
    "Data practice", "Product discovery", "Plant maintenance", "Quality circle",
    "Field service", "Procurement", "Facilitators", "Project managers",
    "Service desk", "Brand and content", "Legal and compliance", "Sustainability",
]  # fmt: skip
SITES = [
    "Lyon", "Porto", "Leeds", "Gdansk", "Turin", "Ghent", "Aarhus", "Brno",
    "Bilbao", "Graz", "Tampere", "Cork", "Utrecht", "Basel", "Malmo",
]  # fmt: skip
FIRST = [
    "Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas",
    "Kemal", "Lena", "Marta", "Nils", "Olu", "Priya", "Quentin", "Rosa", "Sami",
    "Tara", "Umar", "Vera", "Wen", "Xavi", "Yara", "Zoltan",
]  # fmt: skip
LAST = [
    "Lopez", "Okafor", "Nowak", "Rossi", "Schmidt", "Dubois", "Silva", "Jensen",
    "Kowalski", "Moreau", "Novak", "Costa", "Meyer", "Larsen", "Haddad", "Tanaka",
    "Fischer", "Murphy", "Santos", "Berg", "Ivanova", "Kaya", "Singh", "Popescu",
]  # fmt: skip
JOBS = [
    "Shift lead", "Engineer", "Account manager", "Analyst", "Plant manager",
    "Coach", "Product manager", "Buyer", "Technician", "Team lead", "Director",
]  # fmt: skip
OPENINGS = [
    "How we handled", "What we learned from", "A checklist for", "Ask: who has tried",
    "Our practice for", "Lessons from", "Notes on", "A story about",
    "Questions we ask about", "Three mistakes in",
]  # fmt: skip
SENTENCES = [
    "The context was a team under pressure and a deadline nobody chose.",
    "We started by listening to the people closest to the work.",
    "The first attempt failed because we skipped the handover notes.",
    "A short daily check-in made problems visible while they were still small.",
    "We wrote down the standard, then improved it every week.",
    "Customers noticed the difference within a month.",
    "The hardest part was agreeing on what good looks like.",
    "We paired newcomers with someone who had done it twice before.",
    "Measuring lead time instead of utilisation changed the conversation.",
    "Next time we would involve finance from the first week.",
    "It only stuck once the line leaders owned it themselves.",
    "We kept a log of every exception and reviewed it on Fridays.",
]  # fmt: skip
REPLIES = [
    "We tried something similar; the trick was a visible board.",
    "Thanks, this helped our team with the same problem last month.",
    "Have you talked to the people on the night shift about it?",
    "We do this every quarter and keep the notes in a shared page.",
    "What did you measure to know it worked?",
    "Our site solved it with a fifteen-minute stand-up at handover.",
    "I would add one step: ask the customer before changing anything.",
    "Happy to walk you through our checklist, ping me.",
]  # fmt: skip


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def rare_words(count: int = 5000) -> list[str]:
    """Made-up project code names: each one appears in only a few titles."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    words = []
    for n in range(count):
        word, x = "", n + 7
        for _ in range(3):
            word += consonants[x % 14] + vowels[(x // 14) % 5]
            x //= 70
        words.append(word + consonants[n % 14] + "ix")
    return words


def zipf_bounds(n: int, exponent: float) -> list[float]:
    """Upper bounds of the cumulative Zipf weights of ranks 1..n-1, for
    width_bucket(u, bounds): rank 1 is the largest."""
    weights = [1 / (k**exponent) for k in range(1, n + 1)]
    total, running, bounds = sum(weights), 0.0, []
    for w in weights[:-1]:
        running += w
        bounds.append(running / total)
    return bounds or [1.0]


class Progress:
    """A one-line progress bar on stderr (one line per step when piped)."""

    def __init__(self, steps: list[tuple[str, float]], stream=None, width: int = 30):
        self.weights = dict(steps)
        self.total = sum(self.weights.values())
        self.done = 0.0
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.perf_counter()
        self.tty = self.stream.isatty()
        self.timings: dict[str, float] = {}

    def show(self, label: str, fraction: float | None) -> None:
        """fraction: how far into `label` (None: it has just ended)."""
        part = 1 if fraction is None else min(1, fraction)
        share = (self.done + self.weights[label] * part) / self.total
        filled = int(share * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = time.perf_counter() - self.started
        line = f"[{bar}] {share * 100:3.0f}% {elapsed:6.1f}s  {label}"
        if self.tty:
            self.stream.write("\r" + line.ljust(78))
            self.stream.flush()
        elif fraction is None:  # one line per step when piped
            self.stream.write(line + "\n")

    @contextmanager
    def step(self, label: str):
        """Time one step; yields a callback taking the fraction done so far."""
        started = time.perf_counter()
        self.show(label, 0)
        yield lambda fraction: self.show(label, fraction)
        self.timings[label] = time.perf_counter() - started
        self.show(label, None)
        self.done += self.weights[label]

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


class Table:
    """`{Item}` formats as the model's quoted table, `{Item.author}` as the
    quoted column of that field (so a renamed table or app follows)."""

    def __init__(self, model):
        self._model = model

    def __format__(self, spec):
        from django.db import connection

        return connection.ops.quote_name(self._model._meta.db_table)

    def __getattr__(self, name):
        from django.db import connection

        meta = self._model._meta
        field = meta.pk if name == "pk" else meta.get_field(name)
        return connection.ops.quote_name(field.column)


def first_model(*labels):
    """The first of these models that is installed (models move between apps)."""
    from django.apps import apps

    for label in labels:
        try:
            return apps.get_model(label)
        except LookupError:
            continue
    raise LookupError(f"none of {labels} is installed")


def insert_sql(model, values: dict[str, str], source: str) -> tuple[str, list]:
    """INSERT INTO model's table SELECT `values` (field name -> SQL expression
    over `source`). Every other NOT NULL column gets the field's default."""
    from django.db import connection, models

    meta = model._meta
    columns, exprs, params = [], [], []
    given = dict(values)
    for field in meta.concrete_fields:
        if field.name in given:
            expr = given.pop(field.name)
        elif (
            field.primary_key
            or field.null
            or getattr(field, "db_default", models.NOT_PROVIDED)
            is not (models.NOT_PROVIDED)
        ):
            continue
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expr = "now()"
        elif field.has_default():
            expr = "%s"
            params.append(field.get_db_prep_save(field.get_default(), connection))
        elif field.empty_strings_allowed and field.blank:
            expr = "''"
        else:
            raise RuntimeError(
                f"{meta.label}.{field.name} is NOT NULL with no default: "
                "bench.generate must set it"
            )
        columns.append(connection.ops.quote_name(field.column))
        exprs.append(expr)
    if given:
        raise RuntimeError(f"{meta.label} has no field(s) {sorted(given)}")
    table = connection.ops.quote_name(meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)})\n"
        f"SELECT {', '.join(exprs)}\n{source}"
    )
    return sql, params


def h(expr: str, salt: int) -> str:
    """A deterministic pseudo-random non-negative int from an integer expression."""
    return f"(hashint8(({expr})::bigint * 1000003 + {salt}) & 2147483647)"


def u(expr: str, salt: int) -> str:
    """... and a uniform float in [0, 1)."""
    return f"({h(expr, salt)} / 2147483648.0)"


def pick(values: list[str], index: str) -> str:
    """values[index] in SQL, index counted from 0 (a literal array)."""
    return f"({text_array(values)})[1 + mod({index}, {len(values)})]"


def text_array(values: list[str]) -> str:
    quoted = ",".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"ARRAY[{quoted}]::text[]"


def float_array(values: list[float]) -> str:
    return "ARRAY[" + ",".join(f"{v:.8f}" for v in values) + "]::float8[]"


def slug_sql(expr: str) -> str:
    return f"trim(both '-' from regexp_replace(lower({expr}), '[^a-z0-9]+', '-', 'g'))"


def item_url_sql(slug: str, pk: str, title: str) -> str:
    """The item's address (the knowledge:item route) as an SQL expression."""
    from django.urls import reverse

    url = reverse(
        "knowledge:item",
        kwargs={"slug": "SLUGX", "pk": 987654321, "title_slug": "TITLEX"},
    )
    parts = []
    for chunk in url.replace("SLUGX", "\0").replace("987654321", "\1").split("\\"):
        parts.append(chunk)
    expr = "'" + url + "'"
    expr = expr.replace("SLUGX", f"' || {slug} || '")
    expr = expr.replace("987654321", f"' || {pk} || '")
    return expr.replace("TITLEX", f"' || left({slug_sql(title)}, 80) || '")


def models_used() -> dict:
    from allauth.account.models import EmailAddress
    from taggit.models import Tag

    from communities.models import Community, CommunityTag, Membership
    from knowledge.models import Adoption, HelpfulMark, Item, ItemTag, Reply
    from members.models import ExpertiseTag, InterestTag, User
    from mentoring.models import MentoringRequest, MentorOffer, OfferTopic, RequestTopic

    return {
        "User": User,
        "EmailAddress": EmailAddress,
        "Tag": Tag,
        "ExpertiseTag": ExpertiseTag,
        "InterestTag": InterestTag,
        "Community": Community,
        "CommunityTag": CommunityTag,
        "Membership": Membership,
        "Item": Item,
        "ItemTag": ItemTag,
        "Reply": Reply,
        "HelpfulMark": HelpfulMark,
        "Adoption": Adoption,
        "Notification": first_model(
            "notifications.Notification", "members.Notification"
        ),
        "MentorOffer": MentorOffer,
        "OfferTopic": OfferTopic,
        "MentoringRequest": MentoringRequest,
        "RequestTopic": RequestTopic,
    }


STEPS = [
    ("migrate", 5), ("members", 3), ("communities and tags", 0.3), ("memberships", 3),
    ("plan", 6), ("items", 30), ("shares and adoptions", 2), ("item tags", 8),
    ("replies", 30), ("accepted answers", 2), ("helpful marks", 10),
    ("notifications", 6), ("expertise and mentoring", 2), ("topic strengths", 3),
    ("analyze", 4),
    ("commit", 10),
]  # fmt: skip
KINDS = (
    ["question"] * 6
    + ["practice"] * 5
    + ["story"] * 3
    + ["lesson"] * 3
    + ["resource"] * 3
)


def generate(
    members: int = MEMBERS,
    communities: int = COMMUNITIES,
    items: int = ITEMS,
    *,
    replies_per_item: float = REPLIES_PER_ITEM,
    migrate: bool = True,
    fk_checks: bool = False,
    stream=None,
) -> dict[str, float]:
    """Generate the organisation; returns each step's wall time in seconds."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction

    if members < communities:
        raise SystemExit("need at least as many members as communities")
    progress = Progress(STEPS, stream=stream)
    with progress.step("migrate"):
        if migrate:
            call_command("migrate", verbosity=0)
    m = models_used()
    t = {name: Table(model) for name, model in m.items()}
    bench_users = m["User"].objects.filter(
        email__startswith="bench", email__endswith="@example.com"
    )
    if bench_users.exists():
        raise SystemExit("bench data already present; use a fresh database")
    password = make_password(BENCH_PASSWORD)  # once: the same hash for everyone
    n_tags = len(TAGS)
    item_bounds = float_array(zipf_bounds(communities, 1.0))
    member_bounds = float_array(zipf_bounds(communities, 0.9))
    tag_bounds = float_array(zipf_bounds(n_tags, 1.0))
    topic_bounds = float_array(zipf_bounds(len(TOPICS), 1.0))
    # E[floor(X)] = 1 / (e^(1/m) - 1) for X exponential with mean m.
    reply_mean = 1 / math.log(1 + 1 / replies_per_item) if replies_per_item else 0
    helpful_mean = 1 / math.log(1 + 1 / 2.0)
    chunks = max(1, min(10, items // 25_000))
    rare = rare_words()

    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        with connection.cursor() as cur:
            cur.execute("SET LOCAL synchronous_commit = off")
            cur.execute("SET LOCAL work_mem = '64MB'")
            # Single statements run for a minute at full scale: lift the web's
            # statement timeout, as Celery workers do.
            cur.execute("SET LOCAL statement_timeout = 0")
            if not fk_checks:
                # Rows are consistent by construction (and tests/bench checks
                # it): skip the per-row foreign-key triggers as pg_restore
                # --disable-triggers does, where the role is allowed to.
                cur.execute(
                    "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                )
                if cur.fetchone()[0]:
                    cur.execute("SET LOCAL session_replication_role = replica")

            def run(sql, params=()):
                cur.execute(sql.format(**t), list(params))

            def insert(name, values, source, params=()):
                sql, defaults = insert_sql(m[name], values, source)
                cur.execute(sql.format(**t), defaults + list(params))

            def chunked(step, lo, hi, body):
                """body(a, b) over [lo, hi] in `chunks` slices, moving the bar."""
                size = max(1, -(-(hi - lo + 1) // chunks))
                for n, a in enumerate(range(lo, hi + 1, size)):
                    body(a, min(hi, a + size - 1))
                    step((n + 1) * size / max(1, hi - lo + 1))

            with progress.step("members"):
                first, last = pick(FIRST, h("g", 1)), pick(LAST, h("g", 2))
                insert(
                    "User",
                    {
                        "password": "'" + password.replace("'", "''") + "'",
                        "is_superuser": "false",
                        "username": "'bench-' || g",
                        "first_name": first,
                        "last_name": last,
                        "email": "'bench' || g || '@example.com'",
                        "is_staff": "false",
                        "is_active": "true",
                        "date_joined": f"now() - mod({h('g', 3)}, 1500) * interval '1 day'",
                        "display_name": f"{first} || ' ' || {last} || ' ' || g",
                        "job_title": pick(JOBS, h("g", 4)),
                        "business_unit": f"'Unit ' || (1 + mod({h('g', 5)}, 40))",
                        "location": pick(SITES, h("g", 6)),
                        "leadership_role": pick(
                            ["none"] * 6
                            + ["line_leader"] * 2
                            + ["executive", "networker"],
                            h("g", 7),
                        ),
                    },
                    "FROM generate_series(1, %s) g",
                    [members],
                )
                run(
                    """CREATE TEMP TABLE bench_user ON COMMIT DROP AS
                    SELECT g AS n, x.{User.pk} AS id FROM generate_series(1, %s) g
                    JOIN {User} x ON x.{User.username} = 'bench-' || g;
                    CREATE UNIQUE INDEX ON bench_user (n)""",
                    [members],
                )
                staff = m["User"](
                    email=STAFF_EMAIL,
                    username="bench-staff",
                    display_name="Bench Staff",
                    is_staff=True,
                    password=password,
                )
                staff.save()
                insert(
                    "EmailAddress",
                    {
                        "user": "x.{User.pk}",
                        "email": "x.{User.email}",
                        "verified": "true",
                        "primary": "true",
                    },
                    "FROM {User} x WHERE x.{User.pk} IN (SELECT id FROM bench_user) "
                    "OR x.{User.pk} = %s",
                    [staff.pk],
                )

            with progress.step("communities and tags"):
                insert(
                    "Tag",
                    {"name": "n", "slug": "n"},
                    f"FROM unnest({text_array(TAGS)}) n ON CONFLICT DO NOTHING",
                )
                run(
                    f"""CREATE TEMP TABLE bench_tag ON COMMIT DROP AS
                    SELECT r.rank, x.{{Tag.pk}} AS id, r.name
                    FROM unnest({text_array(TAGS)}) WITH ORDINALITY AS r(name, rank)
                    JOIN {{Tag}} x ON x.{{Tag.name}} = r.name"""
                )
                name = (
                    f"{pick(AREAS, '(k - 1)')} || ' ' || "
                    f"{pick(SITES, f'(k - 1) / {len(AREAS)}')} || "
                    f"CASE WHEN k > {len(AREAS) * len(SITES)} THEN ' ' || k ELSE '' END"
                )
                insert(
                    "Community",
                    {
                        "name": name,
                        "slug": slug_sql(name),
                        "purpose": f"'Practice area: ' || {pick(AREAS, '(k - 1)')}",
                        "description": "'We share what works, ask early and write "
                        "down what we learn.'",
                        "description_html": "'<p>We share what works, ask early and "
                        "write down what we learn.</p>'",
                        "visibility": "CASE WHEN mod(k, 10) = 0 THEN 'private' "
                        "ELSE 'open' END",
                        "created_at": f"now() - (1100 + mod({h('k', 8)}, 300)) "
                        "* interval '1 day'",
                        "last_activity_at": "now()",
                    },
                    "FROM generate_series(1, %s) k",
                    [communities],
                )
                run(
                    f"""CREATE TEMP TABLE bench_comm ON COMMIT DROP AS
                    SELECT k, x.{{Community.pk}} AS id, mod(k, 10) = 0 AS private,
                        0 AS n_active
                    FROM generate_series(1, %s) k
                    JOIN {{Community}} x ON x.{{Community.slug}} = {slug_sql(name)};
                    CREATE UNIQUE INDEX ON bench_comm (k)""",
                    [communities],
                )
                insert(
                    "CommunityTag",
                    {"content_object": "c.id", "tag": "bt.id"},
                    f"""FROM bench_comm c CROSS JOIN generate_series(0, 1) j
                    JOIN bench_tag bt ON bt.rank = 1 + mod(c.k * 7 + j * (1 + mod(c.k, 5)),
                        {n_tags})""",
                )

            with progress.step("memberships"):
                # Everyone is in one community picked round-robin (so each has
                # members) and in 1-6 more, big communities drawing most.
                insert(
                    "Membership",
                    {
                        "user": "bu.id",
                        "community": "bc.id",
                        "role": "'member'",
                        "status": f"CASE WHEN bc.private AND p.j > 0 AND "
                        f"mod({h('p.n * 8 + p.j', 13)}, 12) = 0 "
                        "THEN 'pending' ELSE 'active' END",
                        "created_at": "p.joined",
                        "joined_at": f"CASE WHEN bc.private AND p.j > 0 AND "
                        f"mod({h('p.n * 8 + p.j', 13)}, 12) = 0 THEN NULL ELSE p.joined END",
                        "updated_at": "p.joined",
                    },
                    f"""FROM (
                        SELECT DISTINCT ON (n, k) n, k, j,
                            now() - mod({h("n * 8 + j", 14)}, 1000) * interval '1 day'
                                - mod({h("n * 8 + j", 15)}, 86400) * interval '1 second'
                                AS joined
                        FROM (
                            SELECT g AS n, j, CASE WHEN j = 0 THEN 1 + mod(g - 1, %s)
                                ELSE 1 + width_bucket({u("g * 8 + j", 11)}, {member_bounds})
                                END AS k
                            FROM generate_series(1, %s) g CROSS JOIN generate_series(0, 6) j
                            WHERE j < 2 + mod({h("g", 12)}, 6)
                        ) picks ORDER BY n, k, j
                    ) p
                    JOIN bench_user bu ON bu.n = p.n JOIN bench_comm bc ON bc.k = p.k""",
                    [communities, members],
                )
                # The earliest 1-3 active members of each community steward it.
                run(
                    """UPDATE {Membership} x SET {Membership.role} = 'steward'
                    FROM (SELECT ms.{Membership.pk} AS id, bc.k, row_number() OVER (
                            PARTITION BY ms.{Membership.community}
                            ORDER BY ms.{Membership.joined_at}, ms.{Membership.pk}) AS r
                          FROM {Membership} ms JOIN bench_comm bc
                            ON bc.id = ms.{Membership.community}
                          WHERE ms.{Membership.status} = 'active') s
                    WHERE x.{Membership.pk} = s.id AND s.r <= 1 + mod(s.k, 3)"""
                )
                run(
                    """CREATE TEMP TABLE bench_active ON COMMIT DROP AS
                    SELECT bc.k, ms.{Membership.user} AS user_id, row_number() OVER (
                        PARTITION BY bc.k ORDER BY ms.{Membership.pk}) AS rn
                    FROM {Membership} ms JOIN bench_comm bc
                        ON bc.id = ms.{Membership.community}
                    WHERE ms.{Membership.status} = 'active';
                    CREATE UNIQUE INDEX ON bench_active (k, rn);
                    UPDATE bench_comm bc SET n_active = s.n FROM (
                        SELECT k, count(*) AS n FROM bench_active GROUP BY k) s
                    WHERE s.k = bc.k; ANALYZE bench_active; ANALYZE bench_comm"""
                )
                # Staff stewards the largest community (its dashboard is measured).
                insert(
                    "Membership",
                    {
                        "user": str(int(staff.pk)),
                        "community": "bc.id",
                        "role": "'steward'",
                        "status": "'active'",
                        "created_at": "now() - interval '400 days'",
                        "joined_at": "now() - interval '400 days'",
                        "updated_at": "now()",
                    },
                    "FROM bench_comm bc WHERE bc.k = 1",
                )
                # The active-member counters, as the membership services keep them.
                from communities.services.counts import member_counts_recount

                member_counts_recount()

            with progress.step("plan"):
                cur.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)",
                    [str(format(t["Item"])), m["Item"]._meta.pk.column],
                )
                sequence = cur.fetchone()[0]
                topic = f"(1 + width_bucket({u('g', 30)}, {topic_bounds}))"
                popular_tag = f"width_bucket({u('g', 31)}, {tag_bounds})"
                tag_names = (
                    "array_to_string(ARRAY(SELECT DISTINCT x FROM unnest(ARRAY["
                    f"{pick(TAGS, popular_tag)}, "
                    f"CASE WHEN mod({h('g', 34)}, 3) > 0 THEN {pick(TAGS, h('g', 32))} END, "
                    f"CASE WHEN mod({h('g', 34)}, 3) > 1 THEN {pick(TAGS, h('g', 33))} END"
                    "]) x WHERE x IS NOT NULL ORDER BY x), ' ')"
                )
                topics_arr = f"({text_array(TOPICS)})"
                title = (
                    f"{pick(OPENINGS, h('g', 36))} || ' ' || {topics_arr}[{topic}] || "
                    f"' in the ' || initcap({pick(rare, h('g', 37))}) || ' project'"
                )
                body = (
                    f"{pick(SENTENCES, h('g', 38))} || ' This one is about ' || "
                    f"{topics_arr}[{topic}] || ' for the ' || {pick(rare, h('g', 37))} || "
                    f"' project at ' || {pick(SITES, h('g', 39))} || '. ' || "
                    f"{pick(SENTENCES, h('g', 40))} || ' ' || "
                    f"{pick(SENTENCES, h('g', 41))}"
                )
                run(
                    f"""CREATE TEMP TABLE bench_plan ON COMMIT DROP AS
                    SELECT s.g, nextval(%s) AS id, s.k, c.private, c.n_active,
                        a.user_id AS author_id, a.rn AS author_rn,
                        {pick(KINDS, h("s.g", 22))} AS kind, s.created_at,
                        s.title, s.body, s.tag_names,
                        CASE WHEN c.n_active < 2 THEN 0 ELSE least(60,
                            floor(-ln(1 - {u("s.g", 24)}) * {reply_mean}))::int
                            END AS n_replies,
                        mod({h("s.g", 25)}, 150) = 0 AS hide_last,
                        CASE WHEN c.n_active < 2 THEN 0 ELSE least(c.n_active - 1,
                            floor(-ln(1 - {u("s.g", 26)}) * {helpful_mean}))::int
                            END AS n_helpful,
                        (5 + mod({h("s.g", 27)}, 240)) * interval '1 minute' AS gap,
                        mod({h("s.g", 28)}, 300) = 0 AS hidden
                    FROM (SELECT g, 1 + width_bucket({u("g", 21)}, {item_bounds}) AS k,
                            now() - (3600 + mod({h("g", 23)}, 3 * 365 * 86400))
                                * interval '1 second' AS created_at,
                            {title} AS title, {body} AS body, {tag_names} AS tag_names
                          FROM generate_series(1, %s) g) s
                    JOIN bench_comm c ON c.k = s.k
                    JOIN bench_active a ON a.k = s.k
                        AND a.rn = 1 + floor(c.n_active * power({u("s.g", 35)}, 2))::int;
                    CREATE UNIQUE INDEX ON bench_plan (g); ANALYZE bench_plan""",
                    [sequence, items],
                )
                run("SELECT min(g), max(g) FROM bench_plan")
                lo, hi = cur.fetchone()

            search_vector = (
                "setweight(to_tsvector('english', coalesce(p.title, '')), 'A') || "
                "setweight(to_tsvector('english', coalesce(p.tag_names, '')), 'B') || "
                "setweight(to_tsvector('english', coalesce(p.body, '')), 'C')"
            )
            last_reply = "least(p.created_at + p.n_replies * p.gap, now())"
            with progress.step("items") as step:
                chunked(
                    step,
                    lo,
                    hi,
                    lambda a, b: insert(
                        "Item",
                        {
                            "id": "p.id",
                            "community": "c.id",
                            "kind": "p.kind",
                            "title": "p.title",
                            "body": "p.body",
                            "body_html": "'<p>' || p.body || '</p>'",
                            "tag_names": "p.tag_names",
                            "author": "p.author_id",
                            "created_at": "p.created_at",
                            "last_activity_at": f"CASE WHEN p.n_replies > 0 THEN "
                            f"{last_reply} ELSE p.created_at END",
                            "hidden_at": "CASE WHEN p.hidden THEN now() END",
                            "helpful_count": "p.n_helpful",
                            "reply_count": "p.n_replies - (p.hide_last AND p.n_replies > 0)::int",
                            "first_reply_at": "CASE WHEN p.n_replies > 0 THEN "
                            "least(p.created_at + p.gap, now()) END",
                            "search_vector": search_vector,
                        },
                        "FROM bench_plan p JOIN bench_comm c ON c.k = p.k "
                        "WHERE p.g BETWEEN %s AND %s",
                        [a, b],
                    ),
                )

            with progress.step("shares and adoptions"):
                # 1% of open communities' items are shared as linked copies into
                # a (usually big) community by one of its members.
                share_created = (
                    "least(p.created_at + (1 + mod(p.g, 30)) * interval '1 day', now())"
                )
                note = "'Worth a look for our teams too.'"
                insert(
                    "Item",
                    {
                        "community": "c2.id",
                        "kind": "p.kind",
                        "title": "p.title",
                        "body": "p.body",
                        "body_html": "'<p>' || p.body || '</p>'",
                        "tag_names": "p.tag_names",
                        "author": "p.author_id",
                        "created_at": share_created,
                        "last_activity_at": share_created,
                        "shared_from": "p.id",
                        "shared_by": "a2.user_id",
                        "share_note": note,
                        "search_vector": search_vector,
                    },
                    f"""FROM bench_plan p
                    JOIN bench_comm c2 ON c2.k = 1 + width_bucket({u("p.g", 42)},
                        {item_bounds})
                    JOIN bench_active a2 ON a2.k = c2.k
                        AND a2.rn = 1 + mod({h("p.g", 43)}, c2.n_active)
                    WHERE mod({h("p.g", 41)}, 100) = 0 AND NOT p.private AND NOT p.hidden
                        AND c2.k <> p.k
                    ON CONFLICT DO NOTHING""",
                )
                insert(
                    "Adoption",
                    {
                        "item": "p.id",
                        "community": "c2.id",
                        "origin_community": "i.{Item.community}",
                        "recorded_by": "a2.user_id",
                        "note": "'We run this now, with small changes.'",
                        "created_at": "i.{Item.created_at} + (i.{Item.last_activity_at} "
                        "- i.{Item.created_at}) / 2",
                    },
                    f"""FROM bench_plan p JOIN {{Item}} i ON i.{{Item.pk}} = p.id
                    JOIN bench_comm c2 ON c2.k = 1 + mod({h("p.g", 45)}, {communities})
                    JOIN bench_active a2 ON a2.k = c2.k
                        AND a2.rn = 1 + mod({h("p.g", 46)}, c2.n_active)
                    WHERE p.kind = 'practice' AND mod({h("p.g", 44)}, 60) = 0
                        AND NOT p.private AND NOT p.hidden AND c2.k <> p.k
                    ON CONFLICT DO NOTHING""",
                )

            with progress.step("item tags") as step:
                run("SELECT min({Item.pk}), max({Item.pk}) FROM {Item}")
                first_id, last_id = cur.fetchone()
                chunked(
                    step,
                    first_id,
                    last_id,
                    lambda a, b: insert(
                        "ItemTag",
                        {
                            "tag": "bt.id",
                            "content_object": "i.{Item.pk}",
                            "item_created_at": "i.{Item.created_at}",
                        },
                        """FROM {Item} i
                        CROSS JOIN LATERAL unnest(string_to_array(i.{Item.tag_names}, ' '))
                            AS n(name)
                        JOIN bench_tag bt ON bt.name = n.name
                        WHERE i.{Item.pk} BETWEEN %s AND %s""",
                        [a, b],
                    ),
                )

            reply_time = "least(p.created_at + j * p.gap, now())"
            with progress.step("replies") as step:
                chunked(
                    step,
                    lo,
                    hi,
                    lambda a, b: insert(
                        "Reply",
                        {
                            "item": "p.id",
                            "author": "a.user_id",
                            "body": f"{pick(REPLIES, h('p.g * 64 + j', 52))} || ' ' || "
                            f"{pick(SENTENCES, h('p.g * 64 + j', 53))}",
                            "body_html": f"'<p>' || {pick(REPLIES, h('p.g * 64 + j', 52))}"
                            f" || ' ' || {pick(SENTENCES, h('p.g * 64 + j', 53))} || '</p>'",
                            "created_at": reply_time,
                            "hidden_at": "CASE WHEN p.hide_last AND j = p.n_replies "
                            "THEN now() END",
                        },
                        f"""FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.n_replies) j
                        JOIN bench_active a ON a.k = p.k AND a.rn = 1 + mod(p.author_rn
                            + mod({h("p.g * 64 + j", 51)}, p.n_active - 1), p.n_active)
                        WHERE p.g BETWEEN %s AND %s AND p.n_replies > 0""",
                        [a, b],
                    ),
                )

            with progress.step("accepted answers"):
                # Two in five answered questions have an accepted (visible) answer.
                run(
                    f"""UPDATE {{Item}} i SET {{Item.accepted_reply}} = r.id
                    FROM bench_plan p CROSS JOIN LATERAL (
                        SELECT x.{{Reply.pk}} AS id FROM {{Reply}} x
                        WHERE x.{{Reply.item}} = p.id AND x.{{Reply.hidden_at}} IS NULL
                        ORDER BY x.{{Reply.created_at}}, x.{{Reply.pk}} LIMIT 1) r
                    WHERE i.{{Item.pk}} = p.id AND p.kind = 'question'
                        AND p.n_replies > 0 AND mod({h("p.g", 54)}, 5) < 2"""
                )

            with progress.step("helpful marks") as step:
                # Distinct members other than the author: author_rn shifted by
                # 1..n-1, consecutive offsets from a random start.
                chunked(
                    step,
                    lo,
                    hi,
                    lambda a, b: insert(
                        "HelpfulMark",
                        {
                            "item": "p.id",
                            "user": "a.user_id",
                            "created_at": f"least(p.created_at + (1 + mod("
                            f"{h('p.g * 256 + j', 61)}, 2000)) * interval '1 hour', now())",
                        },
                        f"""FROM bench_plan p CROSS JOIN LATERAL generate_series(0, p.n_helpful - 1) j
                        JOIN bench_active a ON a.k = p.k AND a.rn = 1 + mod(p.author_rn
                            + mod(mod({h("p.g", 62)}, p.n_active - 1) + j, p.n_active - 1),
                            p.n_active)
                        WHERE p.g BETWEEN %s AND %s AND p.n_helpful > 0""",
                        [a, b],
                    ),
                )

            with progress.step("notifications") as step:
                run("SELECT min({Reply.pk}), max({Reply.pk}) FROM {Reply}")
                first_reply, last_reply_id = cur.fetchone()
                url = item_url_sql(
                    "c.{Community.slug}", "i.{Item.pk}", "i.{Item.title}"
                )
                if first_reply is not None:
                    chunked(
                        step,
                        first_reply,
                        last_reply_id,
                        lambda a, b: insert(
                            "Notification",
                            {
                                "recipient": "i.{Item.author}",
                                "actor": "r.{Reply.author}",
                                "kind": "'knowledge.reply'",
                                "message": "left(actor.{User.display_name} || ' replied to “' "
                                "|| i.{Item.title} || '”', 300)",
                                "url": url,
                                "created_at": "r.{Reply.created_at}",
                                "read_at": "CASE WHEN r.{Reply.created_at} < now() - "
                                "interval '10 days' THEN r.{Reply.created_at} "
                                "+ interval '1 day' END",
                            },
                            f"""FROM {{Reply}} r JOIN {{Item}} i ON i.{{Item.pk}} = r.{{Reply.item}}
                            JOIN {{Community}} c ON c.{{Community.pk}} = i.{{Item.community}}
                            JOIN {{User}} actor ON actor.{{User.pk}} = r.{{Reply.author}}
                            WHERE r.{{Reply.pk}} BETWEEN %s AND %s
                                AND mod({h("r." + str(format(t["Reply"].pk)), 71)}, 3) = 0""",
                            [a, b],
                        ),
                    )

            with progress.step("expertise and mentoring"):
                for name, salt, share, most in (
                    ("ExpertiseTag", 81, 4, 3),
                    ("InterestTag", 83, 3, 2),
                ):
                    insert(
                        name,
                        {"content_object": "bu.id", "tag": "bt.id"},
                        f"""FROM (SELECT DISTINCT bu.id AS uid, 1 + width_bucket(
                                {u("bu.n * 8 + j", salt + 1)}, {tag_bounds}) AS rank
                            FROM bench_user bu CROSS JOIN generate_series(0, {most - 1}) j
                            WHERE mod({h("bu.n", salt)}, 10) < {share}
                                AND j <= mod({h("bu.n", salt + 2)}, {most})) s
                        JOIN bench_user bu ON bu.id = s.uid
                        JOIN bench_tag bt ON bt.rank = s.rank""",
                    )
                insert(
                    "MentorOffer",
                    {
                        "user": "bu.id",
                        "available": f"mod({h('bu.n', 85)}, 10) <> 0",
                        "capacity": f"1 + mod({h('bu.n', 86)}, 3)",
                        "offers_mentoring": "true",
                        "offers_peer_coaching": f"mod({h('bu.n', 87)}, 3) = 0",
                        "offers_thinking_partner": f"mod({h('bu.n', 88)}, 4) = 0",
                        "created_at": f"now() - mod({h('bu.n', 89)}, 700) * interval '1 day'",
                        "updated_at": "now()",
                    },
                    f"FROM bench_user bu WHERE mod({h('bu.n', 84)}, 7) = 0",
                )
                insert(
                    "OfferTopic",
                    {"content_object": "o.{MentorOffer.pk}", "tag": "bt.id"},
                    f"""FROM {{MentorOffer}} o JOIN bench_user bu
                        ON bu.id = o.{{MentorOffer.user}}
                    CROSS JOIN generate_series(0, 2) j
                    JOIN bench_tag bt ON bt.rank = 1 + mod({h("bu.n", 90)} + j * 11, {n_tags})
                    WHERE j <= mod({h("bu.n", 91)}, 3)""",
                )
                insert(
                    "MentoringRequest",
                    {
                        "mentee": "bu.id",
                        "goals": f"'Get better at ' || {pick(TOPICS, h('bu.n', 93))} "
                        "|| ' within six months.'",
                        "format": pick(
                            ["mentoring"] * 3 + ["peer_coaching", "thinking_partner"],
                            h("bu.n", 94),
                        ),
                        "status": f"CASE WHEN mod({h('bu.n', 95)}, 10) < 8 THEN 'open' "
                        "ELSE 'withdrawn' END",
                        "created_at": f"now() - mod({h('bu.n', 96)}, 120) * interval '1 day'",
                        "updated_at": "now()",
                    },
                    f"FROM bench_user bu WHERE mod({h('bu.n', 92)}, 40) = 0",
                )
                insert(
                    "RequestTopic",
                    {"content_object": "r.{MentoringRequest.pk}", "tag": "bt.id"},
                    f"""FROM {{MentoringRequest}} r JOIN bench_user bu
                        ON bu.id = r.{{MentoringRequest.mentee}}
                    CROSS JOIN generate_series(0, 2) j
                    JOIN bench_tag bt ON bt.rank = 1 + mod(
                        width_bucket({u("bu.n", 97)}, {tag_bounds}) + j * 13, {n_tags})
                    WHERE j <= mod({h("bu.n", 98)}, 3)""",
                )
                run(
                    """UPDATE {Community} x SET {Community.last_activity_at} = s.at
                    FROM (SELECT {Item.community} AS id, max({Item.last_activity_at}) AS at
                          FROM {Item} GROUP BY 1) s
                    WHERE x.{Community.pk} = s.id"""
                )

            with progress.step("topic strengths"):
                # As beat's mentoring.strengths_refresh would (mentor suggestions).
                from mentoring.models import TopicStrength
                from mentoring.strengths import strengths_refresh

                strengths_refresh()
                run(f"ANALYZE {format(Table(TopicStrength))}")

            with progress.step("analyze"):
                for model in m.values():
                    run(f"ANALYZE {format(Table(model))}")
    except BaseException:
        atomic.__exit__(*sys.exc_info())
        raise
    # Django creates foreign keys DEFERRABLE INITIALLY DEFERRED: unless they
    # were skipped above, PostgreSQL checks every inserted row here.
    with progress.step("commit"):
        atomic.__exit__(None, None, None)
    progress.finish()
    return progress.timings


def counts() -> dict[str, int]:
    m = models_used()
    return {name: model.objects.count() for name, model in m.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--communities", type=int, default=COMMUNITIES)
    parser.add_argument("--items", type=int, default=ITEMS)
    parser.add_argument("--replies-per-item", type=float, default=REPLIES_PER_ITEM)
    parser.add_argument(
        "--fk-checks",
        action="store_true",
        help="keep PostgreSQL's per-row foreign-key checks (slower)",
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    started = time.perf_counter()
    timings = generate(
        args.members,
        args.communities,
        args.items,
        replies_per_item=args.replies_per_item,
        fk_checks=args.fk_checks,
    )
    # Set hint bits and the visibility map now, as autovacuum would soon:
    # pages are then measured as on a settled production database.
    vacuum_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("VACUUM (ANALYZE)")
    timings["vacuum"] = time.perf_counter() - vacuum_started
    total = time.perf_counter() - started
    found = counts()
    RESULTS.mkdir(exist_ok=True)
    database = connection.settings_dict["NAME"]
    (RESULTS / f"generate-{database}.json").write_text(
        json.dumps(
            {
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": database,
                "seconds": round(total, 1),
                "steps": {k: round(v, 1) for k, v in timings.items()},
                "counts": found,
            },
            indent=2,
        )
        + "\n"
    )
    for label, seconds in timings.items():
        print(f"  {label:28} {seconds:7.1f}s")
    print(f"Generated in {total:.0f}s on {connection.settings_dict['NAME']}:")
    print("  " + ", ".join(f"{n} {name}" for name, n in found.items()))
    print(f"Log in as bench1@example.com (or {STAFF_EMAIL}) / {BENCH_PASSWORD}")


if __name__ == "__main__":
    main()
