"""Load-test Practica's main pages through the real stack and print one table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \
        .venv/bin/python -m bench.run [--requests 96] [--concurrency 8,32]

Against a database filled by bench.generate, it collects static files and
starts gunicorn (2 sync workers) on a free 127.0.0.1 port with
bench/settings.py (production settings, plus the floor view and a
query-count header), logs members in through the login page, then for each
concurrency level sends a bounded number of requests per page from that many
threads and records p50/p95. Every page is compared with the floor view
(/bench/floor/: base layout plus one primary-key query) measured in the same
run at the same concurrency. Jobs (dashboard snapshot, a custom-period
dashboard, mentor suggestions; --digests adds the weekly digests) are timed
once. Results go to bench/results/<time>.json and the table compares them
with the previous run at the same scale. Benchmarks inform, tests decide:
nothing here fails on a slow page.
"""

import argparse
import http.client
import json
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urljoin

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SETTINGS = "bench.settings"
DEEP = 2000  # items down the feed for "feed, 2,000 deep"
RARE_WORD = 1234  # index into bench.generate.rare_words(): ~60 titles at full scale


# --- HTTP -------------------------------------------------------------------


class Session:
    """Cookies for one logged-in member, over plain HTTP to 127.0.0.1, sent as
    if behind the production TLS proxy (X-Forwarded-Proto: https)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, content

    def get(self, path: str):
        return self.request("GET", path)

    def login(self, email: str, password: str) -> None:
        _response, page = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise SystemExit("no CSRF token on the login page")
        response, _ = self.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "login": email,
                "password": password,
            },
        )
        if response.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {email} failed ({response.status})")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
            "--timeout", "300", "--graceful-timeout", "5", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited at start")
        try:
            response, _ = Session(port).get("/healthz")
            if response.status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def load(sessions: list[Session], path: str, concurrency: int, total: int):
    """`total` GETs of `path` from `concurrency` threads (each its own
    session, round-robin); returns (latencies ms, statuses, query counts,
    wall seconds). A request that fails or times out counts as status 0."""
    latencies, statuses, queries = [], [], []
    lock = threading.Lock()
    per_thread = [
        total // concurrency + (i < total % concurrency) for i in range(concurrency)
    ]

    def worker(n: int):
        session = sessions[n % len(sessions)]
        for _ in range(per_thread[n]):
            started = time.perf_counter()
            try:
                response, _ = session.get(path)
                status = response.status
                count = int(response.getheader("X-Bench-Queries") or -1)
            except OSError:
                status, count = 0, -1
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses.append(status)
                queries.append(count)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, queries, time.perf_counter() - started


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def follow_next(session: Session, path: str, hops: int) -> tuple[str, int]:
    """Follow the page's rel="next" link `hops` times (the real keyset cursor)."""
    done = 0
    for _ in range(hops):
        _response, page = session.get(path)
        link = re.search(rb'<a href="([^"]+)" rel="next"', page)
        if link is None:
            break
        path = urljoin(path, unescape(link.group(1).decode()))
        done += 1
    return path, done


# --- What to measure ----------------------------------------------------------


def pick_subjects(members_per_run: int) -> dict:
    """The largest open community, its members, its busiest item, the most
    common tag and a rare title word: what a real organisation's pages show."""
    from django.db.models import Count

    from bench.generate import STAFF_EMAIL, rare_words
    from communities.models import Community, Membership
    from knowledge.models import Item, ItemTag

    community = (
        Community.objects.filter(visibility="open")
        .annotate(n=Count("items"))
        .order_by("-n")
        .first()
    )
    if community is None or not Item.objects.exists():
        raise SystemExit("no data: run `python -m bench.generate` first")
    emails = list(
        Membership.objects.filter(
            community=community,
            status="active",
            role="member",
            user__email__startswith="bench",
            user__email__endswith="@example.com",
        )
        .order_by("user_id")
        .values_list("user__email", flat=True)[:members_per_run]
    )
    item = (
        Item.objects.filter(community=community, hidden_at__isnull=True)
        .order_by("-reply_count", "id")
        .first()
    )
    tag = (
        ItemTag.objects.values("tag__name")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("tag__name", flat=True)
        .first()
    )
    return {
        "community": community,
        "items_in_community": community.n,
        "emails": emails,
        "staff_email": STAFF_EMAIL,
        "item_url": item.get_absolute_url(),
        "tag": tag or "onboarding",
        "rare": rare_words()[RARE_WORD],
        "scale": {
            "items": Item.objects.count(),
            "members": Membership.objects.values("user").distinct().count(),
            "communities": Community.objects.count(),
        },
    }


