"""Many rows of one model written fast: batched INSERTs with values the model's own fields prepare."""

from __future__ import annotations

from typing import Any

from django.db import connections, models, router
from django.db.models.fields import AutoFieldMixin

_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


class Inserter:
    """Batched INSERTs for many rows of one model (what bulk_create does, without building model instances and
    SQL per batch: bulk_create took over a minute for 100,000 participants on SQLite). Values are prepared
    by the model fields themselves (get_db_prep_save), so every database gets what the ORM would send."""

    def __init__(
        self, model: type[models.Model], constant: dict[str, Any], *, batch_size: int = 2000
    ) -> None:
        self.batch_size = batch_size
        self.connection = connections[router.db_for_write(model)]
        # generated columns (phone_digits) are written by the database itself, and so is an automatic key; a
        # key that is another row's (a one-to-one as primary key) is a value like any other
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not (f.primary_key and isinstance(f, AutoFieldMixin)) and not f.generated
        ]
        qn = self.connection.ops.quote_name
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            qn(model._meta.db_table),
            ", ".join(qn(f.column) for f in self.fields),
            ", ".join(["%s"] * len(self.fields)),
        )
        self.constant = {}
        for f in self.fields:
            if f.name in constant:
                self.constant[f.name] = self._prep(f, constant[f.name])
            elif not f.has_default() or not callable(f.default):
                self.constant[f.name] = self._prep(f, f.get_default())
        self.plain = [type(f) in _PLAIN_FIELDS or (isinstance(f, models.ForeignKey)) for f in self.fields]
        self.rows: list[list[Any]] = []
        self.count = 0

    def _prep(self, f: models.Field[Any, Any], value: Any) -> Any:
        if isinstance(f, models.ForeignKey) or value is None:
            return value
        return f.get_db_prep_save(value, self.connection)

    def add(self, values: dict[str, Any]) -> None:
        row = []
        for f, plain in zip(self.fields, self.plain, strict=True):
            name = f.name if f.name in values else f.attname
            if name in values:
                value = values[name]
                row.append(value if plain or value is None else f.get_db_prep_save(value, self.connection))
            elif f.name in self.constant:
                row.append(self.constant[f.name])
            else:
                row.append(self._prep(f, f.get_default()))
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.rows = []
