"""The report pages' charts, drawn on the server as SVG (no script, nothing from elsewhere,
printable), and a few filters for their tables.

Each chart sits beside a table of the same figures (with the links to the lists behind them),
which is what a screen reader reads; the chart itself is one image with a title.
"""

from dataclasses import dataclass

from django import template
from django.utils.text import slugify

from core import formatting

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key)


# The same filter as `formatting`'s, for the pages that load only these tags.
register.filter("percent", formatting.percent)


@register.filter
def sub(value, other):
    return value - other


WIDTH = 640
LABEL_WIDTH = 190
BAR_SPACE = 330
ROW_HEIGHT = 28
LABEL_CHARACTERS = 28


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    total: float | None = None  # drawn as a track behind the bar: a capacity, all schools


@register.inclusion_tag("reports/_bar_chart.html")
def bar_chart(title: str, bars: list[Bar], scale: float | None = None):
    """A horizontal bar chart; bars scale to `scale` (or the largest value or total)."""
    largest = scale or max([max(bar.value, bar.total or 0) for bar in bars] or [0]) or 1
    left = LABEL_WIDTH + 10
    drawn = []
    for index, bar in enumerate(bars):
        width = round(BAR_SPACE * bar.value / largest, 1)
        track = round(BAR_SPACE * bar.total / largest, 1) if bar.total else 0
        label = bar.label
        if len(label) > LABEL_CHARACTERS:
            label = label[: LABEL_CHARACTERS - 1] + "…"
        drawn.append(
            {
                "y": index * ROW_HEIGHT,
                "label": label,
                "width": width,
                "track": track,
                "text": bar.text,
                "text_x": left + max(width, track) + 6,
            }
        )
    return {
        "id": f"chart-{slugify(title)}",
        "title": title,
        "bars": drawn,
        "width": WIDTH,
        "height": max(len(bars), 1) * ROW_HEIGHT,
        "label_end": LABEL_WIDTH,
        "left": left,
    }
