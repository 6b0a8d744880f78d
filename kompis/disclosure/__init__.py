"""Disclosure control for published count tables, without Django: plain numbers in, cell statuses out.

    from kompis.disclosure import protect, intervals

    values = [3, 50, 60, 113]                 # the counts of one table, in any order
    sums = [(3, (0, 1, 2))]                   # values[3] == values[0] + values[1] + values[2]
    status = protect(values, sums, k=5)       # ["small", "secondary", "", ""]

See `kompis.disclosure.control` for the rules.
"""

from kompis.disclosure.control import SECONDARY, SMALL, Sum, intervals, is_safe, protect

__all__ = ["SECONDARY", "SMALL", "Sum", "intervals", "is_safe", "protect"]
