"""Structured reasons for a pair's score and their plain-English rendering."""

from __future__ import annotations

from kompis.matching.engine.encode import (
    AVAIL_BIT,
    C_AVAIL,
    C_BY,
    C_HC,
    C_MUNI,
    C_PHYS,
    C_POST,
    C_SV,
    C_WAIT,
    C_WAITPTS,
    P_AVAIL,
    P_FAM,
    P_MUNI,
    P_POST,
    P_SV,
    Problem,
)
from kompis.matching.engine.model import Reason
from kompis.matching.engine.municipalities import municipality_name

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

#: order in which reasons are listed (bigger components first is not stable across weights)
REASON_CODES = (
    "shared_interests",
    "age_close",
    "waiting",
    "swedish_practice",
    "same_municipality",
    "postal_close",
    "family",
    "shared_availability",
)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def pair_reasons(prob: Problem, n: int, e: int) -> tuple[int, list[Reason]]:
    """Score (centipoints) and reasons of the pair (newcomer index ``n``, established ``e``).

    Mirrors :func:`kompis.matching.engine.kernels.score` component by component.
    """
    An, Ae = prob.N.A, prob.E.A
    pn, pe = prob.N.people[n], prob.E.people[e]
    reasons: list[Reason] = []
    total = 0

    def add(code: str, params: dict[str, object], cpts: int) -> None:
        nonlocal total
        total += cpts
        if cpts > 0:
            reasons.append(Reason(code, params, cpts / 100.0))

    shared = sorted(set(pn.interests) & set(pe.interests))
    add(
        "shared_interests",
        {"count": len(shared), "items": shared},
        int(prob.tab_int[min(len(shared), len(prob.tab_int) - 1)]),
    )
    d = abs(int(An[n, C_BY]) - int(Ae[e, C_BY]))
    year = prob.today.year
    add(
        "age_close",
        {"ages": [year - int(An[n, C_BY]), year - int(Ae[e, C_BY])], "difference": d},
        int(prob.tab_age[min(d, len(prob.tab_age) - 1)]),
    )
    add(
        "waiting",
        {"newcomer_days": int(An[n, C_WAIT]), "established_days": int(Ae[e, C_WAIT])},
        int(An[n, C_WAITPTS] + Ae[e, C_WAITPTS]),
    )
    add("swedish_practice", {}, int(prob.P[P_SV]) if Ae[e, C_SV] else 0)
    if An[n, C_PHYS] and Ae[e, C_PHYS]:
        if An[n, C_MUNI] == Ae[e, C_MUNI]:
            code = pn.municipality_code
            add("same_municipality", {"code": code, "name": municipality_name(code)}, int(prob.P[P_MUNI]))
        if An[n, C_POST] >= 0 and An[n, C_POST] == Ae[e, C_POST]:
            add("postal_close", {"prefix": f"{int(An[n, C_POST]):03d}"}, int(prob.P[P_POST]))
    add("family", {}, int(prob.P[P_FAM]) if An[n, C_HC] and Ae[e, C_HC] else 0)
    common = int(An[n, C_AVAIL] & Ae[e, C_AVAIL])
    slots = [s for s, bit in AVAIL_BIT.items() if common & bit]
    add("shared_availability", {"items": slots}, int(prob.P[P_AVAIL]) if common else 0)
    return total, reasons


def render_english(reason: Reason) -> str:
    """Plain-English text for a :class:`Reason`."""
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


def render_shortage(p: dict[str, object]) -> str:
    lang = language_name(str(p["language"]))
    role = str(p["role"])
    other = "established" if role == "newcomer" else "newcomers"
    who = f"{p['waiting']} {lang}-speaking {role}s" if role == "newcomer" else f"{p['waiting']} {lang}-speaking established"
    mode = str(p["mode"])
    if mode == "physical":
        where = f" in {municipality_name(str(p['municipality_code']))} want to meet physically"
    elif mode == "digital":
        where = " want to meet digitally"
    else:
        where = f" in {municipality_name(str(p['municipality_code']))} (physical or digital)"
    return f"{who}{where}; {p['compatible']} compatible {other} ({p['free']} still free)"
