"""Lighthouse scores and page weight of Practica's main pages.

    LIGHTHOUSE=/path/to/node_modules/.bin/lighthouse \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_demo \
        .venv/bin/python -m bench.lighthouse [--scheme dark] [--preset desktop]

Against a database filled by `manage.py seed_demo`, it collects static files
and starts gunicorn with bench/settings.py (production settings: DEBUG off,
manifest static files compressed by whitenoise, the strict CSP), logs a demo
member in through the login page, puts the session cookie in the jar of a
Debian Chromium started by Playwright and has Lighthouse (installed from npm
outside the repository: a bench tool, not a dependency) drive it (--port;
--scheme dark: prefers-color-scheme dark) on the five main pages (home, a
community page, a question, search results, the member's profile) and the
visitor's home. It prints, per page, the accessibility, best-practices, SEO
and performance scores (performance is informative: it is throttled and this
machine is shared), every scored audit below 1, and the page weight without
images, as transferred and uncompressed. The summary goes to
bench/results/lighthouse-<time>.json; --reports keeps Lighthouse's own JSON
reports. Benchmarks inform, tests decide: nothing fails on a low score.
"""

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bench.run import RESULTS, ROOT, Session, free_port, start_server

SETTINGS = "bench.settings"
CHROMIUM = "/usr/bin/chromium"
# Nothing may phone home: the bench runs with the network closed.
CHROME_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ATTEMPTS = 3
CATEGORIES = ["accessibility", "best-practices", "seo", "performance"]
DEMO_EMAIL = "maria.lopez@practica.local"


def pick_pages(email: str) -> list[tuple[str, str, bool]]:
    """(name, path, signed in): home, the largest open community, its
    question with the most replies, search results and the member's own
    profile; then the visitor's home, the one page a crawler sees."""
    from django.db.models import Count

    from communities.models import Community
    from knowledge.models import Item
    from members.models import User

    community = (
        Community.objects.filter(visibility="open")
        .annotate(n=Count("items"))
        .order_by("-n", "id")
        .first()
    )
    if community is None:
        raise SystemExit("no data: run `manage.py seed_demo` first")
    question = (
        Item.objects.filter(
            community=community, kind="question", hidden_at__isnull=True
        )
        .order_by("-reply_count", "id")
        .first()
    )
    member = User.objects.get(email=email)
    return [
        ("home", "/", True),
        ("community page", community.get_absolute_url(), True),
        ("question", question.get_absolute_url(), True),
        ("search results", "/search/?q=handover", True),
        ("member profile", f"/members/{member.username}/", True),
        ("visitor home", "/", False),
    ]


def summarise(report: dict) -> dict:
    """Scores out of 100, the failing scored audits and the weight without
    images, from one Lighthouse JSON report."""
    scores, failing = {}, []
    for key, category in report["categories"].items():
        score = category["score"]
        scores[key] = None if score is None else round(score * 100)
        if key == "performance":
            continue
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            # An audit that could not run has no score and voids the category.
            below = audit["score"] is None or audit["score"] < 1
            shown = audit["scoreDisplayMode"] not in ("notApplicable", "manual")
            if ref["weight"] and below and shown:
                failing.append(f"{key}/{ref['id']}: {audit['title']}")
    requests = report["audits"]["network-requests"]["details"]["items"]
    not_images = [r for r in requests if r.get("resourceType") != "Image"]
    return {
        "url": report["finalDisplayedUrl"],
        "scores": scores,
        "failing": failing,
        "requests": len(not_images),
        "transfer_bytes": sum(r.get("transferSize", 0) for r in not_images),
        "resource_bytes": sum(r.get("resourceSize", 0) for r in not_images),
        "lighthouse": report["lighthouseVersion"],
        "warnings": report.get("runWarnings", []),
    }


def run_lighthouse(command, url, debug_port, output: Path, preset) -> dict:
    arguments = [
        *command,
        url,
        f"--port={debug_port}",  # the browser of signed_in_browser()
        f"--only-categories={','.join(CATEGORIES)}",
        # As behind the production TLS proxy; this header only (a Cookie
        # header here would lose to the browser's own cookie jar as soon as
        # a page sets the CSRF cookie: the avatars came back as the login page).
        '--extra-headers={"X-Forwarded-Proto": "https"}',
        "--no-enable-error-reporting",
        "--output=json",
        f"--output-path={output}",
        "--quiet",
    ]
    if preset:
        arguments.append(f"--preset={preset}")
    # On a busy machine Lighthouse now and then misses the trace's start
    # (NO_NAVSTART): that run says nothing about the page, so it is repeated.
    for attempt in range(1, ATTEMPTS + 1):
        done = subprocess.run(arguments, check=False)  # noqa: S603 - the operator's
        if done.returncode == 0:
            return summarise(json.loads(output.read_text()))
        print(f"lighthouse failed ({attempt}/{ATTEMPTS}): {url}", file=sys.stderr)
    raise SystemExit(f"lighthouse failed {ATTEMPTS} times on {url}")


