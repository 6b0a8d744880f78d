"""The page a follow-up mail's answer link opens: no login, in the participant's language.

Opening the link (GET or HEAD, which mail scanners do for every link in a mail) only shows the chosen
answer; the answer is recorded when the person presses the button (a POST with the CSRF cookie the page
set). A person who has left sees the "you have left" page and nothing is recorded.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from kompis.core.links import page_language, render_in
from kompis.core.tokens import InvalidLink, make_token, read_token
from kompis.followup import services
from kompis.followup.forms import CommentForm
from kompis.followup.models import Answer, FollowUp


def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        payload = read_token(
            services.ANSWER_PURPOSE, token, max_age=timedelta(days=settings.FOLLOWUP_LINK_DAYS)
        )
        followup = (
            FollowUp.objects.select_related(
                "participant__organisation", "participant__friend_matching", "match"
            )
            .filter(uid=str(payload.get("f", "")))
            .first()
        )
        if followup is None or payload.get("a") not in Answer.values:
            raise InvalidLink("gone")
    except InvalidLink as exc:
        # An expired link still names its question: tell the participant in her language.
        expired = FollowUp.objects.filter(uid=str(exc.payload.get("f", ""))).first() if exc.payload else None
        if expired is None:
            return render(request, "followup/link_invalid.html", {"reason": exc.reason}, status=400)
        return render_in(
            request,
            "followup/link_invalid.html",
            {"reason": exc.reason},
            language=page_language(request, expired.participant.preferred_language),
            status=400,
        )
    person = followup.participant
    language = page_language(request, person.preferred_language)
    chosen = str(payload["a"])
    context = {
        "organisation": person.organisation,
        "participant": person,
        "person": person,
        "answer": chosen,
    }
    if services.has_left(person):
        return render_in(request, "participants/left.html", context, language=language)
    with translation.override(language):
        form = CommentForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            services.record_answer(followup=followup, answer=chosen)
            if form.cleaned_data["comment"].strip():  # an empty send keeps an earlier comment
                services.save_comment(followup=followup, comment=form.cleaned_data["comment"])
            return render_in(
                request,
                "followup/thanks.html",
                {
                    **context,
                    "commented": bool(form.cleaned_data["comment"].strip()),
                    "ask_again_days": settings.FOLLOWUP_NOT_YET_DAYS,
                },
                language=language,
            )
        others = [
            (value, label, _answer_path(followup, value))
            for value, label in Answer.choices
            if value != chosen
        ]
        return render_in(
            request,
            "followup/answer.html",
            {
                **context,
                "form": form,
                "label": Answer(chosen).label,
                "already": followup.answer == chosen,
                "others": others,
            },
            language=language,
        )


def _answer_path(followup: FollowUp, value: str) -> str:
    """The page for another answer (a link on this site, so it works on any host name)."""
    token = make_token(services.ANSWER_PURPOSE, {"f": str(followup.uid), "a": value})
    return reverse("followup:answer", args=[token])
