"""Reading a wave's responses into plain data for `kompis.surveystats`, and the suppressed result tables.

Suppression mirrors `kompis.reports.suppression` (a higher layer, not imported) and uses the same
arithmetic, `kompis.disclosure.protect`: a count of 1 … k−1 is shown as "<k" (k = settings.SUPPRESSION_K,
the organisation-wide small-number threshold), and where a question's categories add up to its n (single
choice, yes/no, scales) a second count is hidden as "[c]" when it would give the small one away. A
percentage is hidden with its count. An anonymous survey shows nothing, and no breakdown, until at
least `survey.k_min` responses are written (and never breakdowns, which would need the person).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kompis.disclosure import SECONDARY, protect
from kompis.surveys.models import (
    CHOICE_KINDS,
    AnonymousResponse,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Wave,
    WaveKind,
)
from kompis.surveystats.change import Change, mean_change, proportion_change
from kompis.surveystats.dropoff import Step, dropoff
from kompis.surveystats.tables import QuestionTable, Rate, question_table

SECONDARY_MARK = "[c]"
#: question kinds whose categories add up to the question's n (each respondent gives one)
ADDITIVE_KINDS = (QuestionKind.SINGLE, QuestionKind.YES_NO, QuestionKind.LIKERT5, QuestionKind.LIKERT7)
NUMERIC_KINDS = (QuestionKind.LIKERT5, QuestionKind.LIKERT7, QuestionKind.NUMBER)
COUNTED_KINDS = (*CHOICE_KINDS, QuestionKind.YES_NO, QuestionKind.LIKERT5, QuestionKind.LIKERT7)
AGE_BANDS = [
    ("18-25", 18, 25),
    ("26-35", 26, 35),
    ("36-45", 36, 45),
    ("46-55", 46, 55),
    ("56-65", 56, 65),
    ("66+", 66, 200),
]
DIMENSIONS = ("role", "region", "gender", "age_band")


def text_in(texts: dict[str, Any], key: str | None = None, languages: list[str] | None = None) -> str:
    """A text in the page's language, else the survey's first language, else any."""
    order = [get_language() or "en", *(languages or []), *texts.keys()]
    for lang in order:
        value = texts.get(lang)
        if isinstance(value, dict):
            value = value.get(key or "text")
        if value:
            return str(value)
    return ""


@dataclass
class QuestionInfo:
    code: str
    kind: str
    text: str
    codes: list[str]  # the categories in order (options, yes/no, scale points)
    labels: dict[str, str]  # code → label
    text_in_reports: bool = False


def questions_of(wave: Wave) -> list[QuestionInfo]:
    survey = wave.survey
    out: list[QuestionInfo] = []
    for q in Question.objects.filter(survey=survey).prefetch_related("options"):
        if q.kind in CHOICE_KINDS:
            codes = [o.code for o in q.options.all()]
            labels = {o.code: text_in(o.texts, None, survey.languages) or o.code for o in q.options.all()}
        elif q.kind == QuestionKind.YES_NO:
            codes, labels = ["yes", "no"], {"yes": _("Yes"), "no": _("No")}
        elif q.kind in (QuestionKind.LIKERT5, QuestionKind.LIKERT7):
            top = 5 if q.kind == QuestionKind.LIKERT5 else 7
            codes = [str(i) for i in range(1, top + 1)]
            labels = {c: c for c in codes}
            labels["1"] = f"1 {text_in(q.texts, 'low', survey.languages)}".strip()
            labels[str(top)] = f"{top} {text_in(q.texts, 'high', survey.languages)}".strip()
        else:
            codes, labels = [], {}
        out.append(
            QuestionInfo(
                q.code,
                q.kind,
                text_in(q.texts, "text", survey.languages) or q.code,
                codes,
                labels,
                q.text_in_reports,
            )
        )
    return out


def _age_band(birth_year: int | None) -> str:
    if birth_year is None:
        return ""
    age = timezone.localdate().year - birth_year
    return next((key for key, lo, hi in AGE_BANDS if lo <= age <= hi), "")


@dataclass
class WaveData:
    """A wave's submitted answers as plain data: one dict per response, and (identified waves) the groups of
    the person who answered: {"role": ..., "region": ..., "gender": ..., "age_band": ...}."""

    answers: list[dict[str, Any]]
    groups: list[dict[str, str]]
    invited: int
    participants: list[int | None] = field(default_factory=list)


def read_wave(wave: Wave) -> WaveData:
    """Every submitted response of the wave, in one query each (20,000 responses well under a second)."""
    if wave.survey.anonymous:
        answers = list(AnonymousResponse.objects.filter(wave=wave).values_list("answers", flat=True))
        groups: list[dict[str, str]] = [{} for _ in answers]
        people: list[int | None] = [None for _ in answers]
    else:
        rows = Response.objects.filter(wave=wave, submitted_at__isnull=False).values_list(
            "answers",
            "participant_id",
            "participant__friend_matching__role",
            "participant__region__name",
            "participant__gender",
            "participant__birth_year",
        )
        answers, groups, people = [], [], []
        for ans, pid, role, region, gender, birth_year in rows:
            answers.append(ans)
            people.append(pid)
            groups.append(
                {
                    "role": role or "",
                    "region": region or "",
                    "gender": gender or "",
                    "age_band": _age_band(birth_year),
                }
            )
    if wave.kind == WaveKind.OPEN:
        invited = Response.objects.filter(wave=wave).count() if not wave.survey.anonymous else len(answers)
    else:
        invited = Invitation.objects.filter(wave=wave).count()
    return WaveData(answers=answers, groups=groups, invited=invited, participants=people)


@dataclass
class Shown:
    """One shown (or hidden) figure: `text` is what the page writes."""

    code: str
    label: str
    count: int
    percent: int | None
    hidden: str = ""  # "", "<k" or "[c]"

    @property
    def width(self) -> int:
        return 0 if self.hidden or self.percent is None else self.percent


@dataclass
class ShownTable:
    n: int
    n_hidden: str
    rows: list[Shown]
    mean: float | None = None


def shown_table(info: QuestionInfo, table: QuestionTable, k: int) -> ShownTable:
    """The table with small counts hidden (and, where the categories add up to n, a second count)."""
    values = [c.count for c in table.counts] + [table.n]
    sums = [(len(values) - 1, tuple(range(len(values) - 1)))] if info.kind in ADDITIVE_KINDS else []
    # nothing small: nothing to hide (protect's answer, without its linear programmes: ~10 ms a table)
    status = protect(values, sums, k) if any(0 < v < k for v in values) else [""] * len(values)
    mark = {"small": f"<{k}", SECONDARY: SECONDARY_MARK, "": ""}
    rows = [
        Shown(c.code, info.labels.get(c.code, c.code), c.count, c.percent, mark[status[i]])
        for i, c in enumerate(table.counts)
    ]
    n_hidden = mark[status[-1]]
    # a mean with a hidden category would let the hidden counts be worked out (e.g. 3·a + 4·(n − a))
    mean = None if any(status) else table.mean
    return ShownTable(n=table.n, n_hidden=n_hidden, rows=rows, mean=mean)


@dataclass
class QuestionResult:
    info: QuestionInfo
    table: ShownTable | None  # None: free text, numbers without categories
    breakdowns: dict[str, dict[str, ShownTable]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)  # free text (staff only)
    n: int = 0


@dataclass
class WaveResults:
    wave: Wave
    rate: Rate
    k: int
    shown: bool  # False: an anonymous wave with fewer than k_min responses
    questions: list[QuestionResult]
    rate_hidden: str = ""
    dropoff: list[Step] = field(default_factory=list)


def wave_results(wave: Wave, *, with_texts: bool, data: WaveData | None = None) -> WaveResults:
    """A wave's results per question, suppressed; free text only when `with_texts` (staff who see people)."""
    survey = wave.survey
    k = settings.SUPPRESSION_K
    data = data or read_wave(wave)
    infos = questions_of(wave)
    rate = Rate(answered=len(data.answers), invited=data.invited)
    shown = not survey.anonymous or rate.answered >= survey.k_min
    rate_hidden = f"<{k}" if 0 < rate.answered < k else ""
    results: list[QuestionResult] = []
    for info in infos:
        column = [a.get(info.code) for a in data.answers]
        result = QuestionResult(info=info, table=None)
        result.n = sum(1 for v in column if v not in (None, "", []))
        if not shown:
            results.append(result)
            continue
        if info.kind in COUNTED_KINDS:
            result.table = shown_table(
                info, question_table(column, info.codes, numeric=info.kind in NUMERIC_KINDS), k
            )
            if not survey.anonymous:
                for dim in DIMENSIONS:
                    groups: dict[str, list[Any]] = {}
                    for g, v in zip(data.groups, column, strict=True):
                        groups.setdefault(g.get(dim) or "–", []).append(v)
                    if list(groups) == ["–"]:  # nobody's group is known (an open wave): nothing to break down
                        continue
                    result.breakdowns[dim] = {
                        name: shown_table(info, question_table(vals, info.codes), k)
                        for name, vals in sorted(groups.items())
                    }
        elif info.kind == QuestionKind.NUMBER:
            result.table = shown_table(info, question_table(column, [], numeric=True), k)
        elif info.kind == QuestionKind.TEXT and with_texts and not (0 < result.n < k and survey.anonymous):
            result.texts = [str(v) for v in column if v not in (None, "", [])]
        results.append(result)
    steps: list[Step] = []
    if wave.kind == WaveKind.OPEN and not survey.anonymous:
        started = Response.objects.filter(wave=wave).values_list("last_question", "submitted_at")
        steps = dropoff([i.code for i in infos], [(last, done is not None) for last, done in started])
    return WaveResults(wave, rate, k, shown, results, rate_hidden, steps)


