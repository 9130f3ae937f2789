"""Mentoring topics as stored (lower-case, de-duplicated, at most 20)."""


def clean_tags(tags) -> list[str]:
    return sorted({t.strip().lower() for t in tags if t and t.strip()})[:20]
