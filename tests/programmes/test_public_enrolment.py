"""Issue #13: enrolment through a programme's public form, in the visitor's language, confirmed by the owner
of the address through a signed link (the form's answer tells no one who is enrolled); a waiting list when
the cohort is full; a duplicate or a missing consent refused with a clear message and nothing written."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from kompis.audit.models import AuditEvent
from kompis.outbox.models import OutboxMessage
from kompis.participants.models import Consent, Participant
from kompis.programmes import services
from kompis.programmes.models import Enrolment, EnrolmentStatus
from kompis.programmes.services import CohortData, EnrolmentData, ProgrammeData
from tests.factories import ParticipantFactory


def arabic(text: str) -> str:
    """The page a confirmation link opens speaks the language chosen on the form (Arabic in these tests)."""
    with translation.override("ar"):
        return translation.gettext(text)


pytestmark = pytest.mark.django_db


def programme_of(world, *, public=True, organisation=None, capacity=None, cohorts=1):
    prog = services.create_programme(
        actor=world.admin if organisation is None else world.other_coordinator,
        organisation=organisation or world.org,
        data=ProgrammeData(
            name="Yrkesmentor",
            region=world.uppsala if organisation is None else None,
            public_enrolment=public,
        ),
    )
    today = timezone.localdate()
    made = [
        services.create_cohort(
            actor=world.admin,
            programme=prog,
            data=CohortData(
                name=f"Group {i}",
                starts_on=today + timedelta(days=10 * i),
                ends_on=today + timedelta(days=180),
                mentee_capacity=capacity,
            ),
        )
        for i in range(cohorts)
    ]
    return prog, made


def form(**changes):
    data = {
        "first_name": "Amina",
        "last_name": "Yusuf",
        "email": "Amina@Example.org",
        "language": "ar",
        "role": "mentee",
        "field": "health",
        "meeting_mode": "either",
        "municipality": "0380",
        "goals": "Work as a nurse again",
        "consent": "on",
    }
    data.update(changes)
    return data


def url(world, prog, name="enrol"):
    return reverse(f"programmes_public:{name}", args=[world.org.slug, prog.uid])


def confirm_link(email="amina@example.org"):
    """The path of the confirmation link in the last mail queued to `email`."""
    mail = OutboxMessage.objects.filter(to_email=email, template="programme_confirm").latest("id")
    return mail.context["confirm_url"].removeprefix(settings.SITE_ROOT)


def enrol_by_mail(client, world, prog, data, **headers):
    """Send the form, open the link mailed to the address and confirm: the confirmation page."""
    response = client.post(url(world, prog), data, **headers)
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.post(confirm_link(data["email"].strip().lower()), **headers)


def test_the_list_shows_open_programmes_of_the_organisation_only(client, world):
    open_prog, _ = programme_of(world)
    closed, _ = programme_of(world, public=False)
    html = client.get(reverse("programmes_public:list", args=[world.org.slug])).content.decode()
    assert str(open_prog.uid) in html and str(closed.uid) not in html


@pytest.mark.parametrize("language", ["sv", "en", "ar", "fa", "so", "uk"])
def test_the_form_opens_in_each_language(client, world, language):
    prog, _ = programme_of(world)
    response = client.get(url(world, prog), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 200 and f'lang="{language}"' in html and 'name="email"' in html
    # one cohort: no choice shown
    assert 'name="cohort"' not in html


def test_the_form_writes_nothing_but_one_mail_with_a_link_in_her_language(client, world):
    prog, _ = programme_of(world)
    before = AuditEvent.objects.count()
    response = client.post(url(world, prog), form(meeting_mode="digital"))
    assert response.status_code == 302 and response["Location"] == url(world, prog, "thanks")
    assert not Participant.objects.exists() and not Enrolment.objects.exists()
    assert not Consent.objects.exists() and AuditEvent.objects.count() == before
    mail = OutboxMessage.objects.get()
    assert (mail.template, mail.language, mail.to_email) == ("programme_confirm", "ar", "amina@example.org")
    assert mail.participant is None and mail.context["programme"] == "Yrkesmentor"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Check your e-mail" in page and "confirm your enrolment" in page


def test_a_new_person_confirms_and_is_enrolled_and_told_in_her_language(client, world):
    prog, [cohort] = programme_of(world)
    client.post(url(world, prog), form(meeting_mode="digital"))
    link = confirm_link()
    page = client.get(link)  # a GET (a mail scanner) shows the answers and one button, and writes nothing
    html = page.content.decode()
    assert page.status_code == 200 and page["Content-Language"] == "ar" and 'lang="ar"' in html
    assert "Amina Yusuf" in html and "Work as a nurse again" in html and 'method="post"' in html
    assert not Participant.objects.exists()
    response = client.post(link, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and 'data-state="enrolled"' in response.content.decode()
    person = Participant.objects.get(email="amina@example.org")
    assert (person.first_name, person.last_name, person.preferred_language) == ("Amina", "Yusuf", "ar")
    assert person.region == world.uppsala and person.email_verified_at is not None
    assert Consent.objects.filter(participant=person, kind="data_processing").count() == 1
    enrolment = Enrolment.objects.get(participant=person, cohort=cohort)
    assert (enrolment.role, enrolment.status, enrolment.meeting_mode, enrolment.field, enrolment.goals) == (
        "mentee",
        "active",
        "digital",
        "health",
        "Work as a nurse again",
    )
    mail = OutboxMessage.objects.get(participant=person)
    assert (mail.template, mail.language) == ("programme_enrolled", "ar")
    assert mail.context["programme"] == "Yrkesmentor" and "/me/" in mail.context["self_service_url"]
    event = AuditEvent.objects.get(action="programme.enrolled")
    assert event.actor_label == "participant" and "Work as a nurse" not in str(event.data)


def test_confirming_twice_enrols_once(client, world):
    prog, _ = programme_of(world)
    client.post(url(world, prog), form())
    link = confirm_link()
    assert 'data-state="enrolled"' in client.post(link).content.decode()
    counts = (Enrolment.objects.count(), OutboxMessage.objects.count(), AuditEvent.objects.count())
    again = client.post(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-state="already"' in again and arabic("You are already enrolled") in again
    assert (Enrolment.objects.count(), OutboxMessage.objects.count(), AuditEvent.objects.count()) == counts
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize("how", ["tampered", "expired", "other_organisation", "other_purpose"])
def test_a_tampered_or_expired_link_does_not_work_and_writes_nothing(client, world, how, monkeypatch):
    prog, _ = programme_of(world)
    client.post(url(world, prog), form())
    link = confirm_link()
    token = link.rstrip("/").rsplit("/", 1)[1]
    if how == "tampered":
        payload = signing.loads(token, salt="kompis.programme-enrolment")
        payload["role"] = "mentor"  # signed with another key
        forged = signing.dumps(payload, key="not-ours", salt="kompis.programme-enrolment", compress=True)
        link = link.replace(token, forged)
    elif how == "other_organisation":
        link = link.replace(f"/{world.org.slug}/", f"/{world.other_org.slug}/")
    elif how == "other_purpose":  # a token signed for another kind of link
        forged = signing.dumps(signing.loads(token, salt="kompis.programme-enrolment"), salt="kompis.me")
        link = link.replace(token, forged)
    elif how == "expired":  # 3 days and a minute later, for the signature
        later = timezone.now().timestamp() + 3 * 86400 + 60
        monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    counts = (OutboxMessage.objects.count(), AuditEvent.objects.count())
    for method in (client.get, client.post):
        response = method(link, HTTP_ACCEPT_LANGUAGE="en")
        html = response.content.decode()
        assert response.status_code == 400 and 'id="link-invalid"' in html
        if how == "expired":  # told in her language (from the signed link) that it is too old
            assert response["Content-Language"] == "ar" and 'data-reason="expired"' in html
        else:
            assert "This link does not work" in html and 'data-reason="expired"' not in html
    assert not Participant.objects.exists() and not Enrolment.objects.exists()
    assert (OutboxMessage.objects.count(), AuditEvent.objects.count()) == counts


def test_the_municipality_may_be_left_empty(client, world):
    prog, [cohort] = programme_of(world)
    assert (
        'data-state="enrolled"' in enrol_by_mail(client, world, prog, form(municipality="")).content.decode()
    )
    person = Enrolment.objects.get(cohort=cohort).participant
    assert person.municipality is None and person.region == world.uppsala  # the programme's region


def test_a_known_address_reuses_the_person_and_her_language(client, world):
    known = ParticipantFactory(
        organisation=world.org, region=world.uppsala, email="amina@example.org", preferred_language="fa"
    )
    prog, [cohort] = programme_of(world)
    enrol_by_mail(client, world, prog, form(role="mentor", first_name="Other", last_name="Name"))
    assert Participant.objects.filter(email="amina@example.org").count() == 1
    assert Enrolment.objects.get(cohort=cohort).participant == known
    known.refresh_from_db()
    assert known.first_name != "Other"  # a public form does not rename a known person
    assert OutboxMessage.objects.get(participant=known).language == "fa"
    assert known.email_verified_at is not None


def test_a_full_cohort_puts_her_on_the_waiting_list_and_the_mail_says_so(client, world):
    prog, [cohort] = programme_of(world, capacity=1)
    taken = ParticipantFactory(organisation=world.org, region=world.uppsala)
    services.enrol(actor=world.admin, cohort=cohort, participant=taken, data=EnrolmentData(role="mentee"))
    response = enrol_by_mail(client, world, prog, form(language="sv"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-state="waiting"' in response.content.decode()
    enrolment = Enrolment.objects.get(participant__email="amina@example.org")
    assert enrolment.status == EnrolmentStatus.WAITING
    mail = OutboxMessage.objects.get(participant=enrolment.participant)
    assert mail.template == "programme_waiting" and mail.language == "sv"


def test_the_form_answers_the_same_for_an_enrolled_address_and_only_her_mail_says_so(client, world):
    prog, _ = programme_of(world)
    enrol_by_mail(client, world, prog, form())
    counts = (Participant.objects.count(), Enrolment.objects.count(), AuditEvent.objects.count())
    known = client.post(url(world, prog), form(email="AMINA@example.org "), HTTP_ACCEPT_LANGUAGE="en")
    new = client.post(url(world, prog), form(email="new@example.org"), HTTP_ACCEPT_LANGUAGE="en")
    assert (known.status_code, known["Location"], known.content) == (
        new.status_code,
        new["Location"],
        new.content,
    )
    page = client.get(known["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "already" not in page and "Check your e-mail" in page
    assert (Participant.objects.count(), Enrolment.objects.count(), AuditEvent.objects.count()) == counts
    # only the owner of the address, opening the link mailed to her, learns that she is enrolled already
    html = client.get(confirm_link(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-state="already"' in html and arabic("You are already enrolled") in html
    assert 'method="post"' not in html
    client.post(confirm_link())
    assert Enrolment.objects.count() == 1


def test_a_refusal_writes_not_even_the_person(world):
    from kompis.programmes.public_enrolment import PublicEnrolment, enrol_publicly
    from kompis.programmes.services import EnrolmentRefused

    prog, [cohort] = programme_of(world)
    _other, [other_cohort] = programme_of(world)
    data = PublicEnrolment(
        first_name="Ny",
        last_name="Person",
        email="ny@example.org",
        language="sv",
        municipality=world.uppsala.municipalities.first(),
        role="mentee",
        field="",
        meeting_mode="either",
    )
    with pytest.raises(EnrolmentRefused):  # a cohort of another programme
        enrol_publicly(organisation=world.org, programme=prog, cohort=other_cohort, data=data)
    cohort.ends_on = cohort.starts_on = timezone.localdate() - timedelta(days=1)
    cohort.save()
    with pytest.raises(EnrolmentRefused):  # the cohort has ended
        enrol_publicly(organisation=world.org, programme=prog, cohort=cohort, data=data)
    assert not Participant.objects.filter(email="ny@example.org").exists()


def test_a_choice_between_cohorts_when_more_than_one_runs(client, world):
    prog, [_first, second] = programme_of(world, cohorts=2)
    html = client.get(url(world, prog)).content.decode()
    assert html.count('name="cohort"') == 2
    response = client.post(url(world, prog), form(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and 'id="field-cohort"' in response.content.decode()
    assert not OutboxMessage.objects.exists()
    enrol_by_mail(client, world, prog, form(cohort=str(second.pk)))
    assert Enrolment.objects.get().cohort == second


def test_a_programme_not_open_of_another_organisation_or_unknown_is_404(client, world):
    closed, _ = programme_of(world, public=False)
    ended, [cohort] = programme_of(world)
    cohort.ends_on = cohort.starts_on = timezone.localdate() - timedelta(days=1)
    cohort.save()
    foreign, _ = programme_of(world, organisation=world.other_org)
    for prog in (closed, ended, foreign):
        assert client.get(url(world, prog)).status_code == 404
        assert client.post(url(world, prog), form()).status_code == 404
    assert (
        client.get(reverse("programmes_public:enrol", args=[world.other_org.slug, closed.uid])).status_code
        == 404
    )
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(reverse("programmes_public:enrol", args=[world.org.slug, unknown])).status_code == 404
    assert not Participant.objects.filter(email="amina@example.org").exists()


@pytest.mark.parametrize("consent", [None, "", "false", "0"])
def test_missing_or_tampered_consent_is_refused_naming_the_field(client, world, consent):
    prog, _ = programme_of(world)
    data = form()
    if consent is None:
        del data["consent"]
    else:
        data["consent"] = consent
    response = client.post(url(world, prog), data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and 'href="#field-consent"' in html
    assert "We need your consent to be able to enrol you." in html
    assert not Participant.objects.exists() and not Enrolment.objects.exists()


def test_a_name_in_another_script_needs_the_latin_form(client, world):
    prog, _ = programme_of(world)
    response = client.post(
        url(world, prog), form(first_name="أمينة", last_name="يوسف"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and 'href="#field-name_latin"' in response.content.decode()
    assert not OutboxMessage.objects.exists()
    enrol_by_mail(
        client,
        world,
        prog,
        form(first_name="أمينة عائشة", last_name="يوسف", name_latin="Amina Aisha Yusuf"),
    )
    person = Participant.objects.get()
    assert (person.first_name, person.last_name, person.name_latin) == (
        "أمينة عائشة",
        "يوسف",
        "Amina Aisha Yusuf",
    )


def test_other_field_of_work_needs_a_word(client, world):
    prog, _ = programme_of(world)
    response = client.post(url(world, prog), form(field="other"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'href="#field-field_other"' in response.content.decode() and not Enrolment.objects.exists()


def test_the_form_is_rate_limited(client, world, settings):
    settings.SIGNUP_RATE = "2/h"
    prog, _ = programme_of(world)
    for i in range(2):
        assert client.post(url(world, prog), form(email=f"p{i}@example.org")).status_code == 302
    assert client.post(url(world, prog), form(email="p9@example.org")).status_code == 429
    assert OutboxMessage.objects.count() == 2 and not OutboxMessage.objects.filter(to_email="p9@example.org")


def test_staff_open_a_programme_for_the_public_form_and_see_its_link(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("programmes:new"),
        {
            "name": "Öppen",
            "region": world.uppsala.pk,
            "pair_duration_months": 6,
            "min_meetings_per_month": 1,
            "silent_pair_days": 45,
            "public_enrolment": "on",
        },
    )
    assert response.status_code == 302
    prog = services.Programme.objects.get(name="Öppen")
    assert prog.public_enrolment
    assert AuditEvent.objects.get(action="programme.created").data["public"] is True
    html = client.get(response["Location"]).content.decode()
    assert url(world, prog) in html and 'id="public-enrol-link"' in html
    closed, _ = programme_of(world, public=False)
    html = client.get(reverse("programmes:detail", args=[closed.uid])).content.decode()
    assert 'id="public-enrol-closed"' in html and url(world, closed) not in html


def test_staff_open_and_close_the_public_form_of_a_programme_in_their_scope(client, world):
    prog, _ = programme_of(world, public=False)
    switch = reverse("programmes:public_enrolment", args=[prog.uid])
    client.force_login(world.danderyd_coordinator)  # not her region: 404 whatever the method
    assert client.post(switch, {"open": "1"}).status_code == 404
    assert client.get(switch).status_code == 404
    client.force_login(world.uppsala_coordinator)
    assert client.get(switch).status_code == 405  # a GET changes nothing
    assert client.post(switch, {"open": "1"}).status_code == 302
    assert client.get(url(world, prog)).status_code == 200
    client.post(switch, {"open": "1"})  # already open: nothing written
    events = AuditEvent.objects.filter(action="programme.public_enrolment_changed")
    assert [e.data for e in events] == [{"open": True}]
    client.post(switch, {"open": "0"})
    assert client.get(url(world, prog)).status_code == 404
    html = client.get(reverse("programmes:detail", args=[prog.uid]), HTTP_ACCEPT_LANGUAGE="en").content
    assert "Closed for enrolment through the public form" in html.decode()


def test_a_group_that_ended_before_she_confirmed_is_refused_with_a_message_and_nothing_written(client, world):
    prog, [cohort] = programme_of(world)
    client.post(url(world, prog), form())
    cohort.ends_on = cohort.starts_on = timezone.localdate() - timedelta(days=1)
    cohort.save()
    html = client.post(confirm_link(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-state="refused"' in html
    assert arabic("This group has ended, or its programme is closed for enrolment.") in html
    assert not Participant.objects.exists() and not Enrolment.objects.exists()
