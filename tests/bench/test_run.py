"""bench.run's arithmetic and table, without a server."""

import json

from bench import run


def _result(p50, items=300_000):
    level = {"p50": p50, "p95": p50 * 2, "ratio_p50": 2.0, "ratio_p95": 3.0}
    return {
        "at": "2026-12-04T23:00:00+00:00",
        "scale": {"items": items, "members": 20_000, "communities": 300},
        "concurrency": [8, 32],
        "requests": 64,
        "workers": 2,
        "load_average": [1.0, 1.2],
        "pages": [
            {
                "page": "tag page",
                "queries": 6,
                "errors": 0,
                "levels": {"8": dict(level), "32": dict(level)},
            }
        ],
        "jobs": {"mentor suggestions, 10 requests": 0.3},
    }


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert run.percentile(values, 50) == 50
    assert run.percentile(values, 95) == 95
    assert run.percentile([7.0], 95) == 7.0


def test_the_table_compares_with_the_previous_run_at_the_same_scale(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(run, "RESULTS", tmp_path)
    (tmp_path / "run-1.json").write_text(json.dumps(_result(100)))
    (tmp_path / "run-2.json").write_text(json.dumps(_result(5, items=30_000)))
    previous, other = run.previous_results({"items": 301_000})
    assert previous["pages"][0]["levels"]["8"]["p50"] == 100
    assert other["scale"]["items"] == 30_000
    run.print_table(_result(150), previous, other)
    table = capsys.readouterr().out
    # p95 200 -> 300: +50 % against the previous run at this scale.
    assert "tag page" in table and "+50%" in table
    assert "the last run at another scale" in table
    assert "mentor suggestions" in table and "(previous 0.30s)" in table


def test_the_table_shows_the_query_count_at_demo_scale_and_throughput(capsys):
    result = _result(150)
    result["pages"][0]["levels"]["8"]["rps"] = 20.0
    result["pages"][0]["levels"]["32"]["rps"] = 10.0
    result["demo"] = {"scale": {"items": 30_000}, "queries": {"tag page": 5}}
    run.print_table(result, None, None)
    table = capsys.readouterr().out
    row = next(line for line in table.splitlines() if line.startswith("tag page"))
    assert row.split()[2:4] == ["6", "5"]
    assert "20.0-> 10.0  -50%" in row
    assert "demo scale (30,000 items)" in table


def test_rounds_interleave_the_floor_with_the_pages_and_pool_their_samples(
    monkeypatch,
):
    calls = []

    def fake_load(sessions, path, concurrency, total):
        calls.append((path, total))
        # Each measured pass of a page answers 10 ms slower than the last, so
        # the pooled samples show which passes were kept.
        passes = sum(1 for p, t in calls if p == path and t > concurrency)
        latency = {"/floor/": 10.0, "/page/": 30.0}[path] + 10 * passes
        return [latency] * total, [200] * total, [4] * total, 1.0

    monkeypatch.setattr(run, "load", fake_load)
    measured = [("floor", "/floor/", "member"), ("page", "/page/", "member")]
    args = type("Args", (), {"slow_ms": 1_000, "rounds": 3, "requests": 16})()
    rows = run._measure({"member": [None]}, measured, [8], args)
    # The probe of each page, then per round: warm-up and measured requests of
    # the floor, then of the page.
    measured_calls = [path for path, total in calls if total == 16]
    assert measured_calls == ["/floor/", "/page/"] * 3
    floor, page = (row["levels"]["8"] for row in rows)
    # Three passes of 16 pooled: the floor's at 20, 30, 40 ms and the page's
    # at 40, 50, 60 ms; p95 is each one's slowest pass.
    assert (floor["p50"], floor["p95"]) == (30.0, 40.0)
    assert (page["p50"], page["p95"]) == (50.0, 60.0)
    assert page["ratio_p95"] == 1.5
    assert page["rps"] == round(48 / 3.0, 1)
