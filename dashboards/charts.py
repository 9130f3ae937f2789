"""Small server-rendered SVG charts. Accessible by construction: role="img",
a <title> and <desc> referenced by aria-labelledby, and every caller shows
the same numbers as a table next to the chart."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Bar:
    label: str  # short axis label, e.g. "3 Mar"
    value: int
    tooltip: str  # full description of this bar


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    height: int = 180,
    bar_width: int = 22,
    gap: int = 6,
) -> SafeString:
    """A vertical bar chart sized in viewBox units; CSS scales it to width."""
    top, bottom, left = 20, 36, 36
    peak = max((b.value for b in bars), default=0)
    scale_max = max(peak, 1)
    plot_height = height - top - bottom
    width = left + len(bars) * (bar_width + gap) + gap
    # Label every bar when there are few, otherwise about twelve labels.
    label_every = max(1, -(-len(bars) // 12))

    bar_rows = []
    for i, bar in enumerate(bars):
        x = left + gap + i * (bar_width + gap)
        h = round(plot_height * bar.value / scale_max) if bar.value else 0
        y = top + plot_height - h
        label = bar.label if i % label_every == 0 else ""
        bar_rows.append(
            (x, y, bar_width, h, bar.tooltip, x + bar_width / 2, height - 14, label)
        )
    bars_svg = format_html_join(
        "",
        '<g><rect class="chart-bar" x="{}" y="{}" width="{}" height="{}">'
        "<title>{}</title></rect>"
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text></g>',
        bar_rows,
    )
    return format_html(
        '<svg class="chart" id="{id}" role="img" viewBox="0 0 {w} {h}" '
        'aria-labelledby="{id}-title {id}-desc" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>'
        '<line class="chart-axis" x1="{left}" y1="{base}" x2="{w}" y2="{base}"/>'
        '<text class="chart-label" x="{lx}" y="{ty}" text-anchor="end">{peak}</text>'
        '<text class="chart-label" x="{lx}" y="{base}" text-anchor="end">0</text>'
        "{bars}</svg>",
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=description,
        left=left,
        base=top + plot_height,
        lx=left - 4,
        ty=top + 4,
        peak=peak,
        bars=bars_svg,
    )
