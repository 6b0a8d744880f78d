"""`visible_people` shows a person outside the user's scope with their region: the regions are read in one
query for all of them, not one each (a coordinator's cohort page named 150 people from other regions)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kompis.participants.access import visible_people
from kompis.participants.models import Participant
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_regions_of_people_outside_the_scope_take_one_query(world, uppsala_coordinator):
    for i in range(6):
        region = world.uppsala if i < 2 else (world.danderyd if i % 2 else world.lulea)
        ParticipantFactory(organisation=world.org, region=region)
    people = list(Participant.objects.filter(organisation=world.org))  # regions not loaded
    with CaptureQueriesContext(connection) as ctx:
        views = visible_people(uppsala_coordinator, people)
        names = sorted(view.region_name for view in views.values() if not view.full)
    assert names == ["Danderyd", "Danderyd", "Luleå", "Luleå"]
    assert sum(view.full for view in views.values()) == 2
    assert len(ctx.captured_queries) <= 3  # who is in scope (with the user's regions), then their regions
