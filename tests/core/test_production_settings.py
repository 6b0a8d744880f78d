"""Production-safe settings (issue 10 §8): DEBUG off and no published key unless development is chosen,
`check --deploy` clean, the mail catcher only in development."""

from __future__ import annotations

import io
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import signing
from django.core.management import call_command
from django.core.management.base import CommandError

from kompis.core.management.commands import serve
from kompis.participants.models import Participant
from kompis.participants.services import SELF_SERVICE_PURPOSE, self_service_url

PUBLISHED_KEY = "kompis-insecure-local-development-key-change-me"
ROOT = Path(__file__).resolve().parents[2]


def kompis_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh production server: nothing of the test run's development settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("KOMPIS_ENV", "DEBUG", "SECRET_KEY", "DATABASE_URL", "CACHE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
        and not k.startswith(("SECURE_", "SESSION_", "CSRF_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kompis.settings",
        KOMPIS_VAR_DIR=str(tmp_path / "var"),
        ALLOWED_HOSTS="kompis.example.org",
    )
    env.update(extra)
    return env


def kompis(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kompis.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = kompis_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), SITE_ROOT="https://kompis.example.org")
    result = kompis("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize("site_root", [None, "http://kompis.example.org", "https://localhost:8000"])
def test_check_deploy_warns_when_mail_links_would_not_reach_participants(tmp_path, site_root):
    """Without a public HTTPS SITE_ROOT every link in every mail points at this machine (or is plain HTTP)."""
    env = kompis_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50))
    if site_root:
        env["SITE_ROOT"] = site_root
    result = kompis("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0 and "kompis.W001" in result.stderr + result.stdout
    assert "Set SITE_ROOT to the public HTTPS address" in result.stderr + result.stdout
    doctor = kompis("doctor", env=env)
    assert "MISSING  links in mails (SITE_ROOT)" in doctor.stdout and doctor.returncode == 1


def test_ssl_redirect_can_be_left_to_a_reverse_proxy(tmp_path):
    env = kompis_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), SECURE_SSL_REDIRECT="false")
    code = "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE)"
    result = kompis("shell", "-v", "0", "-c", code, env=env)
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_production_without_secret_key_stops_with_a_clear_message(tmp_path):
    result = kompis("check", env=kompis_env(tmp_path))
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("env_name", ["production", "development"])
def test_the_published_key_is_refused_everywhere(tmp_path, env_name):
    result = kompis("check", env=kompis_env(tmp_path, SECRET_KEY=PUBLISHED_KEY, KOMPIS_ENV=env_name))
    assert result.returncode == 2
    assert "published" in result.stderr and "Traceback" not in result.stderr


def test_development_makes_its_own_key_once_and_rejects_the_published_one(tmp_path):
    env = kompis_env(tmp_path, KOMPIS_ENV="development")
    code = (
        "from django.conf import settings; from django.core import signing;"
        "from kompis.core.tokens import InvalidLink, read_token; import datetime;"
        f"t = signing.dumps({{'p': 'x'}}, key={PUBLISHED_KEY!r}, salt='kompis.{SELF_SERVICE_PURPOSE}', compress=True)\n"
        "try:\n read_token('"
        + SELF_SERVICE_PURPOSE
        + "', t, max_age=datetime.timedelta(days=1)); print('ACCEPTED')\n"
        "except InvalidLink: print('REJECTED')\n"
        "print(settings.DEBUG, settings.SECRET_KEY == " + repr(PUBLISHED_KEY) + ")"
    )
    first = kompis("shell", "-v", "0", "-c", code, env=env)
    assert first.stdout.split() == ["REJECTED", "True", "False"], first.stderr
    key_file = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    assert len(key.strip()) >= 50
    assert kompis("shell", "-v", "0", "-c", code, env=env).returncode == 0
    assert key_file.read_text() == key  # made once, kept


