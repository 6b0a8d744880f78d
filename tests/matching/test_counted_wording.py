"""The run page shows its counts as whole sentences with plural forms (translators' review, issue 9):
no number glued to a separate "pairs", no "1 years"."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.matching import runs
from tests.matching.helpers import person

pytestmark = pytest.mark.django_db


def test_run_page_counts_are_whole_phrases(client, world):
    newcomer = person(world, "newcomer", birth_year=timezone.localdate().year - 34)
    person(world, "established")
    person(world, "established", "danderyd")
    run = runs.run_inline(actor=world.uppsala_coordinator, organisation=world.org, region=world.uppsala)
    assert run.stats["pairs"] == 1
    client.force_login(world.uppsala_coordinator)
    html = client.get(reverse("matching:run_detail", args=[run.uid]), {"state": "proposed"}).content.decode()
    assert "<strong>1</strong> match proposed" in html and "pairs" not in html
    assert "Unmatched newcomers: 0 of 1" in html
    assert "Unmatched established: 0 of 1" in html
    assert "Mean score:" in html
    assert newcomer.full_name in html and "34 years old" in html
