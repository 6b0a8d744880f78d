from __future__ import annotations

from django import template

from kompis.participants import vocab

register = template.Library()


@register.filter
def vocab_labels(codes: list[str], vocab_name: str) -> str:
    """Translated labels of stored codes, e.g. languages or interests."""
    mapping = getattr(vocab, vocab_name.upper())
    return ", ".join(str(mapping.get(code, code)) for code in codes or [])
