"""Server-rendered SVG diagrams for the leaders-and-bridges page: the triad
of leader roles and the network of communities with the people who bridge
them. Like charts.py: role="img", a <title> and <desc> referenced by
aria-labelledby, and every caller shows the same figures in a table (the
text alternative, also the CSV). No inline style: classes only."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from dashboards.triad import ROLES, Triad, role_plural

# Where each role sits on the triangle: executives on top.
_CORNERS = {
    ROLES[1]: (210, 48),  # executive
    ROLES[0]: (64, 292),  # line leader
    ROLES[2]: (356, 292),  # networker
}
_NODE_RADIUS = 30


def _svg(chart_id, width, height, title, description, body) -> SafeString:
    return format_html(
        '<svg class="diagram" id="{id}" role="img" viewBox="0 0 {w} {h}" '
        'aria-labelledby="{id}-title {id}-desc" '
        'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>'
        "<defs>"
        '<marker id="{id}-arrow" class="diagram-arrow" viewBox="0 0 10 10" '
        'refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z"/></marker>'
        "</defs>{body}</svg>",
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=description,
        body=body,
    )


def triad_svg(triad: Triad, *, chart_id: str, title: str, description: str):
    """Three corners, six arrows; an arrow's width follows its total, a
    broken link (no answer) is dashed."""
    peak = max((e.total for e in triad.edges), default=0) or 1
    edges = []
    for edge in triad.edges:
        (x1, y1), (x2, y2) = _CORNERS[edge.source], _CORNERS[edge.target]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        ux, uy = dx / length, dy / length
        # Each direction runs on its own side of the line between corners.
        ox, oy = -uy * 9, ux * 9
        sx, sy = x1 + ux * (_NODE_RADIUS + 4) + ox, y1 + uy * (_NODE_RADIUS + 4) + oy
        ex, ey = x2 - ux * (_NODE_RADIUS + 6) + ox, y2 - uy * (_NODE_RADIUS + 6) + oy
        width = 1 + round(7 * edge.total / peak, 1)
        lx, ly = (sx + ex) / 2 + ox * 1.8, (sy + ey) / 2 + oy * 1.8
        classes = "triad-edge triad-broken" if edge.broken else "triad-edge"
        source, target = role_plural(edge.source), role_plural(edge.target)
        tooltip = f"{source} → {target.lower()}: {edge.total}"
        edges.append(
            (
                classes,
                round(sx, 1),
                round(sy, 1),
                round(ex, 1),
                round(ey, 1),
                width,
                chart_id,
                tooltip,
                round(lx, 1),
                round(ly, 1),
                edge.total,
            )
        )
    edges_svg = format_html_join(
        "",
        '<g><line class="{}" x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="{}" '
        'marker-end="url(#{}-arrow)"><title>{}</title></line>'
        '<text class="diagram-label" x="{}" y="{}" text-anchor="middle">{}</text></g>',
        edges,
    )
    nodes_svg = format_html_join(
        "",
        '<g><circle class="diagram-node" cx="{}" cy="{}" r="{}"/>'
        '<text class="diagram-name" x="{}" y="{}" text-anchor="middle">{}</text></g>',
        [
            (x, y, _NODE_RADIUS, x, y + (-38 if y < 100 else 46), role_plural(role))
            for role, (x, y) in _CORNERS.items()
        ],
    )
    return _svg(chart_id, 420, 350, title, description, edges_svg + nodes_svg)


@dataclass(frozen=True)
class Bridger:
    label: str
    is_networker: bool
    communities: Sequence[int]  # indexes into the network's community labels


def network_svg(
    communities: Sequence[str],
    people: Sequence[Bridger],
    *,
    chart_id: str,
    title: str,
    description: str,
):
    """Communities on an outer ring, the bridging people on an inner ring,
    a line from each person to each community they take part in."""
    cx, cy = 260, 220
    outer, inner = 170, 75

    def ring(n, radius, i):
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        return cx + radius * math.cos(angle), cy + radius * math.sin(angle)

    places = [ring(len(communities), outer, i) for i in range(len(communities))]
    spots = [ring(len(people), inner, i) for i in range(len(people))]
    lines = [
        (round(px, 1), round(py, 1), round(places[c][0], 1), round(places[c][1], 1))
        for (px, py), person in zip(spots, people, strict=True)
        for c in person.communities
    ]
    lines_svg = format_html_join(
        "",
        '<line class="network-link" x1="{}" y1="{}" x2="{}" y2="{}"/>',
        lines,
    )
    community_svg = format_html_join(
        "",
        '<g><rect class="network-community" x="{}" y="{}" width="12" height="12"/>'
        '<text class="diagram-label" x="{}" y="{}" text-anchor="{}">{}</text></g>',
        [
            (
                round(x - 6, 1),
                round(y - 6, 1),
                round(x + (10 if x >= cx else -10), 1),
                round(y + 4, 1),
                "start" if x >= cx else "end",
                name if len(name) <= 22 else name[:21] + "…",
            )
            for (x, y), name in zip(places, communities, strict=True)
        ],
    )
    people_svg = format_html_join(
        "",
        '<g><circle class="{}" cx="{}" cy="{}" r="6"><title>{}</title></circle>'
        '<text class="diagram-label" x="{}" y="{}" text-anchor="middle">{}</text></g>',
        [
            (
                "network-person network-networker"
                if person.is_networker
                else "network-person",
                round(x, 1),
                round(y, 1),
                person.label,
                round(x, 1),
                round(y - 9, 1),
                person.label if len(person.label) <= 16 else person.label[:15] + "…",
            )
            for (x, y), person in zip(spots, people, strict=True)
        ],
    )
    return _svg(
        chart_id, 520, 440, title, description, lines_svg + community_svg + people_svg
    )
