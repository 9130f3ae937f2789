"""Practica's demo organisation, seeded through the apps' own services.

`manage.py seed_demo` runs the steps in order: people, communities,
knowledge, mentoring, digests, then the inbox. Each step writes through the
services real members use, so counters, rendered HTML, search vectors,
welcome steps and notifications follow the same rules as real use. Only
timestamps are adjusted afterwards (demo/backdating.py), so the organisation
has a past. Every step is idempotent.
"""
