"""A real first run: `kompis setup` and the one-time first-run page."""

from __future__ import annotations

import builtins
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kompis.accounts.models import Role, User
from kompis.organisations import setup
from kompis.organisations.models import FirstRunToken, Organisation, Region
from kompis.outbox.models import OutboxMessage
from kompis.participants.models import Participant
from tests.accounts.conftest import mail_link

FLAGS = [
    "--name",
    "Kompis Norr",
    "--slug",
    "kompis-norr",
    "--region",
    "Luleå=Luleå,Boden,2584",
    "--region",
    "Umeå=umeå kommun",
    "--admin-email",
    "Chef@Kompis-Norr.test",
    "--no-input",
]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("setup", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_setup_creates_organisation_regions_and_invites_admin(db, client):
    output = run(*FLAGS)
    org = Organisation.objects.get(slug="kompis-norr")
    assert org.name == "Kompis Norr"
    regions = {r.name: sorted(r.municipalities.values_list("code", flat=True)) for r in org.regions.all()}
    assert regions == {"Luleå": ["2580", "2582", "2584"], "Umeå": ["2480"]}
    admin = User.objects.get(username="chef@kompis-norr.test")
    assert admin.organisation == org and admin.role == Role.ADMIN and not admin.has_usable_password()
    assert not Participant.objects.exists() and not org.projects.exists()  # no demo data
    assert "/kompis-norr/signup/" in output and "chef@kompis-norr.test" in output
    # the admin's mail leads to a password and a login
    link = mail_link("staff_invitation", "chef@kompis-norr.test")
    client.post(link, {"new_password1": "Norrsken-2026-x", "new_password2": "Norrsken-2026-x"})
    response = client.post(
        reverse("accounts:login"), {"username": admin.username, "password": "Norrsken-2026-x"}
    )
    assert response.status_code == 302
    assert client.get(reverse("organisations:settings")).status_code == 200


def test_a_new_organisation_has_a_contact_so_participants_mails_name_one(db):
    """Without a contact the mails of a real organisation named nobody and replies went to noreply@."""
    from kompis.outbox.services import queue_mail
    from tests.factories import ParticipantFactory

    output = run(*FLAGS)
    org = Organisation.objects.get(slug="kompis-norr")
    assert (org.contact_name, org.contact_email) == ("Kompis Norr", "chef@kompis-norr.test")
    assert "name chef@kompis-norr.test as their contact" in output and "Organisation → Settings" in output
    person = ParticipantFactory(
        organisation=org, region=org.regions.get(name="Luleå"), municipality_id="2580"
    )
    row = queue_mail(
        to_email=person.email,
        template="signup_confirm",
        language="sv",
        context={"first_name": person.first_name, "days": 7},
        dedupe_key="first-mail",
        organisation=org,
        participant=person,
    )
    assert row.reply_to == "chef@kompis-norr.test" and row.context["contact"]["name"] == "Kompis Norr"


def test_setup_refuses_when_an_organisation_exists_unless_told(world):
    with pytest.raises(CommandError) as exc:
        run(*FLAGS)
    assert exc.value.returncode == 2 and "exists already" in str(exc.value)
    run(*FLAGS, "--another")
    assert Organisation.objects.filter(slug="kompis-norr").exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"--region": "Luleå=Luleå,Lulea"}, "Unknown municipality: Lulea (did you mean Luleå"),
        ({"--region": "Luleå=9999"}, "Unknown municipality: 9999"),
        ({"--region": "Luleå"}, "write NAME=MUNICIPALITY"),
        ({"--region": "Luleå="}, "needs at least one municipality"),
        ({"--slug": "Kompis Norrå"}, "“Kompis Norrå” cannot be the address name"),
        ({"--slug": "Kompis Norrå"}, "e.g. kompis-norra."),
        ({"--slug": "staff"}, "used by Kompis itself"),
        ({"--admin-email": "not-an-address"}, "is not an e-mail address"),
        ({"--language": "xx"}, "--language 'xx'"),
    ],
)
def test_setup_bad_input_exits_2_and_creates_nothing(db, change, message):
    args = [a for a in FLAGS]
    for flag, value in change.items():
        if flag in args:
            i = args.index(flag)
            args[i + 1] = value
            if flag == "--region":  # drop the second region
                j = args.index("--region", i + 1)
                del args[j : j + 2]
        else:
            args += [flag, value]
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 2 and message in str(exc.value)
    assert (
        not Organisation.objects.exists() and not User.objects.exists() and not OutboxMessage.objects.exists()
    )


