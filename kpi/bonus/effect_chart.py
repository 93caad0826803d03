"""The effect report's chart, drawn as the KPI charts are (`kpi.charts`): inline SVG made
on the server, the same on a phone and in a PDF, no JavaScript. One line per third of the
scheme's stores and a dashed one for the stores outside it; a vertical line marks the
scheme's start."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kpi.bonus.selectors.effect import Series
from kpi.charts import BAR_COLOURS, MUTED, Formatter

LINE_COLOURS = {
    "top": BAR_COLOURS["top"],
    "middle": BAR_COLOURS[""],
    "bottom": BAR_COLOURS["bottom"],
    "control": MUTED,
}


def effect_chart(
    labels: Sequence[str], series: Sequence[Series], *, start: int, fmt: Formatter, title: str
) -> SafeString:
    """`labels` one per period; `start`: the index of the first period after the start."""
    known = [v for line in series for v in line.values if v is not None]
    if not known or not labels:
        return mark_safe("")
    width, height, left, bottom, top_pad = 480, 220, 56, 30, 14
    plot_w, plot_h = width - left - 12, height - bottom - top_pad
    low, high = min(known), max(known)
    if high == low:
        high, low = high + (abs(high) or 1) / 10, low - (abs(low) or 1) / 10
    span = high - low
    step = plot_w / max(len(labels) - 1, 1)

    def xy(i: float, v: Decimal) -> tuple[float, float]:
        return left + i * step, top_pad + plot_h - float((v - low) / span) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="kpi-chart" '
        'style="max-width:760px">'
        f"<title>{escape(title)}</title>"
    ]
    for fraction in ("0", "0.5", "1"):
        value = low + span * Decimal(fraction)
        _x, y = xy(0, value)
        parts.append(
            f'<line x1="{left}" x2="{width - 12}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="{MUTED}">{escape(fmt(value))}</text>'
        )
    every = max(len(labels) // 8, 1)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            x, _y = xy(i, low)
            parts.append(
                f'<text x="{x:.1f}" y="{height - 14}" font-size="10" text-anchor="middle" '
                f'fill="{MUTED}">{escape(label)}</text>'
            )
    if 0 < start < len(labels):
        x = left + (start - 0.5) * step
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_pad - 6}" y2="{top_pad + plot_h}" '
            'stroke="#212529" stroke-width="1" stroke-dasharray="3 3"/>'
            f'<text x="{x + 3:.1f}" y="{top_pad - 2}" font-size="10" fill="#212529">'
            f"{escape(_('start'))}</text>"
        )
    for line in series:
        colour = LINE_COLOURS.get(line.key, MUTED)
        dash = ' stroke-dasharray="6 4"' if line.control else ""
        segment: list[tuple[float, float]] = []
        for i, value in enumerate([*line.values, None]):
            if value is not None:
                segment.append(xy(i, value))
                continue
            if len(segment) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash}/>'
                )
            segment = []
        for i, value in enumerate(line.values):
            if value is not None:
                x, y = xy(i, value)
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}">'
                    f"<title>{escape(line.label)}, {escape(labels[i])}: "
                    f"{escape(fmt(value))}</title></circle>"
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))
