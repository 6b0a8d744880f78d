"""In-depth interviews (issue #14): a stratified random sample reproducible from its seed, strata sizes, scope
of coordinators and viewers, interview notes with coded themes counted across interviews."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompis.audit.models import AuditEvent
from kompis.programmes.models import Cohort, Enrolment, EnrolmentStatus, Programme
from kompis.surveys import interviews
from kompis.surveys.interview_models import InterviewNote, InterviewSample, InterviewSubject
from tests.factories import MatchFactory, ParticipantFactory


def _cohort(world, region, mentees=12, mentors=5, waiting=3):
    programme = Programme.objects.create(
        organisation=world.org, region=region, name=f"{region.name} mentorship"
    )
    cohort = Cohort.objects.create(
        programme=programme, name="Spring", starts_on="2026-01-10", ends_on="2026-06-30"
    )
    for i in range(mentees + mentors + waiting):
        person = ParticipantFactory(
            organisation=world.org, region=region, gender="woman" if i % 3 else "man", friend_matching=False
        )
        Enrolment.objects.create(
            cohort=cohort,
            participant=person,
            role="mentee" if i < mentees or i >= mentees + mentors else "mentor",
            status=EnrolmentStatus.WAITING if i >= mentees + mentors else EnrolmentStatus.ACTIVE,
        )
    return cohort


def _draw(world, cohort, *, seed=42, strata="role", per_stratum=3, actor=None, region=None):
    return interviews.draw_sample(
        actor=actor or world.admin,
        organisation=world.org,
        cohort=cohort,
        region=region,
        strata=strata,
        per_stratum=per_stratum,
        seed=seed,
    )


def _people(sample):
    return sorted(sample.subjects.values_list("stratum", "participant_id"))


def test_the_same_seed_and_people_give_the_same_sample_and_another_seed_another(world):
    cohort = _cohort(world, world.uppsala)
    first, again = _draw(world, cohort, seed=7), _draw(world, cohort, seed=7)
    assert _people(first) == _people(again)
    others = [_people(_draw(world, cohort, seed=seed)) for seed in range(8, 14)]
    assert any(people != _people(first) for people in others)


def test_each_stratum_gets_its_size_or_everyone_and_the_waiting_list_is_left_out(world):
    cohort = _cohort(world, world.uppsala, mentees=12, mentors=2, waiting=3)
    sample = _draw(world, cohort, per_stratum=3)
    assert Counter(sample.subjects.values_list("stratum", flat=True)) == {"mentee": 3, "mentor": 2}
    assert sample.population == 14
    waiting = set(
        Enrolment.objects.filter(status=EnrolmentStatus.WAITING).values_list("participant_id", flat=True)
    )
    assert not waiting & set(sample.subjects.values_list("participant_id", flat=True))
    by_gender = _draw(world, cohort, strata="gender", per_stratum=4)
    assert Counter(by_gender.subjects.values_list("stratum", flat=True)) == {"woman": 4, "man": 4}


def test_the_draw_is_logged_with_the_seed_and_counts_only(world):
    cohort = _cohort(world, world.uppsala)
    sample = _draw(world, cohort, seed=99)
    event = AuditEvent.objects.get(action="interview.sample_drawn", object_id=str(sample.uid))
    assert event.data["seed"] == 99 and event.data["drawn"] == 6 and event.data["population"] == 17
    # the seed, the strata and counts: no person's id
    assert set(event.data) == {"seed", "strata", "per_stratum", "population", "drawn", "strata_count"}


def test_friend_matches_are_drawn_by_region(world):
    for _ in range(4):
        MatchFactory(
            newcomer=ParticipantFactory(organisation=world.org, region=world.uppsala),
            established=ParticipantFactory(organisation=world.org, region=world.uppsala, role="established"),
        )
    MatchFactory(
        newcomer=ParticipantFactory(organisation=world.org, region=world.danderyd),
        established=ParticipantFactory(organisation=world.org, region=world.danderyd, role="established"),
    )
    sample = _draw(world, None, region=world.uppsala, per_stratum=2)
    assert sample.population == 8
    assert Counter(sample.subjects.values_list("stratum", flat=True)) == {"newcomer": 2, "established": 2}
    regions = {s.participant.region_id for s in sample.subjects.select_related("participant")}
    assert regions == {world.uppsala.pk}


def test_bad_input_names_the_field_and_writes_nothing(world):
    cohort = _cohort(world, world.uppsala)
    with pytest.raises(ValidationError) as error:
        _draw(world, cohort, per_stratum=0)
    assert "per_stratum" in error.value.message_dict
    empty = Cohort.objects.create(
        programme=cohort.programme, name="Empty", starts_on="2026-08-01", ends_on="2026-09-01"
    )
    with pytest.raises(ValidationError) as error:
        _draw(world, empty)
    assert "cohort" in error.value.message_dict
    assert not InterviewSample.objects.exists() and not InterviewSubject.objects.exists()


def test_themes_are_counted_once_per_interviewed_person(world):
    cohort = _cohort(world, world.uppsala)
    sample = _draw(world, cohort, per_stratum=3)
    for code, label in (("language", "Language"), ("work", "Work"), ("loneliness", "Loneliness")):
        interviews.add_theme(actor=world.admin, organisation=world.org, code=code, label=label)
    a, b, c = list(sample.subjects.all())[:3]
    interviews.add_note(actor=world.admin, subject=a, text="Talked about jobs.", themes=["work", "language"])
    interviews.add_note(actor=world.admin, subject=a, text="Second talk.", themes=["work"])
    interviews.add_note(actor=world.admin, subject=b, text="Lonely at first.", themes=["loneliness", "work"])
    interviews.add_note(actor=world.admin, subject=c, text="Nothing coded.", themes=[])
    counts = {t.code: n for t, n in interviews.theme_counts(organisation=world.org, sample=sample)}
    assert counts == {"work": 2, "language": 1, "loneliness": 1}
    with pytest.raises(ValidationError) as error:
        interviews.add_note(actor=world.admin, subject=c, text="x", themes=["unknown"])
    assert "themes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        interviews.add_note(actor=world.admin, subject=c, text="  ", themes=[])
    assert "text" in error.value.message_dict
    assert InterviewNote.objects.count() == 4
    # audit keeps codes, never the note's text
    event = AuditEvent.objects.filter(action="interview.note_added").latest("id")
    assert "Nothing coded" not in str(event.data)


def test_coordinators_see_samples_of_their_region_only_and_viewers_none(client, world):
    sample = _draw(world, _cohort(world, world.uppsala))
    url = reverse("surveys:interview_sample", kwargs={"sample_id": sample.uid})
    for user, status in (
        (world.admin, 200),
        (world.uppsala_coordinator, 200),
        (world.danderyd_coordinator, 404),
        (world.other_coordinator, 404),
        (world.viewer, 403),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.force_login(world.danderyd_coordinator)
    assert str(sample.uid) not in client.get(reverse("surveys:interviews")).content.decode()


def test_a_coordinator_draws_from_the_pages_and_adds_a_note(client, world):
    cohort = _cohort(world, world.uppsala)
    client.force_login(world.uppsala_coordinator)
    page = client.get(reverse("surveys:interview_draw"))
    assert str(cohort.uid) in page.content.decode()
    response = client.post(
        reverse("surveys:interview_draw"),
        {"source": str(cohort.uid), "strata": "role", "per_stratum": "2", "seed": "5"},
    )
    sample = InterviewSample.objects.get()
    assert response.status_code == 302 and sample.drawn_by == world.uppsala_coordinator
    client.post(reverse("surveys:interview_theme_add"), {"code": "work", "label": "Work"})
    subject = sample.subjects.first()
    client.post(
        reverse("surveys:interview_note_add", kwargs={"subject_id": subject.uid}),
        {"text": "Found a job.", "themes": ["work"]},
    )
    page = client.get(reverse("surveys:interview_sample", kwargs={"sample_id": sample.uid})).content.decode()
    assert "Found a job." in page
    # matches without a region: a coordinator must choose one of theirs
    response = client.post(
        reverse("surveys:interview_draw"),
        {"source": "matches", "strata": "role", "per_stratum": "2", "seed": "5"},
    )
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert InterviewSample.objects.count() == 1


def test_the_surveys_page_links_to_the_interviews(client, world):
    client.force_login(world.uppsala_coordinator)
    assert reverse("surveys:interviews") in client.get(reverse("surveys:list")).content.decode()
