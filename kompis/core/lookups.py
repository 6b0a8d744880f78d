"""One object by its lookup, or a 404: what every access helper ends with (`get_cohort_for_user` …)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def get_or_404(queryset: QuerySet[M], message: str, **lookup: Any) -> M:
    """The one row of `queryset` matching `lookup`; Http404(message) when there is none, or when the lookup
    is malformed (a uid that is not a uid), so that a foreign or made-up id looks the same as a missing one."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError) as exc:  # the queryset can only raise its model's
        raise Http404(message) from exc
