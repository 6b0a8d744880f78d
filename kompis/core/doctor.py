"""`kompis doctor` / `make doctor`: every external program and service Kompis and its tests use, found or
missing, with the command that installs each.

Runs before anything else works: with the system's python3 and no virtualenv (`python3 -m
kompis.core.doctor`), and with settings that do not load (it reports why). The Debian packages come from
scripts/debian-packages, the list `make run` and `make test` install from.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGE_LIST = ROOT / "scripts" / "debian-packages"
APT = "sudo apt-get install -y"


@dataclass(frozen=True)
class Package:
    set: str  # run | test
    name: str
    probe: str  # kind:argument, see scripts/debian-packages
    why: str


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    need: str = "run"  # run: Kompis needs it; test: the tests need it; optional: only when configured


def read_packages(path: Path = PACKAGE_LIST) -> list[Package]:
    packages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 4 or parts[0] not in ("run", "test") or ":" not in parts[2]:
            raise ValueError(f"{path}, line {number}: expected 'set | package | kind:probe | why'")
        packages.append(Package(*parts))
    return packages


def _run(cmd: list[str], timeout: float = 10) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None


def probe(spec: str) -> tuple[bool, str]:
    """(present, what was found) for a probe of scripts/debian-packages (same rules as the shell script)."""
    kind, _, arg = spec.partition(":")
    if kind == "cmd":
        found = shutil.which(arg)
        return bool(found), found or f"{arg} not on PATH"
    if kind == "file":
        return os.path.exists(arg), arg if os.path.exists(arg) else f"{arg} missing"
    if kind == "venv":
        exe = shutil.which(arg)
        if not exe:
            return False, f"{arg} not on PATH"
        result = _run([exe, "-c", "import ensurepip, venv"])
        return bool(result and result.returncode == 0), exe if result and result.returncode == 0 else (
            f"{exe} cannot create a virtualenv"
        )
    if kind == "lib":
        result = _run([shutil.which("ldconfig") or "/sbin/ldconfig", "-p"])
        if result and any(line.strip().startswith(arg + " ") for line in result.stdout.splitlines()):
            return True, arg
        stem = arg.removeprefix("lib").split(".so")[0]
        found = ctypes.util.find_library(stem)
        return bool(found), found or f"{arg} not found"
    if kind in ("font", "lang"):
        fc_list = shutil.which("fc-list")
        if not fc_list:
            return False, "fc-list missing (fontconfig)"
        pattern = arg if kind == "font" else f":lang={arg}"
        result = _run([fc_list, pattern, "family"])
        families = sorted({f.split(",")[0] for f in (result.stdout.splitlines() if result else []) if f})
        if not families:
            return False, f"no font {'family ' + arg if kind == 'font' else 'for language ' + arg}"
        return True, ", ".join(families[:3]) + (" …" if len(families) > 3 else "")
    raise ValueError(f"unknown probe {spec!r}")


def package_checks(packages: list[Package]) -> list[Check]:
    checks = []
    for package in packages:
        ok, detail = probe(package.probe)
        label = package.probe.partition(":")[2]
        checks.append(
            Check(
                name=f"{label} ({package.name})",
                ok=ok,
                detail=f"{detail} — {package.why}",
                fix=f"{APT} {package.name}",
                need=package.set,
            )
        )
    return checks


def python_checks() -> list[Check]:
    version = ".".join(map(str, sys.version_info[:3]))
    checks = [
        Check(
            "Python 3.11",
            sys.version_info[:2] == (3, 11),
            f"{sys.executable} is Python {version}",
            fix=f"{APT} python3.11 python3.11-venv",
        )
    ]
    try:
        import django  # noqa: F401
        import weasyprint  # noqa: F401  (loads Pango: fails when the libraries are missing)
    except Exception as exc:  # ImportError, or OSError from a missing library
        checks.append(
            Check("Kompis's Python packages", False, f"{type(exc).__name__}: {exc}", fix="make install")
        )
    else:
        checks.append(Check("Kompis's Python packages", True, "Django and WeasyPrint import"))
    try:
        import playwright  # noqa: F401
        import pytest  # noqa: F401
    except ImportError:
        checks.append(
            Check(
                "test tools (pytest, Playwright, mypy)",
                False,
                "not installed (requirements/dev.lock)",
                fix="make test (or: .venv/bin/pip install -r requirements/dev.lock)",
                need="test",
            )
        )
    else:
        checks.append(Check("test tools (pytest, Playwright, mypy)", True, "installed", need="test"))
    return checks


def _tcp(host: str, port: int, timeout: float = 3) -> str | None:
    """None when something listens at host:port, else the error."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return str(exc) or type(exc).__name__


