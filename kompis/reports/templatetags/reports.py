from __future__ import annotations

from django import template

from kompis.reports.charts import data_uri

register = template.Library()


@register.filter
def show(cell, k):
    """A cell as shown everywhere: "<k" when suppressed."""
    return "" if cell is None else cell.display(k)


@register.filter
def svg_uri(svg: str) -> str:
    return data_uri(svg) if svg else ""


@register.filter
def bar_width(cell) -> int:
    if cell is None or cell.suppressed or cell.value is None:
        return 0
    return max(0, min(100, int(cell.value)))
