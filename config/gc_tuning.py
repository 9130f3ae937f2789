"""Garbage collection in a long-lived process: a web or a job worker.

Once it has started, such a process holds some 120,000 long-lived objects
(Django, every app's modules, the URLconf, compiled queries), and CPython's
full collection walks all of them whenever enough new objects have survived
the younger collections. A page that builds many objects (a broker's mentor
suggestions, a cold dashboard, a search page; a batch of digest e-mails)
then pays 30-60 ms for it in one view out of a few: the tail of its
response times (bench/README.md, "Garbage collection in the worker"). The
two remedies the `gc` module's documentation gives for long-lived servers,
and that large Django sites use:

- freeze what start-up built, so no collection walks it again;
- collect the youngest generation every `threshold` new objects instead of
  every 700, so a view's short-lived objects are freed by reference counting
  before a collection looks at them, and fewer survivors reach the older
  generations.

Cycles are still collected; they only wait a little longer. config/wsgi.py
and the Celery worker's processes (config/celery_app.py) call
`tune_from_environment()`: `GC_THRESHOLD`, 50,000 unless set; 0 leaves
collection as Python has it.
"""

import gc
import os

from django.urls import get_resolver

DEFAULT_THRESHOLD = 50_000


def tune_from_environment() -> None:
    tune(threshold=int(os.environ.get("GC_THRESHOLD", DEFAULT_THRESHOLD)))


def tune(*, threshold: int) -> None:
    """Freeze the objects start-up created (after importing every view, which
    Django otherwise does on the first request) and collect the youngest
    generation every `threshold` allocations. 0 leaves collection as it is."""
    if threshold <= 0:
        return
    get_resolver().url_patterns  # noqa: B018 (imports the views now)
    gc.collect()
    gc.freeze()
    _gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(threshold, gen1, gen2)
