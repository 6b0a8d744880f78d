"""The import template staff download: the header row, one generated example row and notes on every column.

CSV: the header and the example row (a CSV has one sheet; the notes are on the import page).
XLSX: the same on the first sheet ("participants", which the import reads) and a second sheet ("notes")
explaining each column, whether it is required and its allowed values. Every cell is written safely
(kompis.core.cells).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompis.core import cells
from kompis.municipalities.models import Municipality
from kompis.participants.forms import MAX_AGE, MAX_HOUSEHOLD, MIN_AGE, MIN_HOUSEHOLD
from kompis.participants.importing import (
    CONTRACT_COLUMNS,
    CSV_TYPE,
    IMPORT_STATUSES,
    MAX_CAPACITY,
    MAX_ID,
    MAX_NAME,
    MAX_TEXT,
    PERSON_COLUMNS,
    REQUIRED_COLUMNS,
    XLSX_TYPE,
)
from kompis.participants.vocab import AVAILABILITY, INTERESTS, LANGUAGES, Gender, MeetingMode, ParticipantRole

TEMPLATE_COLUMNS: tuple[str, ...] = (*CONTRACT_COLUMNS, *PERSON_COLUMNS)


def _example_municipality(user: Any) -> str:
    """A municipality the user may import into (a coordinator's own region), else Uppsala or any."""
    from kompis.participants.import_services import allowed_municipalities

    allowed = allowed_municipalities(user, user.organisation)
    if allowed:
        return sorted(allowed)[0]
    for qs in (Municipality.objects.filter(code="0380"), Municipality.objects.all()):
        code = qs.order_by("code").values_list("code", flat=True).first()
        if code:
            return str(code)
    return "0380"


def example_row(user: Any) -> dict[str, Any]:
    """A generated example (no real person)."""
    today = timezone.localdate()
    return {
        "id": "EX-1",
        "role": ParticipantRole.NEWCOMER.value,
        "birth_year": today.year - 34,
        "gender": Gender.WOMAN.value,
        "municipality_code": _example_municipality(user),
        "postal_code": "75320",
        "languages": "ar;sv",
        "interests": "fika;cooking",
        "has_children": "true",
        "wants_family_match": "false",
        "meeting_mode": MeetingMode.EITHER.value,
        "same_gender_only": "false",
        "capacity": 1,
        "signed_up": today.isoformat(),
        "first_name": "Exempel",
        "last_name": "Exempelsson",
        "name_latin": "",
        "email": "exempel@example.org",
        "phone": "070 123 45 67",
        "availability": "weekday_evening;weekend",
        "household_size": 3,
        "about_me": _("Likes long walks and cooking."),
        "hopes": _("Practise Swedish over fika."),
        "status": "waiting",
    }


def _free_text() -> str:
    return ngettext(
        "Free text, at most %(max)s character.", "Free text, at most %(max)s characters.", MAX_TEXT
    ) % {"max": MAX_TEXT}


def column_notes() -> list[tuple[str, str, str]]:
    """(column, required or optional, what it holds and the allowed values)."""
    year = timezone.localdate().year
    required, optional = _("required"), _("optional")
    notes = {
        "id": ngettext(
            "Your own id for the person, unique in the organisation (at most %(max)s character).",
            "Your own id for the person, unique in the organisation (at most %(max)s characters).",
            MAX_ID,
        )
        % {"max": MAX_ID},
        "role": _("newcomer (new in Sweden) or established (established in Sweden)."),
        "birth_year": _(
            "Year of birth, four digits, %(first)s to %(last)s (participants are %(min)s or older)."
        )
        % {"first": year - MAX_AGE, "last": year - MIN_AGE, "min": MIN_AGE},
        "gender": ", ".join(Gender.values) + ".",
        "municipality_code": _(
            "The four-digit municipality code (SCB), for example 0380 for Uppsala. Coordinators can only "
            "import people in their own regions."
        ),
        "postal_code": _("Five digits, for example 75320 or 753 20."),
        "languages": _(
            "At least one, separated by semicolons. Codes: %(codes)s. ISO 639-2/639-3 codes (ara, prs, swe …) "
            "and English or Swedish names (Arabic, arabiska) are understood too."
        )
        % {"codes": ", ".join(LANGUAGES)},
        "interests": _("Separated by semicolons: %(codes)s. English and Swedish names are understood too.")
        % {"codes": ", ".join(INTERESTS)},
        "has_children": _("true or false (also yes/no, 1/0)."),
        "wants_family_match": _("true or false; true only when has_children is true."),
        "meeting_mode": ", ".join(MeetingMode.values) + ".",
        "same_gender_only": _("true or false; true needs a gender other than unspecified."),
        "capacity": _("Matches at the same time, 1 to %(max)s (newcomers always 1). Empty means 1.")
        % {"max": MAX_CAPACITY},
        "signed_up": _("The sign-up date, YYYY-MM-DD, not in the future."),
        "first_name": ngettext(
            "At most %(max)s character; without it the id is used as the name.",
            "At most %(max)s characters; without it the id is used as the name.",
            MAX_NAME,
        )
        % {"max": MAX_NAME},
        "last_name": ngettext("At most %(max)s character.", "At most %(max)s characters.", MAX_NAME)
        % {"max": MAX_NAME},
        "name_latin": _(
            "The name in Latin letters, as the person wants it written, when the name is written in another "
            "script (Arabic, Cyrillic …). Used in mails to the partner."
        ),
        "email": _("Unique in the organisation. Without it the person cannot be e-mailed."),
        "phone": _("Digits, spaces and dashes, for example 070 123 45 67 or +46 70 123 45 67."),
        "availability": _("Separated by semicolons: %(codes)s.") % {"codes": ", ".join(AVAILABILITY)},
        "household_size": _("People in the household, %(min)s to %(max)s.")
        % {"min": MIN_HOUSEHOLD, "max": MAX_HOUSEHOLD},
        "about_me": _free_text(),
        "hopes": _free_text(),
        "status": _("%(allowed)s; empty means waiting.") % {"allowed": ", ".join(IMPORT_STATUSES)},
    }
    return [(c, required if c in REQUIRED_COLUMNS else optional, str(notes[c])) for c in TEMPLATE_COLUMNS]


def template_file(fmt: str, *, user: Any) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the template as CSV or XLSX."""
    example = example_row(user)
    values = [example[c] for c in TEMPLATE_COLUMNS]
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(TEMPLATE_COLUMNS)
        writer.writerow(cells.csv_row(values))
        return ("\ufeff" + text.getvalue()).encode("utf-8"), "kompis-import-template.csv", CSV_TYPE
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "participants"
    bold = Font(bold=True)
    for j, column in enumerate(TEMPLATE_COLUMNS, 1):
        cells.put(sheet, 1, j, column).font = bold
        cells.put(sheet, 2, j, example[column])
        sheet.column_dimensions[sheet.cell(1, j).column_letter].width = max(12, len(column) + 2)
    sheet.freeze_panes = "A2"
    notes: Any = workbook.create_sheet("notes")
    for j, title in enumerate((_("Column"), _("Required"), _("What to write")), 1):
        cells.put(notes, 1, j, title).font = bold
    for i, (column, need, note) in enumerate(column_notes(), 2):
        cells.put(notes, i, 1, column)
        cells.put(notes, i, 2, need)
        cells.put(notes, i, 3, note).alignment = Alignment(wrap_text=True, vertical="top")
    cells.put(
        notes, len(TEMPLATE_COLUMNS) + 3, 1, _("Only the first sheet is imported; row 2 is an example.")
    )
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 12
    notes.column_dimensions["C"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), "kompis-import-template.xlsx", XLSX_TYPE