def test_setup_refuses_a_municipality_in_two_regions(db):
    with pytest.raises(CommandError) as exc:
        run(*FLAGS[:-5], "--region", "Boden=Boden", "--admin-email", "a@b.test", "--no-input")
    assert "Boden is given for both Luleå and Boden" in str(exc.value)


def test_setup_without_flags_and_terminal_names_what_is_missing(db):
    with pytest.raises(CommandError) as exc:
        run("--no-input")
    assert exc.value.returncode == 2 and "--name is missing" in str(exc.value)


def test_setup_asks_in_a_terminal(db, monkeypatch):
    answers = iter(["Kompis Syd", "kompis-syd", "Malmö", "Malmo", "Malmö, Lund", "", "syd@kompis.test"])
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin", type("TTY", (), {"isatty": staticmethod(lambda: True)})())
    run()
    org = Organisation.objects.get(slug="kompis-syd")
    region = Region.objects.get(organisation=org)
    assert sorted(region.municipalities.values_list("name", flat=True)) == ["Lund", "Malmö"]


# --- the first-run page ---------------------------------------------------------------------------------


def first_run_data(token: str) -> dict:
    return {
        "token": token,
        "name": "Kompis Väst",
        "slug": "kompis-vast",
        "region": "Göteborg",
        "municipalities": ["1480", "1481"],
        "admin_email": "vast@kompis.test",
    }


def test_first_run_page_needs_the_printed_token(db, client):
    assert client.get("/setup/").status_code == 404
    assert client.get("/setup/?token=guess").status_code == 404
    banner = setup.first_run_banner()
    url = re.search(r"https?://\S+", banner or "").group(0)
    token = url.split("token=", 1)[1]
    assert not FirstRunToken.objects.filter(token_hash=token).exists()  # only the hash is stored
    before = (Organisation.objects.count(), FirstRunToken.objects.get().used_at)
    page = client.get(urlsplit(url).path + "?" + urlsplit(url).query)
    assert page.status_code == 200 and page.content.decode().count('name="municipalities"') == 290
    assert (
        Organisation.objects.count(),
        FirstRunToken.objects.get().used_at,
    ) == before  # GET changes nothing
    assert client.post("/setup/", {**first_run_data("wrong")}).status_code == 404
    assert not Organisation.objects.exists()

    response = client.post("/setup/", first_run_data(token))
    assert response.status_code == 200 and "vast@kompis.test" in response.content.decode()
    org = Organisation.objects.get(slug="kompis-vast")
    assert org.regions.get().municipalities.count() == 2
    assert org.contact_email == "vast@kompis.test"  # the first admin, until a contact is set
    assert OutboxMessage.objects.filter(template="staff_invitation", to_email="vast@kompis.test").exists()
    # used: the page is gone, also with the same token
    assert client.get(f"/setup/?token={token}").status_code == 404
    assert client.post("/setup/", {**first_run_data(token), "slug": "again"}).status_code == 404
    assert Organisation.objects.count() == 1
    assert setup.first_run_banner() is None


def test_first_run_page_shows_field_errors(db, client):
    token = setup.issue_first_run_token()
    response = client.post(
        "/setup/", {**first_run_data(token), "slug": "Not a slug", "municipalities": [], "admin_email": "x"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "cannot be the address name" in html
    assert "This field is required." in html and "Enter a valid email address." in html
    assert not Organisation.objects.exists()
    assert client.get(f"/setup/?token={token}").status_code == 200  # still usable after a mistake


def test_first_run_page_is_gone_once_an_organisation_exists(world, client):
    FirstRunToken.objects.create(token_hash=setup._hash("old-token"))
    assert setup.issue_first_run_token() is None
    assert client.get("/setup/?token=old-token").status_code == 404


def test_a_new_server_start_replaces_the_old_token(db, client):
    first = setup.issue_first_run_token()
    second = setup.issue_first_run_token()
    assert client.get(f"/setup/?token={first}").status_code == 404
    assert client.get(f"/setup/?token={second}").status_code == 200
