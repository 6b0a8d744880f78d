"""`kompis setup`: start a real organisation (no demo data) and invite its first admin by mail."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompis.organisations import setup
from kompis.organisations.models import Organisation


def _region(value: str) -> setup.RegionSpec:
    """ "Uppsala=Uppsala,Knivsta,0360" → region Uppsala with three municipalities."""
    name, sep, municipalities = value.partition("=")
    if not sep or not name.strip():
        raise CommandError(
            f"--region {value!r}: write NAME=MUNICIPALITY,MUNICIPALITY,… "
            "(names or 4-digit SCB codes), e.g. --region 'Uppsala=Uppsala,Knivsta,0360'",
            returncode=2,
        )
    return setup.RegionSpec(name.strip(), [m.strip() for m in municipalities.split(",") if m.strip()])


class Command(BaseCommand):
    help = (
        "Start a real organisation: its name and address name (slug), its regions with their municipalities "
        "and the first admin, who gets a mail with a link to set a password. Creates no demo data. "
        "Asks for what is missing when run in a terminal; give every flag (and --no-input) in scripts. "
        "--web-link prints a one-time link to do the same in the browser instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", help="The organisation's name, e.g. 'Kompis Uppsala'.")
        parser.add_argument("--slug", help="Address name in the sign-up link, e.g. kompis-uppsala.")
        parser.add_argument(
            "--region",
            action="append",
            default=[],
            metavar="NAME=MUNICIPALITIES",
            help="A region and its municipalities by name or SCB code, e.g. 'Uppsala=Uppsala,Knivsta,0360'. "
            "Repeat for more regions.",
        )
        parser.add_argument(
            "--admin-email", help="The first admin's e-mail; they get a mail to set a password."
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help="Language of the admin's mail (default: %(default)s).",
        )
        parser.add_argument(
            "--another", action="store_true", help="Add an organisation although one exists already."
        )
        parser.add_argument("--no-input", action="store_true", help="Never ask; fail on anything missing.")
        parser.add_argument(
            "--web-link",
            action="store_true",
            help="Print a one-time link to the first-run page (/setup/) instead, while no organisation exists.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["web_link"]:
            self._web_link()
            return
        if Organisation.objects.exists() and not options["another"]:
            raise CommandError(
                "An organisation exists already; nothing created. Use --another to add one more on purpose.",
                returncode=2,
            )
        if options["language"] not in dict(settings.LANGUAGES):
            raise CommandError(
                f"--language {options['language']!r}: use one of {', '.join(dict(settings.LANGUAGES))}",
                returncode=2,
            )
        interactive = not options["no_input"] and sys.stdin.isatty()
        name = options["name"] or self._ask(interactive, "Organisation name", "--name")
        slug = options["slug"] or self._ask(interactive, "Address name (slug) for the sign-up link", "--slug")
        self._check(setup.check_slug, slug)
        regions = [_region(value) for value in options["region"]]
        if not regions:
            regions = self._ask_regions(interactive)
        self._check(setup.check_regions, regions)
        email = options["admin_email"] or self._ask(interactive, "First admin's e-mail", "--admin-email")
        self._check(setup.check_email, email)
        try:
            organisation, admin = setup.create_organisation(
                name=name,
                slug=slug,
                regions=regions,
                admin_email=email,
                language=options["language"],
                allow_existing=options["another"],
            )
        except setup.SetupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(self.style.SUCCESS(f"Created {organisation.name} with {len(regions)} region(s)."))
        self.stdout.write(f"Sign-up page: {settings.SITE_ROOT}/{organisation.slug}/signup/")
        self.stdout.write(
            f"An invitation went to {admin.email}: the link in it sets the password (valid "
            f"{settings.STAFF_INVITE_DAYS} days). The mail worker sends it (`kompis serve` or `kompis worker`)."
        )
        self.stdout.write(
            f"Mails to participants name {admin.email} as their contact (and replies go there) until you set "
            "the contact under Organisation → Settings, or one per region."
        )

    def _check(self, check: Any, value: Any) -> None:
        try:
            check(value)
        except setup.SetupError as exc:
            raise CommandError(str(exc), returncode=2) from exc

    def _ask(self, interactive: bool, prompt: str, flag: str) -> str:
        if not interactive:
            raise CommandError(f"{flag} is missing (no terminal to ask in).", returncode=2)
        while True:
            answer = input(f"{prompt}: ").strip()
            if answer:
                return answer

    def _ask_regions(self, interactive: bool) -> list[setup.RegionSpec]:
        if not interactive:
            raise CommandError(
                "--region is missing, e.g. --region 'Uppsala=Uppsala,Knivsta,0360' (no terminal to ask in).",
                returncode=2,
            )
        regions: list[setup.RegionSpec] = []
        self.stdout.write(
            "Regions are your local offices. Give each its municipalities (names or SCB codes)."
        )
        while True:
            name = input("Region name (empty when done): " if regions else "Region name: ").strip()
            if not name:
                if regions:
                    return regions
                continue
            while True:
                items = input(f"Municipalities of {name}, separated by commas: ")
                spec = setup.RegionSpec(name, [m.strip() for m in items.split(",") if m.strip()])
                try:
                    setup.check_regions([*regions, spec])
                except setup.SetupError as exc:
                    self.stderr.write(str(exc))
                    continue
                regions.append(spec)
                break

    def _web_link(self) -> None:
        token = setup.issue_first_run_token()
        if token is None:
            raise CommandError("An organisation exists already: the first-run page is closed.", returncode=2)
        self.stdout.write(f"First run: open {setup.first_run_url(token)}")
