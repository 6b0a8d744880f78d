"""Surveys' sentences for the history (registered in SurveysConfig.ready). Each area adds its own codes to
`SENTENCES` (the builder's first)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kompis.audit.sentences import Sentence, plain, register

SENTENCES: dict[str, Sentence] = {
    # the builder
    "survey.created": plain(lambda: _("Survey created")),
    "survey.changed": plain(lambda: _("Survey name, languages or texts changed")),
    "survey.imported": plain(lambda: _("Survey imported from a definition file")),
    "survey.question_added": plain(lambda: _("Question added")),
    "survey.question_changed": plain(lambda: _("Question changed")),
    "survey.question_moved": plain(lambda: _("Question moved")),
    "survey.question_deleted": plain(lambda: _("Question deleted")),
    "survey.opened": plain(lambda: _("Survey opened")),
    "survey.closed": plain(lambda: _("Survey closed")),
    "survey.bank_question_added": plain(lambda: _("Question added to the question bank")),
    # answering (never says who: an anonymous wave's event names the wave only)
    "survey.response_submitted": plain(lambda: _("A response to the survey was submitted"), staff=False),
    "survey.anonymous_batch_written": plain(
        lambda: _("Waiting anonymous responses were written, in shuffled order"), staff=False
    ),
    # results
    "survey.results_exported": plain(lambda: _("A wave's responses were exported")),
    # in-depth interviews
    "interview.sample_drawn": plain(lambda: _("A stratified sample of people to interview was drawn")),
    "interview.note_added": plain(lambda: _("Interview notes added")),
    "interview.theme_added": plain(lambda: _("Interview theme added")),
}


def register_history() -> None:
    register(SENTENCES)
