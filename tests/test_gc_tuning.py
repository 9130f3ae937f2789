"""A web worker freezes what start-up built and collects its youngest
generation less often (config.gc_tuning, called by config/wsgi.py)."""

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.gc_tuning import tune

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def restored_gc():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_tuning_freezes_start_up_and_raises_the_youngest_threshold(restored_gc):
    gc.unfreeze()
    _gen0, gen1, gen2 = gc.get_threshold()

    tune(threshold=12_345)

    assert gc.get_threshold() == (12_345, gen1, gen2)
    assert gc.get_freeze_count() > 10_000  # Django and the apps' modules


def test_a_threshold_of_zero_leaves_collection_as_it_is(restored_gc):
    gc.unfreeze()
    before = gc.get_threshold()

    tune(threshold=0)

    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize(
    ("environment", "expected"), [({}, 50_000), ({"GC_THRESHOLD": "0"}, 700)]
)
def test_the_web_worker_applies_it_on_start(environment, expected):
    """What gunicorn loads (config.wsgi), in a process of its own."""
    env = {k: v for k, v in os.environ.items() if k != "GC_THRESHOLD"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", **environment)
    probe = (
        "import gc, config.wsgi; "
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"
    )
    out = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    assert out == [str(expected), str(expected != 700)]


def test_each_process_of_a_celery_worker_tunes_on_start(restored_gc, monkeypatch):
    from celery import signals

    import config.celery_app  # noqa: F401 (connects the handlers)

    monkeypatch.setenv("GC_THRESHOLD", "23456")
    gc.unfreeze()

    signals.worker_process_init.send(sender=None)

    assert gc.get_threshold()[0] == 23_456
    assert gc.get_freeze_count() > 0
