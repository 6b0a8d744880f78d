"""Public sign-up: languages and direction, validation, honeypot, rate limit and duplicate addresses."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import check_for_language

from kompis.audit.models import AuditEvent
from kompis.outbox.models import OutboxMessage
from kompis.participants.models import Consent, Participant

SIGNUP = "/kompisforeningen/signup/"
THANKS = "/kompisforeningen/signup/thanks/"

VALID = {
    "role": "newcomer",
    "first_name": "Amal",
    "last_name": "Haddad",
    "email": "Amal@Example.org",
    "birth_year": "1991",
    "gender": "woman",
    "municipality": "0380",
    "postal_code": "753 20",
    "phone": "070 123 45 67",
    "languages": ["ar", "en"],
    "interests": ["fika"],
    "meeting_mode": "either",
    "capacity": "1",
    "consent_data": "on",
}
REQUIRED = [
    "role",
    "first_name",
    "last_name",
    "email",
    "birth_year",
    "gender",
    "municipality",
    "languages",
    "meeting_mode",
    "consent_data",
]
RTL = {"ar", "fa"}


def html_tag(content: str) -> str:
    return re.search(r"<html[^>]*>", content).group(0)


def nothing_written() -> bool:
    return not (
        Participant.objects.exists()
        or OutboxMessage.objects.exists()
        or AuditEvent.objects.exists()
        or Consent.objects.exists()
        or mail.outbox
    )


def post(client, data, capture):
    with capture(execute=True):
        return client.post(SIGNUP, data)


# --- languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["sv", "en", "ar", "fa", "so", "uk"])
def test_signup_in_each_language(client, world, code, django_capture_on_commit_callbacks):
    assert check_for_language(code), f"no compiled '{code}' catalogue: run `make messages`"
    response = client.get(f"/language/{code}/?next={SIGNUP}")
    assert response.status_code == 302 and response["Location"] == SIGNUP
    assert response.cookies["kompis_language"].value == code

    page = client.get(SIGNUP).content.decode()
    direction = "rtl" if code in RTL else "ltr"
    assert f'lang="{code}"' in html_tag(page) and f'dir="{direction}"' in html_tag(page)
    assert f'href="/language/{code}/?next=' in page and 'aria-current="true"' in page

    # remembered on the next page without asking again
    other = client.get(THANKS).content.decode()
    assert f'lang="{code}"' in html_tag(other) and f'dir="{direction}"' in html_tag(other)

    response = post(
        client, {**VALID, "email": f"amal.{code}@example.org"}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302 and response["Location"] == THANKS
    p = Participant.objects.get()
    assert p.preferred_language == code and p.friend_matching.status == "pending"
    assert len(mail.outbox) == 1
    html, mime = mail.outbox[0].alternatives[0]
    assert mime == "text/html"
    assert f'lang="{code}"' in html_tag(html) and f'dir="{direction}"' in html_tag(html)


def test_unknown_language_code_is_ignored_and_next_must_be_local(client, world):
    response = client.get("/language/xx/?next=https://evil.example/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "kompis_language" not in response.cookies


def test_default_language_is_swedish(client, world, settings):
    from kompis import settings as project_settings

    # The test settings read English by default; the product's default is Swedish.
    settings.LANGUAGE_CODE = project_settings.LANGUAGE_CODE
    assert project_settings.LANGUAGE_CODE == "sv"
    page = client.get(SIGNUP).content.decode()
    assert 'lang="sv"' in html_tag(page) and 'dir="ltr"' in html_tag(page)


def test_unknown_organisation_is_404(client, world):
    assert client.get("/no-such-org/signup/").status_code == 404


# --- validation ---------------------------------------------------------------------------------


def field_block(page: str, name: str) -> str:
    match = re.search(rf'<(div|fieldset) class="field( has-error)?" id="field-{name}">(.*?)</\1>', page, re.S)
    assert match, f"no field block for {name}"
    return match.group(0)


def summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    return unescape(match.group(0))


def test_every_required_field_missing_is_named_in_summary_and_next_to_field(client, world):
    response = client.post(SIGNUP, {"capacity": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    errors = response.context["form"].errors
    box = summary(page)
    for name in REQUIRED:
        assert name in errors, name
        label = str(response.context["form"][name].label)
        assert f'href="#field-{name}"' in box and f"{label}: " in box, name
        block = field_block(page, name)
        assert "has-error" in block and 'class="errorlist' in block, name
    assert nothing_written()


@pytest.mark.parametrize("missing", REQUIRED)
def test_each_required_field_alone(client, world, missing):
    data = {k: v for k, v in VALID.items() if k != missing}
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {missing}
    assert f'href="#field-{missing}"' in summary(response.content.decode())
    assert nothing_written()


@pytest.mark.parametrize(
    "field, value",
    [
        ("birth_year", str(timezone.localdate().year - 17)),
        ("birth_year", str(timezone.localdate().year)),
        ("birth_year", "1890"),
        ("postal_code", "1234"),
        ("postal_code", "075 20"),
        ("postal_code", "abcde"),
        ("postal_code", "753 200"),
        ("phone", "call me"),
        ("phone", "12"),
        ("phone", "070-ABC"),
        ("email", "not-an-address"),
        ("languages", ["xx"]),
        ("municipality", "9999"),
    ],
)
def test_bad_values_are_refused_next_to_the_field(client, world, field, value):
    response = client.post(SIGNUP, {**VALID, field: value})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {field}
    assert "has-error" in field_block(response.content.decode(), field)
    assert nothing_written()


def test_under_18_message(client, world):
    response = client.post(SIGNUP, {**VALID, "birth_year": str(timezone.localdate().year - 17)})
    assert "at least 18" in response.content.decode()


def test_exactly_18_this_year_is_accepted(client, world, django_capture_on_commit_callbacks):
    response = post(
        client,
        {**VALID, "birth_year": str(timezone.localdate().year - 18)},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert Participant.objects.get().birth_year == timezone.localdate().year - 18


def test_same_gender_only_needs_a_gender(client, world):
    response = client.post(SIGNUP, {**VALID, "gender": "unspecified", "same_gender_only": "on"})
    assert set(response.context["form"].errors) == {"same_gender_only"}
    assert "has-error" in field_block(response.content.decode(), "same_gender_only")
    assert nothing_written()


def test_family_match_needs_children(client, world):
    response = client.post(SIGNUP, {**VALID, "wants_family_match": "on"})
    assert set(response.context["form"].errors) == {"wants_family_match"}
    assert nothing_written()


def test_family_with_children_is_accepted(client, world, django_capture_on_commit_callbacks):
    response = post(
        client,
        {**VALID, "wants_family_match": "on", "has_children": "on", "household_size": "4"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    p = Participant.objects.get()
    assert p.friend_matching.wants_family_match and p.has_children and p.household_size == 4


def test_valid_signup_stores_normalised_values_consent_and_audit(
    client, world, django_capture_on_commit_callbacks
):
    response = post(client, {**VALID, "consent_research": "on"}, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    p = Participant.objects.get()
    assert p.email == "amal@example.org" and p.postal_code == "75320" and p.region == world.uppsala
    assert p.languages == ["ar", "en"] and p.source == "signup" and p.friend_matching.status == "pending"
    assert p.email_verified_at is None
    assert sorted(p.consents.values_list("kind", flat=True)) == ["data_processing", "research"]
    assert AuditEvent.objects.filter(action="participant.signed_up", object_id=str(p.uid)).count() == 1


def test_signup_in_municipality_without_office_has_no_region(
    client, world, django_capture_on_commit_callbacks
):
    post(client, {**VALID, "municipality": "1480"}, django_capture_on_commit_callbacks)  # Göteborg
    assert Participant.objects.get().region is None


# --- honeypot, rate limit, duplicates -----------------------------------------------------------


def test_honeypot_filled_looks_the_same_but_creates_nobody(client, world, django_capture_on_commit_callbacks):
    response = post(client, {**VALID, "website": "http://spam.example"}, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == THANKS
    assert nothing_written()


def test_rate_limit_fourth_post_from_same_address(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.SIGNUP_RATE = "3/h"
    for i in range(3):
        response = post(client, {**VALID, "email": f"p{i}@example.org"}, django_capture_on_commit_callbacks)
        assert response.status_code == 302, i
    response = post(client, {**VALID, "email": "p4@example.org"}, django_capture_on_commit_callbacks)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Please wait a while" in page and "Traceback" not in page
    assert 'dir="ltr"' in html_tag(page)
    assert Participant.objects.count() == 3 and len(mail.outbox) == 3
    # another address is not affected; GETs are never limited
    assert client.get(SIGNUP).status_code == 200
    response = client.post(SIGNUP, {**VALID, "email": "p5@example.org"}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302


def test_rate_limit_counts_invalid_posts_too(client, world, settings):
    settings.SIGNUP_RATE = "3/h"
    for _ in range(3):
        assert client.post(SIGNUP, {}).status_code == 200
    assert client.post(SIGNUP, VALID).status_code == 429
    assert nothing_written()


def test_duplicate_email_is_case_insensitive_and_mails_once_a_day(
    client, world, django_capture_on_commit_callbacks
):
    post(client, VALID, django_capture_on_commit_callbacks)
    first = Participant.objects.get()
    assert len(mail.outbox) == 1

    response = post(
        client,
        {**VALID, "email": "AMAL@example.ORG", "first_name": "Someone"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302 and response["Location"] == THANKS  # looks exactly the same
    assert Participant.objects.count() == 1
    first.refresh_from_db()
    assert first.first_name == "Amal"  # nothing overwritten
    assert len(mail.outbox) == 2
    dup = mail.outbox[1]
    assert dup.to == ["amal@example.org"]
    assert OutboxMessage.objects.filter(template="signup_duplicate").count() == 1
    assert "/signup/confirm/" in dup.body  # not confirmed yet: the mail repeats the link

    post(client, {**VALID, "email": "amal@EXAMPLE.org"}, django_capture_on_commit_callbacks)
    assert Participant.objects.count() == 1
    assert len(mail.outbox) == 2, "at most one 'already signed up' mail a day"


def test_duplicate_of_confirmed_participant_has_no_link(client, world, django_capture_on_commit_callbacks):
    from tests.factories import ParticipantFactory

    ParticipantFactory(organisation=world.org, email="amal@example.org", status="waiting")
    response = post(client, VALID, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Participant.objects.count() == 1
    assert len(mail.outbox) == 1 and "/signup/confirm/" not in mail.outbox[0].body


def test_same_email_in_another_organisation_is_a_new_participant(
    client, world, django_capture_on_commit_callbacks
):
    from tests.factories import ParticipantFactory

    ParticipantFactory(organisation=world.other_org, email="amal@example.org")
    post(client, VALID, django_capture_on_commit_callbacks)
    assert Participant.objects.filter(organisation=world.org, email="amal@example.org").count() == 1


def test_signup_links_the_organisations_privacy_notice_next_to_the_consent(client, world):
    """The privacy-notice address an admin sets (issue 9) is where people give consent, not only stored."""
    assert "privacy notice" not in client.get(SIGNUP).content.decode()  # none set: no empty link
    world.org.privacy_notice_url = "https://example.org/integritet"
    world.org.save()
    page = client.get(SIGNUP).content.decode()
    link = page.index('href="https://example.org/integritet"')
    assert link < page.index('name="consent_data"') and "privacy notice" in page[link : link + 300]
