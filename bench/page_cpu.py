"""Every page of `bench.run`, in this process: CPU, wall and queries per view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \\
        REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python -m bench.page_cpu [--only home,search] [--views 40] \\
        [--profile home [--sort tottime] [--lines 60]] [--instructions]

The same subjects as `bench.run` (the largest open community, one of its
members, its busiest item, the most common tag, a rare title word) and the
floor view, requested through Django's test client with the Redis cache:
no network, no gunicorn, so on a machine busy with other work the CPU time
of this process still says what a page costs (the wall time is then mostly
waiting for a core). Each page gets `--warm` views first, then `--views`
measured ones; "x floor" is the page's median CPU over the floor's.
`--profile NAME` prints cProfile's costliest functions over the measured
views of the pages whose names contain NAME.

`--instructions` counts instead of timing: the script runs itself under
valgrind's callgrind with counting switched off, switches it on only around
each page's measured views (`callgrind_control`), and prints the machine
instructions per view and their ratio to the floor's. Unlike CPU time the
count does not move with what else the machine is doing (the same figures
to 0.3 % at load 1 and 4), so two versions can be compared on a busy
machine; it leaves out PostgreSQL's and Redis's own work, as CPU time does.
About 3 s per page and view-set of 10; needs valgrind (Debian's package).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="pages whose name contains a,b")
    parser.add_argument("--views", type=int, default=40)
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--profile", default="")
    parser.add_argument("--sort", default="cumulative", help="the profile's order")
    parser.add_argument("--lines", type=int, default=30, help="the profile's length")
    parser.add_argument("--instructions", action="store_true")
    # Set by --instructions for the run under callgrind: where its counts go.
    parser.add_argument("--callgrind-dir", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.instructions:
        count_instructions(args)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import clear_url_caches

    from bench.run import pages, pick_subjects
    from members.models import User

    settings.ALLOWED_HOSTS = ["*"]
    # One backend for the whole run, so its CPU time can be read (below).
    connection.settings_dict["CONN_MAX_AGE"] = None
    settings.ROOT_URLCONF = "bench.urls"
    clear_url_caches()
    # As a web worker does (config/wsgi.py); GC_THRESHOLD=0 leaves it out.
    from config.gc_tuning import tune_from_environment

    tune_from_environment()
    subjects = pick_subjects(1)
    clients = {}
    for who, email in (
        ("member", subjects["emails"][0]),
        ("staff", subjects["staff_email"]),
    ):
        clients[who] = Client(HTTP_X_FORWARDED_PROTO="https")
        clients[who].force_login(User.objects.get(email=email))
    slug = subjects["community"].slug
    measured = [("floor", f"/bench/floor/?pk={subjects['community'].pk}", "member")]
    # The feed's 2,000-deep cursor needs `rel="next"` hops; the first page's
    # keyset costs the same per view.
    measured += pages(subjects, f"/communities/{slug}/items/")
    wanted = [w for w in args.only.split(",") if w]
    floor_cpu = None
    backend = _backend_schedstat(connection)
    floor_total = None
    if not args.callgrind_dir:
        print(
            f"{'page':28} {'q':>3} {'cpu p50':>8} {'wall p50':>9} {'x floor':>8}"
            f" {'pg cpu':>8} {'both x floor':>12}"
        )
    measured_here = []
    for label, path, who in measured:
        if label != "floor" and wanted and not any(w in label for w in wanted):
            continue
        client = clients[who]
        for _ in range(args.warm):
            response = client.get(path)
            assert response.status_code == 200, (label, path, response.status_code)
        if args.callgrind_dir:
            _callgrind("-i", "on")
            for _ in range(args.views):
                client.get(path)
            _callgrind("-i", "off")
            # A dump's name is one plain word (callgrind_control takes a
            # comma in it as the end of the option); the order gives the page.
            _callgrind(f"--dump=page{len(measured_here)}")
            measured_here.append(label)
            continue
        profiled = bool(args.profile) and args.profile in label
        profiler = cProfile.Profile() if profiled else None
        cpu, wall, queries = [], [], 0
        backend_started = backend.read_bytes() if backend else None
        for _ in range(args.views):
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                client.get(path)
                if profiler:
                    profiler.disable()
                cpu.append(time.process_time() - cpu_started)
                wall.append(time.perf_counter() - started)
            queries = len(captured)
        pg_ms = (
            (_on_cpu_ns(backend.read_bytes()) - _on_cpu_ns(backend_started))
            / args.views
            / 1e6
            if backend
            else 0.0
        )
        cpu_p50 = statistics.median(cpu) * 1000
        total = statistics.fmean(cpu) * 1000 + pg_ms
        if label == "floor":
            floor_cpu, floor_total = cpu_p50, total
        cpu_p95 = sorted(cpu)[max(0, round(len(cpu) * 0.95) - 1)] * 1000
        print(
            f"{label:28} {queries:>3} {cpu_p50:7.1f}ms "
            f"{statistics.median(wall) * 1000:8.1f}ms {cpu_p50 / floor_cpu:7.1f}x"
            f" {pg_ms:6.2f}ms {total / floor_total:11.2f}x"
            f"  CPU p95 {cpu_p95:6.1f}ms, mean {statistics.fmean(cpu) * 1000:6.1f}ms",
            flush=True,
        )
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
    if args.callgrind_dir:
        (Path(args.callgrind_dir) / "labels").write_text("\n".join(measured_here))
    else:
        print(f"load average {os.getloadavg()[0]:.1f}")


def _backend_schedstat(connection) -> Path | None:
    """The schedstat file of this connection's PostgreSQL backend, if it runs
    on this machine (None otherwise)."""
    connection.ensure_connection()
    host = connection.settings_dict["HOST"]
    # A Unix socket's directory (the embedded server's) is this machine too.
    if host not in ("", "127.0.0.1", "localhost") and not host.startswith("/"):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        path = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
    return path if path.exists() else None


def _on_cpu_ns(schedstat: bytes) -> int:
    """Nanoseconds on a CPU: the first field of /proc/<pid>/schedstat."""
    return int(schedstat.split()[0])


def _callgrind(*options):
    """Tell the callgrind this process runs under what to do (counting on or
    off, write what it counted since the last dump)."""
    subprocess.run(  # noqa: S603 - a fixed tool and our own options
        ["callgrind_control", *options, str(os.getpid())],  # noqa: S607
        check=True,
        capture_output=True,
    )


def count_instructions(args):
    """Run this script under callgrind and print its counts per view."""
    with tempfile.TemporaryDirectory() as folder:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={folder}/out.%p",
            sys.executable,
            "-m",
            "bench.page_cpu",
            f"--only={args.only}",
            f"--views={args.views}",
            f"--warm={args.warm}",
            f"--callgrind-dir={folder}",
        ]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603
        found = {}
        for dump in Path(folder).glob("out.*.*"):
            text = dump.read_text()
            name = text.split("desc: Trigger: dump page", 1)[1].split("\n", 1)[0]
            total = int(text.split("\ntotals: ", 1)[1].split("\n", 1)[0])
            found[int(name)] = total / args.views
        labels = (Path(folder) / "labels").read_text().splitlines()
        counts = {labels[n]: found[n] for n in sorted(found)}
    print(f"{'page':28} {'instructions/view':>18} {'x floor':>8}")
    for label, count in counts.items():
        print(f"{label:28} {count / 1e6:16.2f} M {count / counts['floor']:7.2f}x")


if __name__ == "__main__":
    main()
