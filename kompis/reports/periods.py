"""Report periods: a year, a quarter, a month or a custom range of dates, in Europe/Stockholm time.

A period is a range of local dates [start, end] (both inclusive); queries use the aware datetimes
[start 00:00, end + 1 day 00:00) in Europe/Stockholm, so an event at 2026-12-31 23:30 UTC (00:30 on
1 January in Stockholm) belongs to 2027.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    code: str  # "2026", "2026-Q3", "2026-05" or "2026-01-01..2026-06-30"

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=STOCKHOLM)

    @property
    def end_at(self) -> datetime:
        """Exclusive upper bound."""
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=STOCKHOLM)

    @property
    def year(self) -> int:
        """The year ages are computed for (age = this year − birth year): the year the period ends in."""
        return self.end.year

    @property
    def label(self) -> str:
        if re.fullmatch(r"\d{4}", self.code):
            return self.code
        if "-Q" in self.code:
            year, q = self.code.split("-Q")
            return _("Quarter %(q)s %(year)s") % {"q": q, "year": year}
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        out, d = [], self.start.replace(day=1)
        while d <= self.end:
            out.append(d)
            d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        return out

    def previous_year(self) -> Period:
        def back(d: date) -> date:
            try:
                return d.replace(year=d.year - 1)
            except ValueError:  # 29 February
                return d.replace(year=d.year - 1, day=28)

        return Period(back(self.start), back(self.end), f"{back(self.start)}..{back(self.end)}")

    def clip(self, start: date | None, end: date | None) -> Period | None:
        """The part of this period within [start, end]; None if they do not overlap."""
        s = max(self.start, start) if start else self.start
        e = min(self.end, end) if end else self.end
        if s > e:
            return None
        return Period(s, e, f"{s.isoformat()}..{e.isoformat()}")


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def parse_period(value: str) -> Period:
    """ "2026", "2026-Q3", "2026-05" or "2026-01-01..2026-06-30"; raises PeriodError with a clear message."""
    text = (value or "").strip()
    try:
        if m := re.fullmatch(r"(\d{4})", text):
            y = int(m[1])
            return Period(date(y, 1, 1), date(y, 12, 31), text)
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text):
            y, q = int(m[1]), int(m[2])
            return Period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), f"{y}-Q{q}")
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            y, mo = int(m[1]), int(m[2])
            return Period(date(y, mo, 1), _month_end(y, mo), text)
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})", text):
            s, e = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if s > e:
                raise PeriodError(_("The period starts after it ends: %(value)s") % {"value": text})
            return Period(s, e, f"{s.isoformat()}..{e.isoformat()}")
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(_("Not a valid date in the period: %(value)s") % {"value": text}) from exc
    raise PeriodError(
        _(
            "Unknown period %(value)s: use a year (2026), a quarter (2026-Q3), a month (2026-05) "
            "or dates (2026-01-01..2026-06-30)."
        )
        % {"value": text or '""'}
    )
