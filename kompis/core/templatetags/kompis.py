from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.http import HttpRequest
from django.template import Context
from django.utils.translation import gettext

register = template.Library()


@register.filter
def widget_type(field: BoundField) -> str:
    return str(field.field.widget.__class__.__name__).lower().replace("input", "")


@register.simple_tag(takes_context=True)
def query_with(context: Context, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key, value in kwargs.items():
        params[key] = value
    return "?" + params.urlencode()


@register.filter
def tr(value: str) -> str:
    return gettext(value)


@register.filter
def folded_choices(field: BoundField) -> dict[str, Any]:
    """The options of a checkbox or radio group, split for the keyboard: the first `field.show_first`
    (an attribute a form may set on a long list) shown, the rest under "Show more", which is open when one
    of them is chosen. `more_label` (a plural gettext with %(n)s) names what is hidden."""
    from django.utils.translation import ngettext

    options = list(field)
    shown = getattr(field.field, "show_first", None)
    if not shown or len(options) <= shown + 1:
        return {"first": options, "more": [], "open": False, "label": ""}
    more = options[shown:]
    label = getattr(field.field, "more_label", None)
    text = (
        label % {"n": len(more)}
        if label is not None
        else ngettext("Show %(n)s more choice", "Show %(n)s more choices", len(more)) % {"n": len(more)}
    )
    return {
        "first": options[:shown],
        "more": more,
        "open": any(option.data.get("selected") for option in more),
        "label": text,
    }