def pages(s: dict, deep_path: str) -> list[tuple[str, str, str]]:
    slug = s["community"].slug
    return [
        ("home", "/", "member"),
        ("community list", "/communities/", "member"),
        ("community page + feed", f"/communities/{slug}/", "member"),
        ("community feed", f"/communities/{slug}/items/", "member"),
        ("feed, 2,000 deep (keyset)", deep_path, "member"),
        ("single item", s["item_url"], "member"),
        ("tag page", f"/tags/{s['tag']}/", "member"),
        ("search, common word", "/search/?q=onboarding", "member"),
        ("search, rare word", f"/search/?q={s['rare']}", "member"),
        ("search, open questions", "/search/?q=handover&open=1", "member"),
        ("member directory", "/members/?q=marta", "member"),
        ("notifications", "/notifications/", "member"),
        ("mentoring broker", "/mentoring/broker/", "staff"),
        ("staff dashboard", "/dashboards/", "staff"),
        ("steward dashboard", f"/communities/{slug}/dashboard/", "staff"),
    ]


def run_jobs(staff: Session, digests: bool) -> dict[str, float]:
    """Wall time in seconds of each job, run once."""
    jobs = {}

    def timed(label, fn):
        started = time.perf_counter()
        try:
            fn()
        except ImportError as exc:  # a job moved app: say so, measure the rest
            print(f"  {label}: skipped ({exc})", file=sys.stderr)
            return
        jobs[label] = time.perf_counter() - started

    def rollups():
        from dashboards.rollups import rollup_all

        rollup_all()

    def snapshot():
        from dashboards.services import snapshot_build

        snapshot_build()

    def custom_dashboard():
        today = datetime.now(UTC).date()
        query = urlencode(
            {
                "period": "custom",
                "start": (today - timedelta(days=75)).isoformat(),
                "end": (today - timedelta(days=5)).isoformat(),
            }
        )
        response, _ = staff.get(f"/dashboards/?{query}")
        assert response.status == 200, response.status

    def suggestions():
        from bench.generate import STAFF_EMAIL
        from members.models import User
        from mentoring.selectors import open_requests
        from mentoring.suggestions import suggestions_for_requests

        broker = User.objects.get(email=STAFF_EMAIL)
        suggestions_for_requests(list(open_requests()[:10]), viewer=broker, limit=5)

    def weekly_digests():
        from digests.tasks import digests_run

        digests_run(period="weekly")

    timed("dashboard rollups, from scratch (nightly)", rollups)
    timed("dashboard snapshot build", snapshot)
    timed("staff dashboard, custom period", custom_dashboard)
    timed("mentor suggestions, 10 requests", suggestions)
    if digests:
        timed("weekly digests, all members", weekly_digests)
        timed("weekly digests, rerun", weekly_digests)
    return jobs


# --- Results ------------------------------------------------------------------


def previous_results(scale: dict) -> tuple[dict | None, dict | None]:
    """The latest stored run at this scale, and the latest at another scale."""
    same = other = None
    for path in sorted(RESULTS.glob("run-*.json"), reverse=True):
        try:
            data = json.loads(path.read_text())
        except ValueError:
            continue
        items = data.get("scale", {}).get("items", 0)
        close = abs(items - scale["items"]) <= 0.1 * max(1, scale["items"])
        if close and same is None:
            same = data
        elif not close and other is None:
            other = data
    return same, other


def last_generate(database: str) -> dict | None:
    path = RESULTS / f"generate-{database}.json"
    return json.loads(path.read_text()) if path.exists() else None


