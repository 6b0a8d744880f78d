"""An open survey's results weighted to population margins (issue #14, "Interviews and open surveys").

The margins are typed as a table, one line per category: `question code, answer code, population count or
share` (e.g. `gender, woman, 50.3`), for one or more questions the survey asked (region of birth, gender
identity, …). Respondents are raked to them (`kompis.surveystats.weighting`, iterative proportional fitting)
and every counted question shows its unweighted and weighted shares side by side, with the Kish design
effect and the effective sample size. Respondents who did not answer a margin question are left out of the
weighted figures (their number is shown). Nothing is stored: the table travels in the page's query.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from kompis.surveys.results import ADDITIVE_KINDS, COUNTED_KINDS, SECONDARY_MARK, QuestionInfo, WaveData
from kompis.surveystats.tables import code_of, is_missing
from kompis.surveystats.weighting import RakingError, rake, weighted_shares


class MarginsError(ValueError):
    pass


def parse_margins(text: str, infos: list[QuestionInfo]) -> dict[str, dict[str, float]]:
    """The typed table as {question: {answer: count}}; a line that cannot be read is named in the error."""
    by_code = {i.code: i for i in infos}
    margins: dict[str, dict[str, float]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace(";", ",").replace("\t", ",").split(",")]
        if len(parts) != 3:
            raise MarginsError(_("Line %(n)s: write “question, answer, count or share”.") % {"n": number})
        question, answer, amount = parts
        if question not in by_code or by_code[question].kind not in COUNTED_KINDS:
            raise MarginsError(
                _("Line %(n)s: “%(q)s” is not a choice question of this survey.")
                % {"n": number, "q": question}
            )
        try:
            value = float(amount.replace("\u00a0", "").replace(" ", "").replace("%", ""))
        except ValueError as exc:
            raise MarginsError(
                _("Line %(n)s: “%(v)s” is not a number.") % {"n": number, "v": amount}
            ) from exc
        if value < 0:
            raise MarginsError(_("Line %(n)s: a count or share cannot be negative.") % {"n": number})
        margins.setdefault(question, {})[answer] = value
    if not margins:
        raise MarginsError(_("Type at least one line."))
    return margins


@dataclass
class WeightedRow:
    code: str
    label: str
    unweighted: float
    weighted: float
    hidden: str = ""  # "<k": fewer than k respondents gave this answer; neither share is shown


@dataclass
class Weighted:
    n: int  # respondents weighted
    left_out: int  # respondents without an answer to a margin question
    design_effect: float
    effective_n: float
    questions: list[tuple[QuestionInfo, list[WeightedRow]]] = field(default_factory=list)


def weighted_results(
    infos: list[QuestionInfo], data: WaveData, margins: dict[str, dict[str, float]]
) -> Weighted:
    """Raked weights and, for each counted question, unweighted and weighted shares of its answers."""
    k = settings.SUPPRESSION_K
    usable = [a for a in data.answers if all(not is_missing(a.get(q)) for q in margins)]
    sample = {q: [code_of(a[q]) for a in usable] for q in margins}
    try:
        raked = rake(sample, margins)
    except RakingError as exc:
        raise MarginsError(
            _(
                "The margins cannot be met: every answer of a margin question needs a line, and every line a respondent."
            )
        ) from exc
    out = Weighted(len(usable), len(data.answers) - len(usable), raked.design_effect, raked.effective_n)
    for info in infos:
        if info.kind not in ADDITIVE_KINDS:  # one answer each: shares of respondents
            continue
        pairs = [
            (code_of(a[info.code]), w)
            for a, w in zip(usable, raked.weights, strict=True)
            if not is_missing(a.get(info.code))
        ]
        if not pairs:
            continue
        values = [v for v, _w in pairs]
        plain_share = weighted_shares(values)
        weighted_share = weighted_shares(values, [w for _v, w in pairs])
        counts = Counter(values)
        shown_rows = [
            WeightedRow(
                c,
                info.labels.get(c, c),
                plain_share.get(c, 0.0),
                weighted_share.get(c, 0.0),
                hidden=f"<{k}" if 0 < counts[c] < k else "",
            )
            for c in info.codes
        ]
        hidden = [r for r in shown_rows if r.hidden]
        others = sorted(
            (r for r in shown_rows if not r.hidden and counts[r.code]), key=lambda r: counts[r.code]
        )
        if (
            len(hidden) == 1 and others
        ):  # the shares add up to 100 %: one more hidden, or it can be worked out
            others[0].hidden = SECONDARY_MARK
        out.questions.append((info, shown_rows))
    return out
