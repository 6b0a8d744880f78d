from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from kompis.core.hooks import landing_context
from kompis.core.links import LANGUAGE_CHOSEN_COOKIE


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:staff_home")
    # The organisations to sign up with come from kompis.organisations (registered in its AppConfig).
    return render(request, "core/home.html", {"organisations": (), **landing_context()})


@require_GET
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """A plain link per language (works without JavaScript); the choice is remembered in a cookie."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
        )
        # Pages opened from a participant's mail link follow her language, except on a visit where she
        # chose one here (a cookie that ends with the browser session).
        response.set_cookie(LANGUAGE_CHOSEN_COOKIE, "1", samesite="Lax")
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _catcher_files() -> list[str]:
    folder = settings.MAIL_CATCHER_DIR
    if not folder.is_dir():
        return []
    return sorted((p.name for p in folder.glob("*.eml")), reverse=True)


def _dev_only() -> None:
    """The mail catcher exists only with KOMPIS_ENV=development (`make run`), never in production."""
    if not settings.DEVELOPMENT:
        raise Http404()


def mail_catcher(request: HttpRequest) -> HttpResponse:
    """The local mail catcher's inbox (development only): what `make run` would have sent."""
    _dev_only()
    mails = []
    for name in _catcher_files()[:200]:
        msg = email.message_from_bytes(
            (settings.MAIL_CATCHER_DIR / name).read_bytes(), policy=email.policy.default
        )
        mails.append({"name": name, "to": msg["To"], "subject": msg["Subject"], "date": msg["Date"]})
    return render(request, "core/mail_catcher.html", {"mails": mails})


def mail_catcher_message(request: HttpRequest, name: str) -> HttpResponse:
    _dev_only()
    if name not in _catcher_files():
        raise Http404()
    msg = email.message_from_bytes(
        (settings.MAIL_CATCHER_DIR / name).read_bytes(), policy=email.policy.default
    )
    assert isinstance(msg, EmailMessage)
    html = msg.get_body(preferencelist=("html",))
    text = msg.get_body(preferencelist=("plain",))
    return render(
        request,
        "core/mail_catcher_message.html",
        {
            "msg": msg,
            "message_id": msg["Message-ID"],
            "html": html.get_content() if html else "",
            "text": text.get_content() if text else "",
        },
    )