def print_table(result: dict, previous: dict | None, other: dict | None) -> None:
    """One table: per page the query count here and at the demo scale, p50,
    p95 and p95 over the floor's at each concurrency, throughput from the
    first level to the last, and the previous run's p95 and ratio at the
    first level; then the jobs against the previous run's."""
    levels = result["concurrency"]
    first, last = str(levels[0]), str(levels[-1])
    prev_pages = {p["page"]: p for p in (previous or {}).get("pages", [])}
    if result.get("demo"):
        small = result["demo"]["queries"]
        small_label = f"demo scale ({result['demo']['scale']['items']:,} items)"
    else:  # the last stored run at another scale
        small = {p["page"]: p["queries"] for p in (other or {}).get("pages", [])}
        small_label = "the last run at another scale" if other else "none"
    header = f"{'page':28} {'q':>4} {'q demo':>6}"
    for c in levels:
        header += f" | {f'p50@{c}':>7} {f'p95@{c}':>7} {'x floor':>7}"
    header += f" | {f'req/s {first}->{last}':>16} | {f'prev p95@{first}':>19}"
    print(
        f"{result['scale']['items']} items, {result['scale']['members']} members, "
        f"{result['workers']} gunicorn workers, {result['requests']} requests per "
        f"page, level and round, {result.get('rounds', 1)} rounds pooled; load "
        f"average {result['load_average']} (start, end)"
    )
    if previous:
        print(f"previous run at this scale: {previous['at']}, load average "
              f"{previous.get('load_average')}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for page in result["pages"]:
        line = f"{page['page'][:28]:28} {page['queries']:>4} "
        line += f"{small.get(page['page'], '')!s:>6}"
        for c in levels:
            m = page["levels"][str(c)]
            line += f" | {m['p50']:7.0f} {m['p95']:7.0f} {m['ratio_p95']:6.1f}x"
        rps = [page["levels"][k].get("rps") for k in (first, last)]
        if all(rps) and not page.get("serial"):
            change = (rps[1] - rps[0]) / rps[0] * 100
            line += f" | {rps[0]:5.1f}->{rps[1]:5.1f} {change:+4.0f}%"
        else:
            line += f" | {'':16}"
        before = prev_pages.get(page["page"], {}).get("levels", {}).get(first)
        if before:
            now = page["levels"][first]["p95"]
            change = (now - before["p95"]) / before["p95"] * 100 if before["p95"] else 0
            line += (
                f" | {before['p95']:6.0f} {before['ratio_p95']:5.1f}x {change:+4.0f}%"
            )
        if page.get("serial"):
            line += "  (serial: too slow to load)"
        if page["errors"]:
            line += f"  {page['errors']} non-200"
        print(line)
    print(
        f"q: queries per request (from the server); q demo: the same page at "
        f"{small_label}; x floor: p95 / floor p95 at that concurrency; req/s: "
        f"requests answered per second of wall time; prev: p95, x floor and the "
        f"change of p95 against the previous run at this scale"
    )
    prev_jobs = (previous or {}).get("jobs", {})
    for label, seconds in result["jobs"].items():
        before = prev_jobs.get(label)
        tail = f"   (previous {before:.2f}s)" if before else ""
        print(f"job: {label:40} {seconds:8.2f}s{tail}")


def _lift_statement_timeout(sender, connection, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=64, help="per page, level and round"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="passes over the floor and every page at each level, pooled",
    )
    parser.add_argument("--concurrency", default="8,32")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--members", type=int, default=8, help="distinct logins")
    parser.add_argument(
        "--only", help="measure only pages whose name contains one of these (a,b)"
    )
    parser.add_argument("--digests", action="store_true", help="also time digests")
    parser.add_argument(
        "--slow-ms",
        type=float,
        default=5000,
        help="time pages slower than this with 3 serial requests, not under load",
    )
    parser.add_argument(
        "--no-jobs",
        action="store_true",
        help="skip the jobs (rollups, snapshot: minutes at full scale); the "
        "dashboards then read whatever rollups the database holds",
    )
    parser.add_argument(
        "--demo-database",
        default=os.environ.get("BENCH_DEMO_DATABASE_URL", ""),
        help="a database generated at demo scale (bench.generate --members 2000 "
        "--communities 30 --items 30000): the table shows each page's query "
        "count there too (default $BENCH_DEMO_DATABASE_URL)",
    )
    parser.add_argument(
        "--queries-only",
        metavar="FILE",
        help="only probe each page once and write its query count to FILE",
    )
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]

    # A `kill` ends the run through the finally below, stopping gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()
    from django.db.backends.signals import connection_created

    # This process runs the jobs: no web statement timeout, as in a worker.
    connection_created.connect(_lift_statement_timeout, weak=False)

    env = dict(os.environ)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    subjects = pick_subjects(args.members)
    load_before = os.getloadavg()[:1]
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        sessions, deep_path = _log_in(port, subjects)
        measured = [("floor", f"/bench/floor/?pk={subjects['community'].pk}", "member")]
        wanted = args.only.split(",") if args.only else [""]
        measured += [
            p for p in pages(subjects, deep_path) if any(w in p[0] for w in wanted)
        ]
        if args.queries_only:
            counts = {
                label: load(sessions[who], path, 1, 1)[2][0]
                for label, path, who in measured
            }
            Path(args.queries_only).write_text(
                json.dumps({"scale": subjects["scale"], "queries": counts})
            )
            return
        # The snapshot first, as nightly.
        jobs = {} if args.no_jobs else run_jobs(sessions["staff"][0], args.digests)
        rows = _measure(sessions, measured, levels, args)
    finally:
        server.terminate()
        server.wait(timeout=30)

    result = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": django.db.connection.settings_dict["NAME"],
        "scale": subjects["scale"],
        "concurrency": levels,
        "load_average": [round(x, 1) for x in load_before + os.getloadavg()[:1]],
        "requests": args.requests,
        "rounds": args.rounds,
        "workers": args.workers,
        "pages": rows,
        "jobs": {k: round(v, 3) for k, v in jobs.items()},
    }
    if args.demo_database:
        result["demo"] = demo_queries(args.demo_database, args.only)
    generated = last_generate(result["database"])
    if generated:
        result["jobs"]["bench.generate (stored)"] = generated["seconds"]
    previous, other = previous_results(result["scale"])
    print_table(result, previous, other)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        stamp = result["at"].replace(":", "").replace("+0000", "")
        path = RESULTS / f"run-{stamp}.json"
        path.write_text(json.dumps(result, indent=2) + "\n")
        print(f"saved {path.relative_to(ROOT)}")


