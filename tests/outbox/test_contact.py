"""Every mail names who to contact and replies reach that person, not noreply@ (issue 9)."""

from __future__ import annotations

from email import message_from_string
from email.policy import default as default_policy
from pathlib import Path

import pytest

from kompis.organisations.selectors import contact_for
from kompis.outbox.models import OutboxMessage
from kompis.outbox.services import Mail, deliver_due, queue_mail, queue_mails, render
from tests.factories import ParticipantFactory


@pytest.fixture
def contacts(world):
    world.org.contact_name, world.org.contact_email = "Kansliet", "kansliet@kompis.test"
    world.org.contact_phone = "018-10 00 00"
    world.org.save()
    world.uppsala.contact_name, world.uppsala.contact_email = "Maja Uppsala", "uppsala@kompis.test"
    world.uppsala.contact_phone = "018-12 34 56"
    world.uppsala.save()
    return world


def send_to(person, *, key: str = "k", language: str = "sv") -> None:
    queue_mail(
        to_email=person.email,
        template="signup_confirm",
        language=language,
        context={"first_name": person.first_name, "organisation": "Test", "confirm_url": "x", "days": 7},
        dedupe_key=key,
        organisation=person.organisation,
        participant=person,
    )
    assert deliver_due() == 1


def received(server, to: str):
    raw = next(m["raw"] for m in server.handler.messages() if m["to"] == to)
    msg = message_from_string(raw, policy=default_policy)
    return (
        msg["Reply-To"] or "",
        msg.get_body(preferencelist=("plain",)).get_content(),
        msg.get_body(preferencelist=("html",)).get_content(),
    )


@pytest.mark.django_db
def test_reply_to_and_contact_block_name_the_region_contact(smtp_server, contacts):
    p = ParticipantFactory(organisation=contacts.org, region=contacts.uppsala)
    send_to(p)
    reply_to, text, html = received(smtp_server, p.email)
    assert reply_to == "uppsala@kompis.test"
    for part in (text, html):
        assert "Maja Uppsala" in part and "uppsala@kompis.test" in part and "018-12 34 56" in part
        assert "kansliet@kompis.test" not in part
    assert "noreply" not in reply_to


@pytest.mark.django_db
def test_region_without_contact_falls_back_to_the_organisation(smtp_server, contacts):
    danderyd = ParticipantFactory(organisation=contacts.org, region=contacts.danderyd, municipality_id="0162")
    nowhere = ParticipantFactory(organisation=contacts.org, region=None)
    send_to(danderyd, key="d")
    send_to(nowhere, key="n")
    for p in (danderyd, nowhere):
        reply_to, text, html = received(smtp_server, p.email)
        assert reply_to == "kansliet@kompis.test"
        assert "Kansliet" in text and "kansliet@kompis.test" in html and "018-10 00 00" in html


@pytest.mark.django_db
def test_no_contact_anywhere_gives_no_reply_to_and_no_block(smtp_server, world):
    p = ParticipantFactory(organisation=world.org, region=world.uppsala)
    send_to(p)
    reply_to, text, _html = received(smtp_server, p.email)
    assert reply_to == "" and "Reply to this e-mail" not in text


@pytest.mark.django_db
def test_contact_is_fixed_on_the_row_when_queued_also_in_bulk(contacts):
    p = ParticipantFactory(organisation=contacts.org, region=contacts.uppsala)
    q = ParticipantFactory(organisation=contacts.org, region=contacts.danderyd, municipality_id="0162")
    mails = [
        Mail(x.email, "signup_confirm", "sv", {"contact": {"name": "forged"}}, f"b{x.pk}", contacts.org, x)
        for x in (p, q)
    ]
    assert queue_mails(mails) == 2
    rows = {r.participant_id: r for r in OutboxMessage.objects.all()}
    assert rows[p.pk].reply_to == "uppsala@kompis.test"
    assert rows[p.pk].context["contact"] == {
        "name": "Maja Uppsala",
        "email": "uppsala@kompis.test",
        "phone": "018-12 34 56",
    }
    assert rows[q.pk].reply_to == "kansliet@kompis.test"
    # a later change of contact does not rewrite mails already written
    contacts.uppsala.contact_email = "ny@kompis.test"
    contacts.uppsala.save()
    assert OutboxMessage.objects.get(pk=rows[p.pk].pk).reply_to == "uppsala@kompis.test"


@pytest.mark.django_db
def test_contact_for_never_mixes_two_people(contacts):
    contacts.danderyd.contact_name, contacts.danderyd.contact_phone = "Only a name", "08-1"
    contacts.danderyd.save()
    contact = contact_for(contacts.org, contacts.danderyd)
    assert contact.name == "Kansliet" and contact.phone == "018-10 00 00"
    assert contact_for(None, None) is None


MAIL_DIR = Path(__file__).resolve().parents[2] / "kompis" / "outbox" / "templates" / "outbox" / "mail"
KINDS = sorted(p.name.removesuffix(".subject.txt") for p in MAIL_DIR.glob("*.subject.txt"))


def test_every_kind_of_mail_is_listed():
    assert len(KINDS) >= 9 and {"introduction", "staff_invitation", "partner_left"} <= set(KINDS)


@pytest.mark.parametrize("language", ["sv", "ar"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_mail_names_the_contact_in_text_and_html(kind, language):
    """Each template shows the contact block (a new template that forgets it fails here)."""
    contact = {"name": "Maja Uppsala", "email": "uppsala@kompis.test", "phone": "018-12 34 56"}
    row = OutboxMessage(
        template=kind,
        language=language,
        context={"first_name": "Amal", "days": 7, "hours": 24, "contact": contact},
    )
    _subject, text, html = render(row)
    for part in (text, html):
        assert "uppsala@kompis.test" in part and "018-12 34 56" in part and "Maja Uppsala" in part, kind
    assert 'href="mailto:uppsala@kompis.test"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_mail_gets_the_reply_to_of_the_contact(contacts, kind):
    p = ParticipantFactory(organisation=contacts.org, region=contacts.uppsala)
    row = queue_mail(
        to_email=p.email,
        template=kind,
        language="sv",
        context={"first_name": p.first_name},
        dedupe_key=f"kind:{kind}",
        organisation=contacts.org,
        participant=p,
    )
    assert row.reply_to == "uppsala@kompis.test" and row.context["contact"]["name"] == "Maja Uppsala"
