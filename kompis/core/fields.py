"""Small shared model pieces."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models


class CodeListField(models.CharField[list[str] | str, list[str]]):
    """A list of short codes (languages, interests) stored as " ar en sv " so that
    `has_code("languages", "ar")` filters portably on SQLite and PostgreSQL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> list[str]:
        return value.split() if value else []

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple):
            return list(value)
        return value.split() if value else []

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, str):  # lookups such as __contains=" ar "
            return value
        codes = sorted(set(value or []))
        return f" {' '.join(codes)} " if codes else ""

    def value_to_string(self, obj: models.Model) -> str:
        return " ".join(self.value_from_object(obj) or [])


def has_code(field: str, code: str) -> models.Q:
    return models.Q(**{f"{field}__contains": f" {code} "})


def opaque_id_field() -> models.UUIDField[uuid.UUID, uuid.UUID]:
    """Opaque ids for every object that appears in a URL."""
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
