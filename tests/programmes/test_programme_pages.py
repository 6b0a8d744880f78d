"""Staff pages to create a programme and a cohort (issue #13): admins and coordinators in scope create,
bad input writes nothing, a coordinator outside the programme's scope gets 404, a viewer 403."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.programmes import services
from kompis.programmes.models import Cohort, Programme
from kompis.programmes.services import CohortData, ProgrammeData

pytestmark = pytest.mark.django_db

NEW = reverse("programmes:new")


def programme_post(**over):
    data = {
        "name": "Professional mentorship",
        "description": "Mentors in health care",
        "region": "",
        "project": "",
        "pair_duration_months": "6",
        "min_meetings_per_month": "2",
        "silent_pair_days": "30",
        "min_sessions_attended": "",
    }
    data.update(over)
    return data


def cohort_post(**over):
    today = timezone.localdate()
    data = {
        "name": "Spring",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=180)).isoformat(),
        "mentee_capacity": "12",
        "region": "",
        "project": "",
    }
    data.update(over)
    return data


def uppsala_programme(world):
    return services.create_programme(
        actor=world.admin,
        organisation=world.org,
        data=ProgrammeData(name="Uppsala mentors", region=world.uppsala),
    )


def test_admin_creates_a_programme_for_the_whole_organisation(client, world):
    client.force_login(world.admin)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, programme_post(min_sessions_attended="4", project=str(world.project.pk)))
    programme = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "programmes:detail", args=[programme.uid]
    )
    assert (
        programme.organisation == world.org
        and programme.region is None
        and programme.project == world.project
    )
    assert (programme.pair_duration_months, programme.min_meetings_per_month) == (6, 2)
    assert (programme.silent_pair_days, programme.min_sessions_attended) == (30, 4)
    assert programme.created_by == world.admin
    assert AuditEvent.objects.filter(action="programme.created").count() == 1
    assert reverse("programmes:new") in client.get(reverse("programmes:list")).content.decode()


def test_uppsala_coordinator_creates_a_programme_and_a_cohort_in_their_region(client, world):
    client.force_login(world.uppsala_coordinator)
    response = client.post(NEW, programme_post(region=str(world.uppsala.pk)))
    programme = Programme.objects.get()
    assert response.status_code == 302 and programme.region == world.uppsala
    page = client.get(reverse("programmes:detail", args=[programme.uid])).content.decode()
    url = reverse("programmes:cohort_new", args=[programme.uid])
    assert url in page
    assert client.get(url).status_code == 200
    response = client.post(url, cohort_post())
    cohort = Cohort.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "programmes:cohort", args=[cohort.uid]
    )
    assert cohort.programme == programme and cohort.mentee_capacity == 12 and cohort.region is None
    assert cohort.ends_on - cohort.starts_on == timedelta(days=180)
    assert AuditEvent.objects.filter(action="programme.cohort_created").count() == 1


def test_coordinator_may_not_create_outside_their_scope(client, world):
    client.force_login(world.uppsala_coordinator)
    # another region is no choice; no region and no project is out of every coordinator's scope
    for data in (programme_post(region=str(world.danderyd.pk)), programme_post()):
        response = client.post(NEW, data)
        assert response.status_code == 200 and response.context["form"].errors.get("region")
    assert "Choose one of your regions or projects." in response.content.decode()
    assert not Programme.objects.exists()


def test_danderyd_coordinator_gets_404_on_an_uppsala_programmes_new_cohort_page(client, world):
    programme = uppsala_programme(world)
    url = reverse("programmes:cohort_new", args=[programme.uid])
    client.force_login(world.danderyd_coordinator)
    assert client.get(url).status_code == 404
    assert client.post(url, cohort_post()).status_code == 404
    assert not Cohort.objects.exists()


def test_viewer_gets_403(client, world):
    programme = uppsala_programme(world)
    client.force_login(world.viewer)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, programme_post()).status_code == 403
    assert client.get(reverse("programmes:cohort_new", args=[programme.uid])).status_code == 403
    assert Programme.objects.count() == 1


def test_bad_input_writes_nothing(client, world):
    programme = uppsala_programme(world)
    events = AuditEvent.objects.count()
    client.force_login(world.admin)
    response = client.post(NEW, programme_post(name=" "))
    assert response.status_code == 200 and "name" in response.context["form"].errors
    response = client.post(NEW, programme_post(silent_pair_days="0"))
    assert response.status_code == 200 and "silent_pair_days" in response.context["form"].errors
    assert Programme.objects.count() == 1
    url = reverse("programmes:cohort_new", args=[programme.uid])
    today = timezone.localdate()
    response = client.post(url, cohort_post(ends_on=(today - timedelta(days=1)).isoformat()))
    assert response.status_code == 200 and "ends_on" in response.context["form"].errors
    assert "The cohort must end after it starts." in response.content.decode()
    response = client.post(url, cohort_post(name=""))
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert not Cohort.objects.exists()
    assert AuditEvent.objects.count() == events


class _Ancestors(HTMLParser):
    """The classes of the elements around the element with a given id."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.stack, self.found = wanted, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == self.wanted and self.found is None:
            self.found = [classes for _, classes in self.stack]
        if tag not in self.VOID:
            self.stack.append((tag, attrs.get("class") or ""))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def test_the_enrolments_table_has_the_full_width_of_the_cohort_page(client, world):
    programme = uppsala_programme(world)
    today = timezone.localdate()
    cohort = services.create_cohort(
        actor=world.admin,
        programme=programme,
        data=CohortData(name="Spring", starts_on=today, ends_on=today + timedelta(days=90)),
    )
    client.force_login(world.uppsala_coordinator)
    html = client.get(reverse("programmes:cohort", args=[cohort.uid])).content.decode()
    parser = _Ancestors("enrolments")
    parser.feed(html)
    assert parser.found is not None, "the enrolments card"
    assert not any("halves" in classes for classes in parser.found)  # not squeezed into a half
    enrol = _Ancestors("enrol")
    enrol.feed(html)
    assert enrol.found is not None and "Enrol a person" in html
