"""Signed links never reach a log (issue 10 §8): the access log, runserver's log and Django's
"Not Found" / "Bad Request" warnings show the path with the token masked."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kompis.core.logs import MASK, mask_tokens
from kompis.core.tokens import make_token
from kompis.followup.services import ANSWER_PURPOSE
from kompis.participants.services import CONFIRM_PURPOSE, SELF_SERVICE_PURPOSE, self_service_url

ROOT = Path(__file__).resolve().parents[2]


def token(purpose: str = SELF_SERVICE_PURPOSE) -> str:
    return make_token(purpose, {"p": "c8e1b6a4-2f4f-4b7e-9d7e-0c6f3f1d2a11"})


def signature(t: str) -> str:
    return t.rsplit(":", 1)[1]


def test_not_found_and_bad_request_warnings_mask_the_token(client, world, uppsala_participant, caplog):
    me = token()
    confirm = token(CONFIRM_PURPOSE)
    answer = make_token(ANSWER_PURPOSE, {"f": "c8e1b6a4-2f4f-4b7e-9d7e-0c6f3f1d2a11", "a": "met"})
    caplog.set_level(logging.WARNING)
    assert client.get(f"/no-such-org/me/{me}/").status_code == 404  # "Not Found: /no-such-org/me/<token>/"
    assert client.get(f"/{world.org.slug}/signup/confirm/{confirm}x/").status_code == 400  # "Bad Request"
    client.get(f"/f/{answer}/")
    client.get(self_service_url(uppsala_participant).replace(world.org.slug, "nope"))
    text = caplog.text
    assert "Not Found: /no-such-org/me/" in text and "Bad Request: " in text
    for secret in (me, confirm, answer, signature(me), signature(confirm)):
        assert secret not in text
    assert f"/me/{MASK}/" in text and f"/confirm/{MASK}/" in text
    for record in caplog.records:  # the message handlers format, not only caplog's text
        assert signature(me) not in record.getMessage()


def test_runserver_access_log_masks_the_token(caplog):
    me = token()
    caplog.set_level(logging.INFO, logger="django.server")
    logging.getLogger("django.server").info('"%s" %s %s', f"GET /demo/me/{me}/ HTTP/1.1", "200", "1234")
    assert me not in caplog.text and signature(me) not in caplog.text
    assert f'"GET /demo/me/{MASK}/ HTTP/1.1" 200 1234' in caplog.text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GET /demo/me/abc/ HTTP/1.1", f"GET /demo/me/{MASK}/ HTTP/1.1"),  # any token after /me/
        ("/accounts/password/reset/abc/", f"/accounts/password/reset/{MASK}/"),
        ("/accounts/invitation/abc/", f"/accounts/invitation/{MASK}/"),
        ("/demo/me/", "/demo/me/"),  # the page asking for a link has no token
        ("/staff/participants/?q=amal&token=abc", f"/staff/participants/?q=amal&token={MASK}"),
        ("participant c8e1b6a4-2f4f-4b7e-9d7e-0c6f3f1d2a11 at 12:30:00", None),  # ids and times stay
        ('10.0.0.1 [25/Nov/2026:18:54:14 +0000] "GET /staff/ HTTP/1.1" 200', None),
    ],
)
def test_mask_rules(line, expected):
    assert mask_tokens(line) == (line if expected is None else expected)


def test_a_signed_value_is_masked_wherever_it_appears():
    t = token()
    encoded = t.replace(":", "%3A")
    assert (
        mask_tokens(f"Referer: https://x.example/{encoded}/next") == f"Referer: https://x.example/{MASK}/next"
    )
    assert mask_tokens(f"value {t} end") == f"value {MASK} end"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_access_log_as_kompis_serve_starts_it(tmp_path):
    """The web server `kompis serve` runs, with its own arguments: the access log shows no token."""
    from kompis.core.management.commands.serve import gunicorn_command

    port = _free_port()
    env = {
        **os.environ,
        "KOMPIS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    me = token()
    out = tmp_path / "access.log"
    with out.open("w") as log:
        proc = subprocess.Popen(
            gunicorn_command(f"127.0.0.1:{port}"), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2)
                break
            except OSError:  # not listening yet, or still booting
                time.sleep(0.2)
        for path in (f"/x/y/me/{me}/", f"/f/{me}/z/"):
            with contextlib.suppress(urllib.error.HTTPError):  # 404: logged all the same
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
        time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    text = out.read_text()
    assert "GET /healthz/" in text, text
    assert f"/x/y/me/{MASK}/" in text and f"/f/{MASK}/z/" in text, text
    assert signature(me) not in text and me.split(":")[0] not in text
