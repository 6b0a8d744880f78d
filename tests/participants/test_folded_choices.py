"""Long checkbox lists (languages, interests) show their first six; the rest sit under a "Show more"
<details> that is open whenever one of them is chosen, so nothing chosen is ever hidden (issue 9)."""

from __future__ import annotations

import re

import pytest

from kompis.participants.forms import SHOW_FIRST
from kompis.participants.services import self_service_url
from kompis.participants.vocab import INTERESTS, LANGUAGES
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/kompisforeningen/signup/"


def group(page: str, name: str) -> str:
    match = re.search(rf'<fieldset class="field( has-error)?" id="field-{name}">(.*?)</fieldset>', page, re.S)
    assert match, f"no fieldset for {name}"
    return match.group(2)


def folded(block: str) -> tuple[list[str], list[str], bool, str]:
    """(values shown, values under "Show more", whether it is open, the summary's text)."""
    head, _, rest = block.partition("<details")
    values = lambda html: re.findall(r'<input type="checkbox" name="\w+" value="(\w+)"', html)  # noqa: E731
    summary = re.search(r"<summary>(.*?)</summary>", rest, re.S)
    return (
        values(head),
        values(rest),
        bool(re.match(r'\s+class="more"\s+open', rest)),
        summary.group(1) if summary else "",
    )


def test_signup_shows_six_languages_and_six_interests_and_folds_the_rest(client, world):
    page = client.get(SIGNUP).content.decode()
    shown, more, is_open, label = folded(group(page, "languages"))
    assert shown == list(LANGUAGES)[:SHOW_FIRST] == ["sv", "en", "ar", "fa", "so", "uk"]
    assert more == list(LANGUAGES)[SHOW_FIRST:] and not is_open
    assert label == f"Show {len(LANGUAGES) - SHOW_FIRST} more languages"
    shown, more, is_open, label = folded(group(page, "interests"))
    assert shown + more == list(INTERESTS) and len(shown) == SHOW_FIRST and not is_open
    assert label == f"Show {len(INTERESTS) - SHOW_FIRST} more interests"
    # short lists are not folded
    assert "<details" not in group(page, "availability")


def test_a_chosen_language_under_show_more_keeps_the_list_open_after_an_error(client, world):
    page = client.post(SIGNUP, {"languages": ["ti"], "interests": ["history"]}).content.decode()
    assert 'id="errors"' in page  # the form came back with errors
    _, more, is_open, _ = folded(group(page, "languages"))
    assert "ti" in more and is_open
    assert re.search(r'value="ti"[^>]*checked', group(page, "languages"))
    assert folded(group(page, "interests"))[2]


def test_own_page_opens_the_list_when_she_speaks_a_language_under_show_more(client, world):
    tigrinya = ParticipantFactory(organisation=world.org, region=world.uppsala, languages=["sv", "ti"])
    page = client.get(self_service_url(tigrinya).split("8000", 1)[1]).content.decode()
    assert folded(group(page, "languages"))[2]
    swedish = ParticipantFactory(organisation=world.org, region=world.uppsala, languages=["sv", "ar"])
    page = client.get(self_service_url(swedish).split("8000", 1)[1]).content.decode()
    assert not folded(group(page, "languages"))[2]
