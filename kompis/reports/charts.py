"""Server-side SVG charts drawn from the suppressed tables (a suppressed cell draws no bar).

matplotlib's object API only (`Figure` + `FigureCanvasSVG`): no pyplot, so no global figure state shared
between threads. Palette: a dark and a light blue that stay distinct in greyscale print.
"""

from __future__ import annotations

import base64
import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from typing import Protocol

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text (searchable, smaller); set once at import
matplotlib.rcParams["svg.hashsalt"] = "kompis"  # stable ids: the same data gives the same file

from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from kompis.reports.suppression import Row, Table  # noqa: E402

DARK, LIGHT, GREY, INK = "#1f3a5f", "#9db4d0", "#c9ced6", "#333333"
FONT = {"family": "DejaVu Sans", "size": 9}


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    FigureCanvasSVG(fig).print_svg(buf)  # type: ignore[no-untyped-call]  # matplotlib leaves print_svg unannotated
    return buf.getvalue()


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _style(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(GREY)
    ax.tick_params(colors=INK, labelsize=8, length=0)
    ax.grid(axis="x", color="#e5e8ec", linewidth=0.6)
    ax.set_axisbelow(True)


def bar_values(rows: list[Row], key: str) -> list[float | None]:
    """What a chart draws for one series: the shown values, None (no bar, only the mark) for hidden ones."""
    out: list[float | None] = []
    for r in rows:
        cell = r.cells.get(key)
        out.append(None if cell is None or cell.suppressed else float(cell.value or 0))
    return out


def grouped_bars(table: Table, series: list[tuple[str, str]], k: int) -> str:
    """Horizontal bars, one group per (non-total) row, one bar per series column; hidden: its mark."""
    rows = [r for r in table.rows if not r.is_total]
    if all(v is None for key, _label in series for v in bar_values(rows, key)):
        return ""  # nothing shown: no chart (also when there are no rows)
    height = 0.5 + 0.32 * len(rows) * max(1, len(series)) ** 0.6
    fig = Figure(figsize=(5.2, max(1.6, height)))
    ax = fig.add_subplot()
    n = len(series)
    bar = 0.8 / n
    colors = [DARK, LIGHT, GREY]
    top = max(
        [r.cells[key].value or 0 for r in rows for key, _label in series if not r.cells[key].suppressed] + [1]
    )
    for i, (key, label) in enumerate(series):
        ys = [len(rows) - 1 - j + (n - 1 - 2 * i) * bar / 2 for j in range(len(rows))]
        values = bar_values(rows, key)
        drawn = [(y, v) for y, v in zip(ys, values, strict=True) if v is not None]
        ax.barh(  # a hidden value draws no bar at all, only its mark
            [y for y, _v in drawn],
            [v for _y, v in drawn],
            height=bar * 0.92,
            color=colors[i % 3],
            label=label,
            edgecolor="none",
        )
        for y, r, v in zip(ys, rows, values, strict=True):
            text = r.cells[key].mark(k) if v is None else f"{v:,.0f}".replace(",", "\u202f")
            ax.text(
                (v or 0) + top * 0.01,
                y,
                text,
                va="center",
                ha="left",
                fontsize=7,
                color=INK,
                family=FONT["family"],
            )
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r.label for r in reversed(rows)], fontsize=8)
    ax.set_xlim(0, top * 1.15)
    ax.set_ylim(-0.5, len(rows) - 0.5)  # every row, also one whose bars are all hidden
    _style(ax)
    if n > 1:
        ax.legend(
            loc="lower left", bbox_to_anchor=(0, 1.0), ncol=n, fontsize=7, frameon=False, borderaxespad=0.2
        )
    fig.tight_layout(pad=0.4)
    return _svg(fig)


