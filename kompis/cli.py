"""The `kompis` operator command.

`kompis match ...` runs the matching engine straight from CSV files (no database, no Django).
Every other subcommand is a Django management command: `kompis demo`, `kompis import`,
`kompis export-participants`, `kompis migrate`, `kompis worker`, ...
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "export-participants": "export_participants",
    "mail-catcher": "mail_catcher",
    "run-matching": "run_matching",
}


def django_main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompis.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings: a missing SECRET_KEY is said plainly)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"kompis: {exc}\n")
        raise SystemExit(2) from None
    execute_from_command_line(argv)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "match":
        from kompis.matching.engine.cli import main as match_main

        raise SystemExit(match_main(args[1:]))
    if args and args[0] == "doctor":  # works before the settings do (it reports what is missing)
        from kompis.core.doctor import main as doctor_main

        raise SystemExit(doctor_main(args[1:]))
    if args:
        args[0] = ALIASES.get(args[0], args[0])
    django_main(["kompis", *args])


if __name__ == "__main__":
    main()
