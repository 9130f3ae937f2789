"""Generated avatars: a person's initials on a colour of their own.

The colour is picked from the person's id, so it is the same on every page
and never changes with a renamed profile; every colour in the palette keeps
white initials at a contrast of at least 4.5:1 (tests check it). Rendered as
a small inline SVG on the server: no image request, nothing for the CSP to
block (presentation attributes, no style)."""

import hashlib

from django.utils.html import format_html

# Dark enough for white text (contrast >= 4.5:1), distinct from each other.
PALETTE = (
    "#1f5f99",
    "#8a3b12",
    "#5b3a8e",
    "#2e6b30",
    "#a0204f",
    "#00676b",
    "#6b4e16",
    "#3d4f9f",
    "#8b2c8b",
    "#4a5a1a",
    "#b3261e",
    "#335c67",
)


def initials(name: str) -> str:
    """ "María López" -> "ML"; "Cher" -> "C"; nothing -> "?"."""
    words = [w for w in (name or "").replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def colour_for(key) -> str:
    digest = hashlib.sha256(str(key).encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def avatar_svg(person, size: int = 32) -> str:
    """Decorative (aria-hidden): the person's name is always written next to it."""
    name = getattr(person, "display_name", "") or str(person)
    return format_html(
        '<svg class="avatar" width="{size}" height="{size}" viewBox="0 0 40 40" '
        'aria-hidden="true" focusable="false"><circle cx="20" cy="20" r="20" '
        'fill="{colour}"/><text x="20" y="20" dy=".35em" text-anchor="middle" '
        'fill="#fff" font-size="16" font-weight="600" '
        'font-family="system-ui, sans-serif">{letters}</text></svg>',
        size=size,
        colour=colour_for(getattr(person, "pk", name)),
        letters=initials(name),
    )
