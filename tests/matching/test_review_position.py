"""After approving or rejecting, the review stays where it was: htmx swaps the row; without JavaScript the
redirect keeps the filter and the page and carries an anchor on the next proposal."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from kompis.matching import runs, selectors, views
from kompis.matching.models import Match, ProposalState
from tests.matching.helpers import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(world, monkeypatch):
    monkeypatch.setattr(selectors, "REVIEW_PAGE_SIZE", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    for i in range(8):
        person(world, "newcomer", birth_year=1960 + i)
        person(world, "established", birth_year=1960 + i)
    return runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)


def ordered(run, state=ProposalState.PROPOSED):
    return list(run.proposals.filter(state=state).order_by("rank", "id"))


def where(response):
    parts = urlsplit(response["Location"])
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}, parts.fragment


def test_without_javascript_the_redirect_keeps_page_filter_and_next_proposal(client, world, run):
    client.force_login(world.uppsala_coordinator)
    before = ordered(run)
    assert len(before) == 8
    # approve the 5th (page 2 of 3 per page): the 6th moves up to 5th place, still on page 2
    response = client.post(reverse("matching:proposal_approve", args=[before[4].uid]), {"state": "proposed"})
    path, query, anchor = where(response)
    assert path == reverse("matching:run_detail", args=[run.uid])
    assert query == {"state": "proposed", "page": "2"} and anchor == f"proposal-{before[5].uid}"
    page = client.get(response["Location"]).content.decode()
    assert f'id="proposal-{before[5].uid}"' in page and "Match approved" in page
    # reject the last one: the review continues at the one before it
    response = client.post(
        reverse("matching:proposal_reject", args=[before[7].uid]), {"state": "proposed", "reason": "no"}
    )
    _path, query, anchor = where(response)
    assert query == {"state": "proposed", "page": "2"} and anchor == f"proposal-{before[6].uid}"
    # in the "all" filter the decided proposal stays: the next one is simply the following one
    response = client.post(reverse("matching:proposal_approve", args=[before[0].uid]), {"state": "all"})
    _path, query, anchor = where(response)
    assert query == {"state": "all"} and anchor == f"proposal-{before[1].uid}"
    # a tampered filter falls back to the default
    response = client.post(reverse("matching:proposal_approve", args=[before[1].uid]), {"state": "<x>"})
    assert where(response)[1]["state"] == "proposed"


def test_with_htmx_the_row_is_swapped_in_place(client, world, run):
    client.force_login(world.uppsala_coordinator)
    first = ordered(run)[0]
    response = client.post(
        reverse("matching:proposal_approve", args=[first.uid]), {"state": "proposed"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Location" not in response
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="proposal-{first.uid}"') and "<html" not in html
    assert "Match approved" in html and "autofocus" in html and "Approved" in html
    assert f'action="{reverse("matching:proposal_approve", args=[first.uid])}"' not in html
    assert Match.objects.filter(proposal=first).exists()
    # the same click again: the row says why, still 200 (htmx swaps only successful responses)
    response = client.post(reverse("matching:proposal_approve", args=[first.uid]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "already been decided" in response.content.decode()
    second = ordered(run)[0]
    response = client.post(
        reverse("matching:proposal_reject", args=[second.uid]),
        {"reason": "neighbours"},
        HTTP_HX_REQUEST="true",
    )
    assert (
        "will not be proposed again" in response.content.decode() and "Rejected" in response.content.decode()
    )


def test_review_rows_offer_htmx_with_a_plain_form_fallback(client, world, run):
    client.force_login(world.uppsala_coordinator)
    first = ordered(run)[0]
    html = client.get(reverse("matching:run_detail", args=[run.uid]), {"state": "proposed"}).content.decode()
    url = reverse("matching:proposal_approve", args=[first.uid])
    assert f'action="{url}" hx-post="{url}" hx-target="#proposal-{first.uid}" hx-swap="outerHTML"' in html
    assert '<input type="hidden" name="state" value="proposed">' in html


def test_approving_a_pair_with_someone_without_e_mail_tells_staff_to_tell_them(client, world, run):
    """A paper sign-up or an imported record without e-mail gets no introduction: the message said nothing."""
    client.force_login(world.uppsala_coordinator)
    first, second = ordered(run)[:2]
    first.newcomer.email = ""
    first.newcomer.save()
    html = client.post(
        reverse("matching:proposal_approve", args=[first.uid]), {"state": "proposed"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f"{first.newcomer.full_name} gets no introduction by e-mail" in html
    assert "tell them about the match yourself" in html
    html = client.post(
        reverse("matching:proposal_approve", args=[second.uid]), {"state": "proposed"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Match approved" in html and "gets no introduction" not in html