@dataclass
class PairedResult:
    info: QuestionInfo
    change: Change


def paired_change(baseline: Wave, final: Wave) -> list[PairedResult]:
    """Pre/post change per question asked in both identified waves, over persons who answered both.
    Yes/no: the change in the share answering yes; scales and numbers: the mean change."""
    if baseline.survey.anonymous or final.survey.anonymous:
        return []
    before = read_wave(baseline)
    after = read_wave(final)
    by_person = {p: a for p, a in zip(before.participants, before.answers, strict=True) if p is not None}
    pairs = [
        (by_person[p], a) for p, a in zip(after.participants, after.answers, strict=True) if p in by_person
    ]
    before_codes = {i.code for i in questions_of(baseline)}
    out: list[PairedResult] = []
    for info in questions_of(final):
        if info.code not in before_codes:
            continue
        values = [(b.get(info.code), a.get(info.code)) for b, a in pairs]
        if info.kind == QuestionKind.YES_NO:
            out.append(PairedResult(info, proportion_change(values, "yes")))
        elif info.kind in NUMERIC_KINDS:
            out.append(PairedResult(info, mean_change(values)))
    return [r for r in out if r.change.n >= settings.SUPPRESSION_K]


def baseline_of(wave: Wave) -> Wave | None:
    """The baseline wave of the same survey and cohort, for a final or follow-up wave."""
    if wave.kind not in (WaveKind.FINAL, WaveKind.FOLLOW_UP) or wave.survey.anonymous:
        return None
    qs = Wave.objects.filter(survey=wave.survey, kind=WaveKind.BASELINE)
    if wave.cohort_id is not None:
        qs = qs.filter(cohort_id=wave.cohort_id)
    return qs.order_by("opens_at").first()
