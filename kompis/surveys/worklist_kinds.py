"""What survey waves add to the work list (registered in SurveysConfig.ready): a call to someone invited
without a working e-mail address, and a call to someone who has not answered after the last reminder; a
task about a wave is shown as the wave's name, linked to its page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import User
from kompis.surveys.access import surveys_for_builder
from kompis.surveys.models import Wave
from kompis.worklist import kinds, subjects
from kompis.worklist.models import Task
from kompis.worklist.subjects import SubjectLink

#: invited, but no working e-mail address: call (and interview) them
SURVEY_CALL = "survey_call"
#: no answer after the last reminder: call them
SURVEY_NO_ANSWER = "survey_no_answer"
#: a task about a wave names it as the audit log does
WAVE_SUBJECT = "surveys.wave"

OUTCOMES: tuple[tuple[str, kinds.Text], ...] = (
    ("answered", _("They answered (or I took their answers)")),
    ("declined", _("They do not want to answer")),
    ("not_reached", _("Could not reach them")),
)


def describe_waves(user: User, tasks: Sequence[Task]) -> Mapping[int, SubjectLink]:
    uids = [t.subject_id for t in tasks if t.subject_type == WAVE_SUBJECT]
    waves = {str(w.uid): w for w in Wave.objects.filter(uid__in=uids, survey__in=surveys_for_builder(user))}
    links: dict[int, SubjectLink] = {}
    for task in tasks:
        wave = waves.get(task.subject_id)
        if wave is not None:
            links[task.pk] = SubjectLink(
                label=wave.name, url=reverse("surveys:wave", kwargs={"wave_id": wave.uid})
            )
    return links


def register_worklist() -> None:
    kinds.register(
        SURVEY_CALL,
        _("Survey by phone"),
        _(
            "This person is invited to a survey but has no working e-mail address: call and ask the questions."
        ),
        outcomes=OUTCOMES,
    )
    kinds.register(
        SURVEY_NO_ANSWER,
        _("No answer to a survey"),
        _("No answer to the survey after the reminders: call and ask whether they will answer."),
        outcomes=OUTCOMES,
    )
    subjects.register(WAVE_SUBJECT, describe=describe_waves)
