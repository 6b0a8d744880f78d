"""Short words that mean different things get a translation context (translators' review, issue 9): the
end of a date range is not the recipient of a mail, a run's "Done" phase is not the task's "Done" button,
and "All" in a filter names what it means."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from kompis.matching.models import RunPhase
from kompis.organisations.staff_forms import InviteForm
from kompis.reports.forms import ReportFilterForm


@pytest.fixture
def swedish_entries() -> Iterator[dict[str, str]]:
    """Extra Swedish catalogue entries for one test (the .po files belong to the translators)."""
    entries: dict[str, str] = {}
    catalog = trans_real.translation("sv")._catalog
    catalog._catalogs.insert(0, entries)
    yield entries
    catalog._catalogs.remove(entries)


def test_date_range_and_mail_recipient_are_translated_apart(swedish_entries):
    swedish_entries.update(
        {"date range start\x04From": "Från och med", "date range end\x04To": "Till och med", "To": "Till"}
    )
    fields = ReportFilterForm.base_fields
    with translation.override("sv"):
        assert str(fields["date_from"].label) == "Från och med"
        assert str(fields["date_to"].label) == "Till och med"
        assert translation.pgettext("mail recipient", "To") != "Till och med"


def test_run_phase_and_staff_role_have_their_own_context(swedish_entries):
    swedish_entries.update(
        {"Done": "Klart (fel)", "matching run phase\x04Done": "Klar", "staff role\x04Role": "Roll"}
    )
    with translation.override("sv"):
        assert str(RunPhase.DONE.label) == "Klar"
        assert str(InviteForm.base_fields["role"].label) == "Roll"


def test_filter_all_names_what_it_means():
    fields = ReportFilterForm.base_fields
    with translation.override("en"):
        assert str(fields["region"].empty_label) == "All regions"
        assert str(fields["project"].empty_label) == "All projects"
        assert str(fields["municipality"].empty_label) == "All municipalities"
        assert dict(fields["kind"].choices)[""] == "Individual and family"
        assert dict(fields["mode"].choices)[""] == "In person and online"
