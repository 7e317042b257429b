"""Server-rendered SVG charts for the evaluation pages: no JavaScript, no CDN.

Coordinates are computed with Decimal (money never passes through float) and the
SVG scales to its container (``viewBox``, width 100 %), so one drawing serves the
phone and the desktop.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.money import format_money

WIDTH = Decimal(600)
LEFT, RIGHT, TOP, BOTTOM = Decimal(8), Decimal(8), Decimal(22), Decimal(26)
ONE_PLACE = Decimal("0.1")


def _n(value: Decimal) -> str:
    return str(Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP))


def _money(value: Decimal) -> str:
    return format_money(value)


def burn_chart(
    *,
    points: Sequence[tuple[datetime.date, Decimal]],
    first_day: datetime.date,
    last_day: datetime.date,
    budget: Decimal | None,
    today: datetime.date,
    title: str,
    budget_label: str,
    cost_label: str,
) -> SafeString:
    """Cumulative cost over the promotion's days (a step line) against the budget (a
    dashed line). ``points`` are (day, cumulative cost) in day order."""
    height = Decimal(220)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = height - TOP - BOTTOM
    span = max((last_day - first_day).days, 1)
    top_value = max(
        [budget or Decimal(0)] + [value for _day, value in points] + [Decimal(1)]
    )

    def x(day: datetime.date) -> Decimal:
        offset = min(max((day - first_day).days, 0), span)
        return LEFT + plot_w * offset / span

    def y(value: Decimal) -> Decimal:
        return TOP + plot_h - plot_h * Decimal(value) / top_value

    path = [f"M{_n(x(first_day))},{_n(y(Decimal(0)))}"]
    current = Decimal(0)
    for day, value in points:
        path.append(f"H{_n(x(day))}")
        path.append(f"V{_n(y(value))}")
        current = value
    end_day = points[-1][0] if points else first_day
    path.append(f"H{_n(x(max(end_day, min(last_day, today))))}")
    parts = [
        f'<svg class="chart" viewBox="0 0 {_n(WIDTH)} {_n(height)}" width="100%" '
        f'role="img" aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
        f'<line class="chart__axis" x1="{_n(LEFT)}" y1="{_n(y(Decimal(0)))}" '
        f'x2="{_n(WIDTH - RIGHT)}" y2="{_n(y(Decimal(0)))}"/>',
    ]
    if budget:
        parts.append(
            f'<line class="chart__budget" x1="{_n(LEFT)}" y1="{_n(y(budget))}" '
            f'x2="{_n(WIDTH - RIGHT)}" y2="{_n(y(budget))}"/>'
        )
        parts.append(
            f'<text class="chart__label" x="{_n(WIDTH - RIGHT)}" y="{_n(y(budget) - 4)}" '
            f'text-anchor="end">{escape(budget_label)} {escape(_money(budget))}</text>'
        )
    parts.append(f'<path class="chart__line" d="{" ".join(path)}"/>')
    parts.append(
        f'<text class="chart__label chart__label--strong" x="{_n(LEFT)}" y="18">'
        f"{escape(cost_label)} {escape(_money(current))}</text>"
    )
    parts.append(
        f'<text class="chart__label" x="{_n(LEFT)}" y="{_n(height - 8)}">'
        f"{escape(first_day.isoformat())}</text>"
    )
    parts.append(
        f'<text class="chart__label" x="{_n(WIDTH - RIGHT)}" y="{_n(height - 8)}" '
        f'text-anchor="end">{escape(last_day.isoformat())}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    limit: Decimal | None = None  # drawn as a tick (the budget)
    note: str = ""


def bar_chart(*, bars: Sequence[Bar], title: str) -> SafeString:
    """Horizontal bars (one per row, so long names fit a phone), each with an
    optional budget tick and a note at the right."""
    row_h = Decimal(34)
    height = TOP + row_h * max(len(bars), 1)
    plot_w = WIDTH - LEFT - RIGHT
    top_value = max(
        [b.value for b in bars] + [b.limit or Decimal(0) for b in bars] + [Decimal(1)]
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {_n(WIDTH)} {_n(height)}" width="100%" '
        f'role="img" aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        top = TOP + row_h * index
        width = plot_w * Decimal(bar.value) / top_value
        parts.append(
            f'<text class="chart__label" x="{_n(LEFT)}" y="{_n(top - 4)}">'
            f"{escape(bar.label)}</text>"
        )
        parts.append(
            f'<text class="chart__label" x="{_n(WIDTH - RIGHT)}" y="{_n(top - 4)}" '
            f'text-anchor="end">{escape(bar.note)}</text>'
        )
        parts.append(
            f'<rect class="chart__track" x="{_n(LEFT)}" y="{_n(top)}" '
            f'width="{_n(plot_w)}" height="10" rx="5"/>'
        )
        parts.append(
            f'<rect class="chart__bar" x="{_n(LEFT)}" y="{_n(top)}" '
            f'width="{_n(width)}" height="10" rx="5"/>'
        )
        if bar.limit:
            tick = LEFT + plot_w * Decimal(bar.limit) / top_value
            parts.append(
                f'<line class="chart__budget" x1="{_n(tick)}" y1="{_n(top - 3)}" '
                f'x2="{_n(tick)}" y2="{_n(top + 13)}"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
