"""Plain-English rendering of the engine's reasons (codes and parameters, no arrays).

Imports nothing else from the engine but the municipality table, so the model's ``Reason.english``
can use it without a cycle (model -> english; reasons -> model, english).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from kompis.matching.engine.municipalities import municipality_name


class _HasCodeAndParams(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def params(self) -> dict[str, Any]: ...


LANGUAGE_NAMES: dict[str, str] = {
    "sv": "Swedish",
    "en": "English",
    "ar": "Arabic",
    "fa": "Persian",
    "prs": "Dari",
    "so": "Somali",
    "ti": "Tigrinya",
    "uk": "Ukrainian",
    "ru": "Russian",
    "tr": "Turkish",
    "ku": "Kurdish",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "pl": "Polish",
    "bs": "Bosnian",
    "sr": "Serbian",
    "hr": "Croatian",
    "fi": "Finnish",
    "am": "Amharic",
    "ps": "Pashto",
    "zh": "Chinese",
    "th": "Thai",
    "vi": "Vietnamese",
    "pt": "Portuguese",
    "it": "Italian",
    "no": "Norwegian",
    "da": "Danish",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def render_english(reason: _HasCodeAndParams) -> str:
    """Plain-English text for a :class:`~kompis.matching.engine.model.Reason`."""
    p = reason.params
    code = reason.code
    if code == "shared_interests":
        items = ", ".join(str(i).replace("_", " ") for i in p.get("items", []))
        count = int(p.get("count", 0))
        noun = "shared interest" if count == 1 else "shared interests"
        return f"{count} {noun}: {items}" if items else f"{count} {noun}"
    if code == "age_close":
        a, b = p["ages"]
        return f"ages {a} and {b}"
    if code == "waiting":
        days = max(int(p.get("newcomer_days", 0)), int(p.get("established_days", 0)))
        return f"waiting {days} day" + ("" if days == 1 else "s")
    if code == "swedish_practice":
        return "established speaks Swedish"
    if code == "same_municipality":
        return f"both in {p.get('name') or municipality_name(str(p.get('code')))}"
    if code == "postal_close":
        return "postal codes close"
    if code == "family":
        return "both families with children"
    if code == "shared_availability":
        items = ", ".join(str(i).replace("_", " ") for i in p.get("items", []))
        return f"shared availability: {items}"
    if code == "pool_shortage":
        return render_shortage(p)
    return code.replace("_", " ") + (f" {p}" if p else "")


def render_shortage(p: Mapping[str, Any]) -> str:
    lang = language_name(str(p["language"]))
    role = str(p["role"])
    other = "established" if role == "newcomer" else "newcomers"
    who = (
        f"{p['waiting']} {lang}-speaking {role}s"
        if role == "newcomer"
        else f"{p['waiting']} {lang}-speaking established"
    )
    mode = str(p["mode"])
    if mode == "physical":
        where = f" in {municipality_name(str(p['municipality_code']))} want to meet physically"
    elif mode == "digital":
        where = " want to meet digitally"
    else:
        where = f" in {municipality_name(str(p['municipality_code']))} (physical or digital)"
    return f"{who}{where}; {p['compatible']} compatible {other} ({p['free']} still free)"
