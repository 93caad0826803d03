"""Charts as inline SVG, drawn on the server: the same markup on screen (any phone, no
JavaScript) and in the PDF (WeasyPrint renders SVG). Values and plans are in the KPI's
unit and written by its formatter (`Kpi.format`), as the tables beside them are."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOURS = {"top": "#198754", "bottom": "#dc3545", "": "#0d6efd"}
PLAN_COLOUR = "#a85200"  # dark orange: 5.4:1 on white, as its legend is text (WCAG AA)
MUTED = "#6c757d"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    highlight: str = ""
    target: Decimal | None = None


Formatter = Callable[[Decimal], str]


def bar_chart(bars: Sequence[Bar], *, fmt: Formatter, title: str) -> SafeString:
    """Horizontal bars, one per store, best first; an orange tick marks each store's plan."""
    if not bars:
        return mark_safe("")
    row, label_w, width = 18, 130, 440
    plot_w = width - label_w - 50
    top = max(max(b.value for b in bars), max((b.target or 0) for b in bars)) or Decimal(1)
    height = row * len(bars) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="kpi-chart" '
        'style="max-width:660px">'
        f"<title>{escape(title)}</title>"
    ]
    for i, bar in enumerate(bars):
        y = 4 + i * row
        length = float(bar.value / top) * plot_w
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 12}" font-size="11" text-anchor="end" '
            f'fill="#212529">{escape(bar.label[:22])}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{length:.1f}" height="{row - 5}" '
            f'fill="{BAR_COLOURS[bar.highlight]}" rx="2"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 12}" font-size="10" '
            f'fill="{MUTED}">{escape(fmt(bar.value))}</text>'
        )
        if bar.target is not None:
            x = label_w + float(bar.target / top) * plot_w
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + row - 1}" '
                f'stroke="{PLAN_COLOUR}" stroke-width="2"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(
    labels: Sequence[str],
    values: Sequence[Decimal | None],
    targets: Sequence[Decimal | None],
    *,
    fmt: Formatter,
    title: str,
) -> SafeString:
    """The KPI over time (blue line and dots, gaps where there is no data) and the plan
    (dashed orange steps)."""
    known = [v for v in values if v is not None] + [t for t in targets if t is not None]
    if not known:
        return mark_safe("")
    width, height, left, bottom, top_pad = 480, 220, 50, 30, 12
    plot_w, plot_h = width - left - 12, height - bottom - top_pad
    low, high = min(known), max(known)
    if high == low:
        high, low = high + (high or 1) / 10, low - (low or 1) / 10
    span = high - low
    step = plot_w / max(len(labels) - 1, 1)

    def xy(i: int, v: Decimal) -> tuple[float, float]:
        return left + i * step, top_pad + plot_h - float((v - low) / span) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="kpi-chart" '
        'style="max-width:760px">'
        f"<title>{escape(title)}</title>"
    ]
    for fraction in (0, 0.5, 1):
        v = low + span * Decimal(str(fraction))
        _x, y = xy(0, v)
        parts.append(
            f'<line x1="{left}" x2="{width - 12}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="{MUTED}">{escape(fmt(v))}</text>'
        )
    every = max(len(labels) // 8, 1)
    for i, label in enumerate(labels):
        last = i == len(labels) - 1
        if (i % every == 0 and len(labels) - 1 - i >= every / 2) or last:
            x, _y = xy(i, low)
            parts.append(
                f'<text x="{x:.1f}" y="{height - 14}" font-size="10" text-anchor="middle" '
                f'fill="{MUTED}">{escape(label)}</text>'
            )
    plan = [xy(i, t) for i, t in enumerate(targets) if t is not None]
    if plan:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in plan)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{PLAN_COLOUR}" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    segment: list[tuple[float, float]] = []
    for i, value in enumerate([*values, None]):
        if value is not None:
            segment.append(xy(i, value))
            continue
        if len(segment) > 1:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="#0d6efd" stroke-width="2"/>'
            )
        segment = []
    for i, value in enumerate(values):
        if value is not None:
            x, y = xy(i, value)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#0d6efd">'
                f"<title>{escape(labels[i])}: {escape(fmt(value))}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