def _log_in(port: int, subjects: dict) -> tuple[dict, str]:
    """Sessions of the members and the staff member, logged in through the
    login page, and the feed's real keyset cursor DEEP items down."""
    from django.conf import settings

    from bench.generate import BENCH_PASSWORD

    members = []
    for email in subjects["emails"]:
        session = Session(port)
        session.login(email, BENCH_PASSWORD)
        members.append(session)
    staff = Session(port)
    staff.login(subjects["staff_email"], BENCH_PASSWORD)
    hops = -(-DEEP // settings.PAGE_SIZE)
    deep_path, done = follow_next(
        members[0], f"/communities/{subjects['community'].slug}/items/", hops
    )
    print(
        f"{subjects['scale']}; feed of {subjects['community'].slug} "
        f"({subjects['items_in_community']} items), {done * settings.PAGE_SIZE} "
        f"deep by {done} next links; {len(members)} members logged in",
        file=sys.stderr,
    )
    return {"member": members, "staff": [staff]}, deep_path


def _measure(sessions: dict, measured: list, levels: list[int], args) -> list[dict]:
    rows = {label: {"page": label, "path": path, "levels": {}, "errors": 0}
            for label, path, _who in measured}  # fmt: skip
    # One request per page first (a warm-up): a page slower than --slow-ms
    # is then timed with a few serial requests, not loaded, so the run stays
    # bounded.
    serial = {}
    for label, path, who in measured:
        probe = load(sessions[who], path, 1, 1)
        if probe[0][0] > args.slow_ms:
            more = load(sessions[who], path, 1, 2)
            serial[label] = tuple(a + b for a, b in zip(probe, more, strict=True))
    for c in levels:
        # --rounds passes over the floor and every page, their samples pooled
        # per page: the floor is measured all through the level, not only
        # before the first page, and each p95 comes from rounds x requests.
        pooled = {label: ([], [], [], 0.0) for label, _path, _who in measured}
        for _ in range(args.rounds):
            for label, path, who in measured:
                if label in serial:
                    continue
                load(sessions[who], path, c, c)  # warm-up, discarded
                # At least two requests per connection, so all of them are
                # really open at once.
                total = max(args.requests, 2 * c)
                times, statuses, queries, wall = load(sessions[who], path, c, total)
                before = pooled[label]
                pooled[label] = (
                    before[0] + times,
                    before[1] + statuses,
                    before[2] + queries,
                    before[3] + wall,
                )
        floor_p95 = floor_p50 = None
        for label, _path, _who in measured:
            row = rows[label]
            if label in serial:  # the same three timings at every level
                times, statuses, queries, wall = serial[label]
                row["serial"] = True
            else:
                times, statuses, queries, wall = pooled[label]
            p50, p95 = statistics.median(times), percentile(times, 95)
            if label == "floor":
                floor_p50, floor_p95 = p50, p95
            row["levels"][str(c)] = {
                "p50": round(p50, 1),
                "p95": round(p95, 1),
                "ratio_p50": round(p50 / floor_p50, 2),
                "ratio_p95": round(p95 / floor_p95, 2),
                # Requests answered per second of wall time at this level.
                "rps": round(len(times) / wall, 1),
            }
            row["queries"] = max(queries)
            row["errors"] = max(row["errors"], sum(1 for s in statuses if s != 200))
            how = "serial" if label in serial else f"{c:>3} conn"
            print(f"  {how}  {label:28} p50 {p50:7.0f} ms  p95 {p95:7.0f} ms  "
                  f"{len(times) / wall:6.1f} req/s", file=sys.stderr)  # fmt: skip
    return list(rows.values())


def demo_queries(database_url: str, only: str | None) -> dict:
    """Each page's query count on another database (the demo scale), read
    from a server of its own started by this script in --queries-only mode."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "queries.json"
        command = [sys.executable, "-m", "bench.run", "--queries-only", str(out)]
        command += ["--only", only] if only else []
        subprocess.run(  # noqa: S603 - our own interpreter and arguments
            command, cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url},
            check=True,
        )  # fmt: skip
        return json.loads(out.read_text())


if __name__ == "__main__":
    main()
