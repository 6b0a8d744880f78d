from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def widget_type(field: Any) -> str:
    return field.field.widget.__class__.__name__.lower().replace("input", "")


@register.filter
def vocab_labels(codes: list[str], vocab_name: str) -> str:
    """Translated labels of stored codes, e.g. languages or interests."""
    from kompis.participants import vocab

    mapping = getattr(vocab, vocab_name.upper())
    return ", ".join(str(mapping.get(code, code)) for code in codes or [])


@register.simple_tag(takes_context=True)
def query_with(context: Any, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        params[key] = value
    return "?" + params.urlencode()


@register.filter
def tr(value: str) -> str:
    return gettext(value)
