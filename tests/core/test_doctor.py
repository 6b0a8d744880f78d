"""`kompis doctor`: every external program and service, found or missing, with the command that installs it;
the Debian packages come from the one list `make run` and `make test` install from."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kompis.core import doctor

ROOT = Path(__file__).resolve().parents[2]


def run_doctor(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "kompis.cli", "doctor"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**base, **env},
    )


def test_one_package_list_for_make_and_the_doctor():
    packages = doctor.read_packages()
    names = {p.name for p in packages}
    assert {"gettext", "poppler-utils", "chromium", "fonts-dejavu-core", "libpango-1.0-0"} <= names
    assert {p.set for p in packages} == {"run", "test"}
    assert {p.name for p in packages if p.set == "test"} == {"poppler-utils", "chromium"}
    for package in packages:
        doctor.probe(package.probe)  # every probe kind is one the doctor knows
    installer = (ROOT / "scripts" / "install-debian-packages").read_text()
    assert (
        "scripts/debian-packages" in installer and doctor.PACKAGE_LIST == ROOT / "scripts" / "debian-packages"
    )
    makefile = (ROOT / "Makefile").read_text()
    assert "scripts/install-debian-packages run test" in makefile


def test_a_bad_line_in_the_list_is_named(tmp_path):
    bad = tmp_path / "list"
    bad.write_text("# comment\nrun | gettext | cmd:msgfmt | ok\nrun | chromium\n")
    with pytest.raises(ValueError, match="line 3"):
        doctor.read_packages(bad)


def test_doctor_lists_programs_and_services(tmp_path):
    result = run_doctor(KOMPIS_VAR_DIR=str(tmp_path))
    out = result.stdout
    for package in doctor.read_packages():
        assert f"({package.name})" in out
    for item in (
        "Python 3.11",
        "settings",
        "database",
        "mail server (SMTP)",
        "PostgreSQL for tests",
        "chromium",
    ):
        assert item in out, item
    assert "Traceback" not in result.stderr
    assert result.returncode == (0 if "Everything is in place." in out else 1)


def test_a_missing_program_is_named_with_the_command_that_installs_it(tmp_path):
    result = run_doctor(PATH="/nonexistent", KOMPIS_VAR_DIR=str(tmp_path))
    assert result.returncode == 1
    assert "MISSING  pdftotext (poppler-utils)" in result.stdout
    assert "install: sudo apt-get install -y poppler-utils" in result.stdout
    assert "MISSING  msgfmt (gettext)" in result.stdout
    assert "install: sudo apt-get install -y gettext" in result.stdout


def test_settings_that_do_not_load_are_reported_not_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "KOMPIS_ENV")}
    env.update(DJANGO_SETTINGS_MODULE="kompis.settings", KOMPIS_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "kompis.cli", "doctor"], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert result.returncode == 1
    assert "MISSING  settings: SECRET_KEY is not set" in result.stdout
    assert "Traceback" not in result.stderr


def test_unreachable_database_and_redis_are_reported(tmp_path):
    result = run_doctor(
        DATABASE_URL="postgres://postgres@127.0.0.1:1/kompis",
        CACHE_URL="redis://127.0.0.1:1/0",
        KOMPIS_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 1
    assert "MISSING  database (PostgreSQL, DATABASE_URL): 127.0.0.1:1/kompis" in result.stdout
    assert "MISSING  Redis (CACHE_URL): 127.0.0.1:1 not reachable" in result.stdout
    assert "redis-server" in result.stdout


def test_management_command_exit_code(monkeypatch, capsys):
    checks = [doctor.Check("pdftotext (poppler-utils)", False, "missing", fix="apt", need="test")]
    monkeypatch.setattr("kompis.core.management.commands.doctor.all_checks", lambda: checks)
    with pytest.raises(CommandError) as exc:
        call_command("doctor")
    assert exc.value.returncode == 1
    monkeypatch.setattr(
        "kompis.core.management.commands.doctor.all_checks", lambda: [doctor.Check("x", True, "found")]
    )
    call_command("doctor")
    assert "Everything is in place." in capsys.readouterr().out