@contextmanager
def signed_in_browser(chrome: str, debug_port: int, scheme: str):
    """Chromium listening for Lighthouse on `debug_port`, its cookie jar in
    our hands (Playwright's persistent context is the browser's default one,
    where Lighthouse opens its tabs)."""
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="lighthouse-profile-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=chrome,
            headless=True,
            args=[*CHROME_FLAGS, f"--remote-debugging-port={debug_port}"],
            no_viewport=True,  # Lighthouse emulates the device itself
            color_scheme=scheme,
        )
        try:
            yield context
        finally:
            context.close()


def print_table(result: dict) -> None:
    print(
        f"Lighthouse {result['lighthouse']} ({result['preset'] or 'mobile'}, "
        f"{result['scheme']} colour scheme), "
        f"load average {result['load_average']} (start, end)"
    )
    header = (
        f"{'page':16} {'a11y':>4} {'b.p.':>4} {'seo':>4} {'perf':>4} | "
        f"{'reqs':>4} {'KB sent':>8} {'KB raw':>8}"
    )
    print(header)
    print("-" * len(header))
    for page in result["pages"]:
        s = page["scores"]
        print(
            f"{page['page']:16} {s['accessibility']!s:>4} {s['best-practices']!s:>4} "
            f"{s['seo']!s:>4} {s['performance']!s:>4} | {page['requests']:>4} "
            f"{page['transfer_bytes'] / 1024:8.1f} {page['resource_bytes'] / 1024:8.1f}"
        )
    print("KB sent / raw: everything but images, as transferred / uncompressed")
    for page in result["pages"]:
        for line in page["failing"]:
            print(f"  {page['page']}: {line}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lighthouse",
        default=os.environ.get("LIGHTHOUSE", "npx --no-install lighthouse"),
        help="the command that runs Lighthouse (default: $LIGHTHOUSE)",
    )
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", CHROMIUM))
    parser.add_argument("--email", default=DEMO_EMAIL)
    parser.add_argument("--password", help="default: the demo's published one")
    parser.add_argument("--port", type=int, help="default: a free one")
    parser.add_argument("--preset", choices=["desktop"], help="default: mobile")
    parser.add_argument("--scheme", choices=["light", "dark"], default="light")
    parser.add_argument("--only", help="only pages whose name contains this")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON here")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()

    # A `kill` ends the run through the finally below, stopping gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    # Lighthouse fetches robots.txt without the extra headers below, so the
    # server must answer plain HTTP instead of redirecting it to HTTPS.
    os.environ["SECURE_SSL_REDIRECT"] = "False"
    import django

    django.setup()  # bench.settings fills SECRET_KEY, shared by every worker
    env = dict(os.environ)
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    if args.password is None:
        from demo.people import PASSWORD

        args.password = PASSWORD
    pages = [p for p in pick_pages(args.email) if (args.only or "") in p[0]]
    port = args.port or free_port()
    load_start = os.getloadavg()[0]
    server = start_server(env, port, workers=2)
    reports = args.reports or Path(tempfile.mkdtemp(prefix="lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    try:
        session = Session(port)
        session.login(args.email, args.password)
        # Both workers' first requests (URLs, templates, connections) are not
        # what is measured: Lighthouse gives its robots.txt fetch 5 s, and a
        # cold worker on a busy machine once took longer.
        for path in ["/robots.txt", *(path for _name, path, _ in pages)] * 2:
            session.get(path)
        base = f"http://127.0.0.1:{port}"
        cookie = {"name": "sessionid", "value": session.cookies["sessionid"]}
        command = shlex.split(args.lighthouse)
        debug_port = free_port()
        results = []
        with signed_in_browser(args.chrome, debug_port, args.scheme) as browser:
            for name, path, signed_in in pages:
                browser.clear_cookies()
                if signed_in:
                    browser.add_cookies([{**cookie, "url": base}])
                print(f"lighthouse: {name} {path}", file=sys.stderr)
                output = reports / f"{name.replace(' ', '-')}.json"
                summary = run_lighthouse(
                    command, base + path, debug_port, output, args.preset
                )
                results.append({"page": name, "path": path, **summary})
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "lighthouse": results[0]["lighthouse"],
        "preset": args.preset,
        "scheme": args.scheme,
        "load_average": [round(load_start, 1), round(os.getloadavg()[0], 1)],
        "pages": results,
    }
    print_table(result)
    print(f"reports: {reports}", file=sys.stderr)
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
        (RESULTS / f"lighthouse-{stamp}.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