def trend_chart(table: Table, k: int) -> str:
    rows = [r for r in table.rows if not r.is_total]
    if not rows:
        return ""
    fig = Figure(figsize=(7.2, 2.4))
    cols = table.columns
    for idx, (cur, prev) in enumerate(((cols[0], cols[1]), (cols[2], cols[3]))):
        ax = fig.add_subplot(1, 2, idx + 1)
        xs = range(len(rows))
        for key, color, offset, label in (
            (prev.key, LIGHT, -0.2, prev.label),
            (cur.key, DARK, 0.2, cur.label),
        ):
            values = bar_values(rows, key)
            drawn = [(x + offset, v) for x, v in zip(xs, values, strict=True) if v is not None]
            ax.bar(
                [x for x, _v in drawn],
                [v for _x, v in drawn],
                width=0.4,
                color=color,
                label=label,
                edgecolor="none",
            )
            for x, r, v in zip(xs, rows, values, strict=True):  # a hidden value: its mark instead of a bar
                if v is None:
                    ax.text(
                        x + offset, 0, r.cells[key].mark(k), ha="center", va="bottom", fontsize=5, color=INK
                    )
        ax.set_xticks(list(xs))
        ax.set_xticklabels([r.label[5:] for r in rows], fontsize=7)
        ax.grid(axis="y", color="#e5e8ec", linewidth=0.6)
        _style(ax)
        ax.grid(axis="x", visible=False)
        ax.legend(fontsize=7, frameon=False, loc="upper left")
    fig.tight_layout(pad=0.4)
    return _svg(fig)


def targets_chart(table: Table, k: int) -> str:
    rows = table.rows
    if not rows:
        return ""
    fig = Figure(figsize=(5.2, max(1.4, 0.45 + 0.36 * len(rows))))
    ax = fig.add_subplot()
    ys = list(range(len(rows) - 1, -1, -1))
    ax.barh(ys, [100] * len(rows), height=0.55, color="#eef1f5", edgecolor="none")
    for y, r in zip(ys, rows, strict=True):
        pct = r.cells["percent"]
        if not pct.suppressed and pct.value is not None:  # a hidden share draws no bar
            ax.barh([y], [min(pct.value, 100)], height=0.55, color=DARK, edgecolor="none")
        ax.text(102, y, pct.display(k), va="center", fontsize=7, color=INK)
    ax.set_yticks(ys)
    ax.set_yticklabels([r.label for r in rows], fontsize=7.5)
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 50, 100])
    ax.set_xticklabels(["0 %", "50 %", "100 %"], fontsize=7)
    _style(ax)
    fig.tight_layout(pad=0.4)
    return _svg(fig)


_CACHE: OrderedDict[tuple[object, ...], str] = OrderedDict()
_LOCK = threading.Lock()
CACHE_SIZE = 256


def _signature(table: Table, kind: str, extra: tuple[object, ...]) -> tuple[object, ...]:
    return (
        kind,
        table.key,
        extra,
        tuple(c.label for c in table.columns),
        tuple(
            (r.label, r.is_total, tuple((c.value, c.suppressed, c.reason) for c in r.cells.values()))
            for r in table.rows
        ),
    )


def cached(table: Table, kind: str, extra: tuple[object, ...], draw: Callable[[], str]) -> str:
    """Drawing is the slow part of a dashboard; the same (suppressed) numbers give the same SVG."""
    key = _signature(table, kind, extra)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    svg = draw()
    with _LOCK:
        _CACHE[key] = svg
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return svg


class Charted(Protocol):
    """What charts are drawn for: a report's tables (`kompis.reports.report.Report`, which imports this
    module only when it draws, so this module names the shape instead of importing it)."""

    k: int
    summary: Table
    tables: list[Table]
    targets: Table


def attach(report: Charted) -> None:
    """Draws a chart for each table that has one (on the suppressed figures)."""
    k = report.k
    roles = [
        ("newcomer", report.summary.column("newcomer").label),
        ("established", report.summary.column("established").label),
    ]
    for table in report.tables:
        if table.key == "trend":
            table.chart = cached(table, "trend", (k,), partial(trend_chart, table, k))
        elif table.key == "ended_by_reason":
            series = [("n", table.columns[0].label)]
            table.chart = (
                cached(table, "bars", (k, tuple(series)), partial(grouped_bars, table, series, k))
                if len(table.rows) > 1
                else ""
            )
        else:
            table.chart = cached(table, "bars", (k, tuple(roles)), partial(grouped_bars, table, roles, k))
    report.targets.chart = cached(report.targets, "targets", (k,), partial(targets_chart, report.targets, k))