def test_a_link_signed_with_the_published_key_is_rejected(client, world, uppsala_participant):
    # The same link signed with this server's key works ...
    assert client.get(self_service_url(uppsala_participant)).status_code == 200
    forged = signing.dumps(
        {"p": str(uppsala_participant.uid)},
        key=PUBLISHED_KEY,
        salt=f"kompis.{SELF_SERVICE_PURPOSE}",
        compress=True,
    )
    response = client.post(f"/{world.org.slug}/me/{forged}/", {"action": "withdraw"})
    assert response.status_code == 400
    uppsala_participant.refresh_from_db()
    assert uppsala_participant.friend_matching.status != "withdrawn"
    assert Participant.objects.filter(friend_matching__status="withdrawn").count() == 0


def test_mail_catcher_exists_only_in_development(client, settings, tmp_path):
    settings.DEVELOPMENT = True
    assert client.get("/dev/mail/").status_code == 200
    settings.DEVELOPMENT = False
    settings.DEBUG = True  # DEBUG alone no longer opens it
    assert client.get("/dev/mail/").status_code == 404
    assert client.get("/dev/mail/1.eml/").status_code == 404
    with pytest.raises(CommandError) as exc:
        call_command("mail_catcher")
    assert exc.value.returncode == 2 and "development" in str(exc.value)


@pytest.mark.parametrize("development", [True, False])
def test_serve_starts_the_mail_catcher_only_in_development(db, settings, monkeypatch, development):
    settings.DEVELOPMENT = development
    settings.EMAIL_HOST = "127.0.0.1"
    started: list[list[str]] = []

    class Child:
        returncode = 0

        def __init__(self, cmd: list[str], env: dict[str, str] | None = None) -> None:
            started.append(cmd)

        def poll(self) -> int:
            return 0

        def wait(self, timeout: float | None = None) -> int:
            return 0

    monkeypatch.setattr(serve.subprocess, "Popen", Child)
    call_command("serve", stdout=io.StringIO(), stderr=io.StringIO())
    assert any("mail-catcher" in cmd for cmd in started) is development
    web = next(cmd for cmd in started if "gunicorn" in cmd)
    assert web[web.index("--logger-class") + 1] == "kompis.core.logs.GunicornLogger"


@pytest.mark.parametrize(
    "development, site_root, bind, expected",
    [
        (True, None, "127.0.0.1:8765", "http://127.0.0.1:8765"),
        (True, None, "0.0.0.0:9000", "http://127.0.0.1:9000"),
        (True, "https://kompis.example.org", "127.0.0.1:8765", "https://kompis.example.org"),
        (False, None, "127.0.0.1:8765", None),
    ],
)
def test_serve_on_a_laptop_links_to_the_address_it_serves(
    db, settings, monkeypatch, development, site_root, bind, expected
):
    """`kompis serve --bind …` without SITE_ROOT printed a first-run link (and wrote mail links) to port 8000."""
    settings.DEVELOPMENT = development
    if site_root:
        monkeypatch.setenv("SITE_ROOT", site_root)
        settings.SITE_ROOT = site_root
    else:
        monkeypatch.delenv("SITE_ROOT", raising=False)
    envs: list[dict[str, str] | None] = []

    class Child:
        returncode = 0

        def __init__(self, cmd: list[str], env: dict[str, str] | None = None) -> None:
            envs.append(env)

        def poll(self) -> int:
            return 0

        def wait(self, timeout: float | None = None) -> int:
            return 0

    monkeypatch.setattr(serve.subprocess, "Popen", Child)
    out = io.StringIO()
    call_command("serve", "--bind", bind, "--no-mail-catcher", stdout=out, stderr=io.StringIO())
    children_root = {(env or os.environ).get("SITE_ROOT") for env in envs}
    assert children_root == {expected}
    if development:  # no organisation yet: the one-time link is printed
        assert f"First run: open {expected}/setup/?token=" in out.getvalue()