def _postgres(dsn: str) -> str | None:
    try:
        import psycopg
    except ImportError:
        url = urlparse(dsn) if "://" in dsn else None
        return _tcp(url.hostname or "127.0.0.1", url.port or 5432) if url else "psycopg is not installed"
    try:
        with psycopg.connect(dsn, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def settings_checks() -> list[Check]:
    """The configured database, cache and mail server (needs Django and loadable settings)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompis.settings")
    try:
        import django
        from django.conf import settings

        django.setup()
    except ImportError:
        return []  # reported by python_checks
    except Exception as exc:
        return [Check("settings", False, str(exc), fix="see README, Configuration")]
    env = settings.KOMPIS_ENV
    checks = [
        Check(
            "settings",
            True,
            f"KOMPIS_ENV={env}, DEBUG={settings.DEBUG}, SECRET_KEY "
            + ("from the environment" if os.environ.get("SECRET_KEY") else "from var/secret_key"),
        )
    ]
    from kompis.core.checks import site_root_is_public

    site_root_warnings = site_root_is_public()
    checks.append(
        Check(
            "links in mails (SITE_ROOT)",
            not site_root_warnings,
            settings.SITE_ROOT + (f": {site_root_warnings[0].msg}" if site_root_warnings else ""),
            fix="set SITE_ROOT to the public HTTPS address, e.g. https://kompis.example.org",
        )
    )
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        folder = Path(db["NAME"]).parent
        writable = os.access(folder, os.W_OK)
        checks.append(
            Check(
                "database (SQLite)",
                writable,
                f"{db['NAME']}" + ("" if writable else f": {folder} is not writable"),
                fix=f"make {folder} writable, or set DATABASE_URL",
            )
        )
    else:
        dsn = (
            f"host={db.get('HOST') or '127.0.0.1'} port={db.get('PORT') or 5432} "
            f"user={db.get('USER') or 'postgres'} dbname={db.get('NAME')} password={db.get('PASSWORD') or ''}"
        )
        error = _postgres(dsn)
        checks.append(
            Check(
                "database (PostgreSQL, DATABASE_URL)",
                error is None,
                f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db.get('NAME')}"
                + (f": {error}" if error else " reachable"),
                fix=f"{APT} postgresql, or correct DATABASE_URL",
            )
        )
    if settings.CACHE_URL:
        checks.append(_redis_check(settings.CACHE_URL))
    host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
    error = _tcp(host, port) if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") else None
    local_catcher = settings.DEVELOPMENT and host in ("127.0.0.1", "localhost")
    checks.append(
        Check(
            "mail server (SMTP)",
            error is None or local_catcher,
            f"{host}:{port} "
            + (
                "reachable"
                if error is None
                else (
                    "not listening now; `kompis serve` starts the local mail catcher there"
                    if local_catcher
                    else f"not reachable: {error}"
                )
            ),
            fix="set EMAIL_HOST/EMAIL_PORT to your mail server",
        )
    )
    return checks


def _redis_check(url: str) -> Check:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        error = None
    except ImportError:
        error = "the redis package is not installed (make install)"
    except Exception as exc:
        error = str(exc) or type(exc).__name__
    shown = urlparse(url)
    where = f"{shown.hostname or 'localhost'}:{shown.port or 6379}"
    return Check(
        "Redis (CACHE_URL)",
        error is None,
        f"{where} " + ("answers PING" if error is None else f"not reachable: {error}"),
        fix=f"{APT} redis-server, or correct CACHE_URL",
        need="optional",
    )


def test_service_checks() -> list[Check]:
    """PostgreSQL for the tests' second pass (`make test` uses DATABASE_URL, else this address)."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return []  # checked above as the configured database
    error = _postgres("host=127.0.0.1 port=5432 user=postgres dbname=postgres")
    return [
        Check(
            "PostgreSQL for tests (postgres@127.0.0.1:5432)",
            error is None,
            "reachable"
            if error is None
            else f"not reachable ({error}): `make test` skips its PostgreSQL pass",
            fix=f"{APT} postgresql (user postgres, trust on 127.0.0.1), or set DATABASE_URL",
            need="test",
        )
    ]


def all_checks(packages: list[Package] | None = None) -> list[Check]:
    if packages is None:
        try:
            packages = read_packages()
        except (OSError, ValueError) as exc:
            missing = Check("Debian package list", False, str(exc), fix="run from a Kompis checkout")
            return [*python_checks(), missing, *settings_checks(), *test_service_checks()]
    return [*python_checks(), *package_checks(packages), *settings_checks(), *test_service_checks()]


def report(checks: list[Check]) -> tuple[str, int]:
    lines = ["Kompis doctor: what Kompis and its tests use", ""]
    for title, need in (
        ("Needed to run Kompis (make run installs the Debian packages)", "run"),
        ("Needed by the tests (make test installs the Debian packages)", "test"),
        ("Configured services", "optional"),
    ):
        group = [c for c in checks if c.need == need]
        if not group:
            continue
        lines.append(title)
        for check in group:
            lines.append(f"  {'ok     ' if check.ok else 'MISSING'}  {check.name}: {check.detail}")
            if not check.ok and check.fix:
                verb = "install" if check.fix.startswith(("sudo apt-get", "make")) else "fix"
                lines.append(f"           {verb}: {check.fix}")
        lines.append("")
    missing = [c for c in checks if not c.ok]
    lines.append(
        "Everything is in place."
        if not missing
        else f"{len(missing)} missing: " + ", ".join(c.name for c in missing)
    )
    return "\n".join(lines) + "\n", 1 if missing else 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    text, code = report(all_checks())
    sys.stdout.write(text)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
