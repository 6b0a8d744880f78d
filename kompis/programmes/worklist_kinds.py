"""What programmes add to the work list (registered in ProgrammesConfig.ready): the silent-pair task (a pair
that has logged no meeting for the programme's `silent_pair_days`), and how a task about a mentor pair is
shown (the two first names, linked to the cohort's page)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import User
from kompis.participants.access import visible_people
from kompis.programmes.access import programmes_for_user
from kompis.programmes.models import MentorPair
from kompis.worklist import kinds, subjects
from kompis.worklist.models import Task
from kompis.worklist.subjects import SubjectLink

#: the work-list kind of a pair that has not met for too long
SILENT_PAIR = "silent_pair"
#: a task about a mentor pair names it as the audit log does
PAIR_SUBJECT = "programmes.mentorpair"
#: the outcome when the pair logs a meeting again (the task closes itself)
MET_AGAIN = "met_again"

OUTCOMES: tuple[tuple[str, kinds.Text], ...] = (
    (MET_AGAIN, _("They have met again")),
    ("contacted", _("Contacted them: they will meet")),
    (kinds.NO_CHANGE, _("No change needed")),
)


def describe_pairs(user: User, tasks: Sequence[Task]) -> Mapping[int, SubjectLink]:
    """ "Samir – Britt", linked to the cohort's page; first names as the user may see them."""
    uids = [t.subject_id for t in tasks if t.subject_type == PAIR_SUBJECT]
    pairs = {
        str(p.uid): p
        for p in MentorPair.objects.filter(
            uid__in=uids, cohort__programme__in=programmes_for_user(user)
        ).select_related("cohort", "mentee__participant", "mentor__participant")
    }
    people = visible_people(user, [e.participant for p in pairs.values() for e in (p.mentee, p.mentor)])
    links: dict[int, SubjectLink] = {}
    for task in tasks:
        pair = pairs.get(task.subject_id)
        if pair is None:
            continue
        names = [people[e.participant_id].first_name for e in (pair.mentee, pair.mentor)]
        links[task.pk] = SubjectLink(
            label=" – ".join(names),
            url=reverse("programmes:pair_meeting", kwargs={"pair_id": pair.uid}),
        )
    return links


def register_worklist() -> None:
    kinds.register(
        SILENT_PAIR,
        _("Silent mentor pair"),
        _("This mentor pair has logged no meeting for a long time: call them and ask how it goes."),
        outcomes=OUTCOMES,
    )
    subjects.register(PAIR_SUBJECT, describe=describe_pairs)
