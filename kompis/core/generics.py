"""Django's classes that django-stubs types as generic can be subscripted at run time too.

`class RegionAdmin(admin.ModelAdmin[Region])`, `forms.ModelForm[Project]`, `models.CharField[str, str]` are
what `mypy --strict` asks for ([type-arg]); Django itself has no `__class_getitem__` on them. This does what
django-stubs-ext's `monkeypatch()` does, without that package (a development dependency) in production.
Called first thing from kompis/settings.py, so before any model, form or admin module is imported.
"""

from __future__ import annotations

from typing import Any


def _same_class(cls: type, *_args: Any) -> type:
    return cls


def allow_generic_subscripts() -> None:
    from django.contrib.admin.options import BaseModelAdmin
    from django.core.paginator import Paginator
    from django.db.models.fields import Field
    from django.forms.formsets import BaseFormSet
    from django.forms.models import BaseModelForm, BaseModelFormSet, ModelChoiceField, ModelChoiceIterator

    classes: tuple[type, ...] = (
        BaseModelAdmin,
        Field,
        BaseModelForm,
        BaseFormSet,
        BaseModelFormSet,
        ModelChoiceField,
        ModelChoiceIterator,
        Paginator,
    )
    for cls in classes:
        if "__class_getitem__" not in cls.__dict__:
            setattr(cls, "__class_getitem__", classmethod(_same_class))  # noqa: B010  (mypy: not on `type`)
