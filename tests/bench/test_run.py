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
