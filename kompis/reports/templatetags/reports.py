from __future__ import annotations

from django import template

from kompis.disclosure import SECONDARY
from kompis.reports.charts import data_uri
from kompis.reports.suppression import SECONDARY_MARK, Cell, Table, marks_legend

register = template.Library()


@register.filter
def show(cell: Cell | None, k: int) -> str:
    """A cell as shown everywhere: "<k" when small, SECONDARY_MARK when hidden to protect a small one."""
    return "" if cell is None else cell.display(k)


@register.filter
def svg_uri(svg: str) -> str:
    return data_uri(svg) if svg else ""


@register.filter
def bar_width(cell: Cell | None) -> int:
    if cell is None or cell.suppressed or cell.value is None:
        return 0
    return max(0, min(100, int(cell.value)))


@register.filter
def legend(table: Table, k: int) -> str:
    """The line explaining the marks, for a table with hidden cells ("" when nothing is hidden)."""
    hidden = any(c.suppressed for r in table.rows for c in r.cells.values())
    return marks_legend(k) if hidden else ""


@register.filter
def mark_class(cell: Cell | None) -> str:
    """CSS classes of a table cell: "suppressed", and "secondary" for the mark of a protecting cell."""
    if cell is None or not cell.suppressed:
        return ""
    return " suppressed secondary" if cell.reason == SECONDARY else " suppressed"


@register.simple_tag
def secondary_mark() -> str:
    return SECONDARY_MARK
