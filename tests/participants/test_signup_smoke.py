from django.core import mail

from kompis.participants.models import Participant

VALID = {
    "role": "newcomer", "first_name": "Amal", "last_name": "Haddad", "email": "Amal@Example.org",
    "birth_year": "1991", "gender": "woman", "municipality": "0380", "postal_code": "753 20",
    "languages": ["ar", "en"], "interests": ["fika"], "meeting_mode": "either", "capacity": "1",
    "consent_data": "on",
}


def test_signup_in_arabic_creates_pending_participant_and_mails_link(client, world, django_capture_on_commit_callbacks):
    client.cookies["kompis_language"] = "ar"
    page = client.get("/kompisforeningen/signup/")
    assert 'dir="rtl"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/kompisforeningen/signup/", VALID)
    assert response.status_code == 302, response.content.decode()[:3000]
    p = Participant.objects.get()
    assert p.email == "amal@example.org" and p.status == "pending" and p.region == world.uppsala
    assert p.preferred_language == "ar"
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/signup/confirm/" in line).strip()
    path = link.split("8000", 1)[1]
    assert client.get(path).status_code == 200
    client.post(path)
    p.refresh_from_db()
    assert p.status == "waiting" and p.email_verified_at
