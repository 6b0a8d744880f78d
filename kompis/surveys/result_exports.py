"""A wave's responses as files: CSV, XLSX (with a codebook sheet) and an SPSS-friendly zip (numeric codes
and a value-labels syntax file). One row per response, one column per question (a multiple-choice question
has one 0/1 column per option: `code_option`). Every cell goes through `kompis.core.cells`, so nothing a
respondent typed becomes a formula. Anonymous responses carry no id beyond their random one."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from kompis.core.cells import csv_row, put
from kompis.surveys.models import QuestionKind
from kompis.surveys.results import QuestionInfo, WaveData
from kompis.surveystats.tables import code_of, is_missing

FORMATS = ("csv", "xlsx", "spss")


def columns(infos: list[QuestionInfo]) -> list[tuple[str, QuestionInfo, str | None]]:
    """(column name, question, option) for every column after the response number."""
    out: list[tuple[str, QuestionInfo, str | None]] = []
    for info in infos:
        if info.kind == QuestionKind.MULTIPLE:
            out.extend((f"{info.code}_{c}", info, c) for c in info.codes)
        else:
            out.append((info.code, info, None))
    return out


def _value(answer: Any, info: QuestionInfo, option: str | None, numeric: bool) -> Any:
    if option is not None:  # multiple choice: 1 chosen, 0 not (empty when the question was not answered)
        if is_missing(answer):
            return None
        chosen = answer if isinstance(answer, list) else [answer]
        return 1 if option in {code_of(x) for x in chosen} else 0
    if is_missing(answer):
        return None
    if isinstance(answer, list):
        return ";".join(code_of(x) for x in answer)
    if numeric and info.codes:  # the category's number in the codebook (1, 2, …)
        code = code_of(answer)
        return info.codes.index(code) + 1 if code in info.codes else None
    if info.kind in (QuestionKind.NUMBER, QuestionKind.LIKERT5, QuestionKind.LIKERT7):
        try:
            number = float(answer)
        except (TypeError, ValueError):
            return code_of(answer)
        return int(number) if number.is_integer() else number
    return code_of(answer)


def rows(infos: list[QuestionInfo], data: WaveData, *, numeric: bool = False) -> Iterator[list[Any]]:
    cols = columns(infos)
    yield ["response", *(name for name, _i, _o in cols)]
    for n, answers in enumerate(data.answers, start=1):
        yield [n, *(_value(answers.get(i.code), i, o, numeric) for _name, i, o in cols)]


def codebook(infos: list[QuestionInfo]) -> Iterator[list[Any]]:
    """Column, question, kind, value, label: one line per category (numbered as in the SPSS file)."""
    yield [_("column"), _("question"), _("kind"), _("code"), _("number"), _("label")]
    for name, info, option in columns(infos):
        if option is not None:
            yield [name, info.text, info.kind, option, "0/1", info.labels.get(option, option)]
            continue
        if not info.codes:
            yield [name, info.text, info.kind, "", "", ""]
        for number, code in enumerate(info.codes, start=1):
            yield [name, info.text, info.kind, code, number, info.labels.get(code, code)]


def as_csv(infos: list[QuestionInfo], data: WaveData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(infos, data):
        writer.writerow(csv_row(row))
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(infos: list[QuestionInfo], data: WaveData) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Responses")[:31]
    for r, row in enumerate(rows(infos, data), start=1):
        for c, value in enumerate(row, start=1):
            put(sheet, r, c, value)
    book_sheet = book.create_sheet(_("Codebook")[:31])
    for r, row in enumerate(codebook(infos), start=1):
        for c, value in enumerate(row, start=1):
            put(book_sheet, r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _spss_text(text: str) -> str:
    return '"' + " ".join(text.split()).replace('"', "''") + '"'


def value_labels(infos: list[QuestionInfo]) -> str:
    """SPSS syntax: VARIABLE LABELS and VALUE LABELS for the numeric data file."""
    cols = columns(infos)
    lines = ["VARIABLE LABELS"]
    lines += [
        f"  {name} {_spss_text(info.text + (' – ' + info.labels.get(o, o) if o else ''))}"
        for name, info, o in cols
    ]
    lines[-1] += "."
    lines.append("VALUE LABELS")
    for name, info, option in cols:
        if option is not None:
            lines.append(f"  /{name} 0 {_spss_text(_('not chosen'))} 1 {_spss_text(_('chosen'))}")
        elif info.codes:
            pairs = " ".join(f"{n} {_spss_text(info.labels.get(c, c))}" for n, c in enumerate(info.codes, 1))
            lines.append(f"  /{name} {pairs}")
    lines[-1] += "."
    return "\n".join(lines) + "\n"


def as_spss(infos: list[QuestionInfo], data: WaveData) -> bytes:
    """A zip: `data.csv` with numeric codes, `labels.sps` with the value labels."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(infos, data, numeric=True):
        writer.writerow(csv_row(row))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.csv", buffer.getvalue())
        archive.writestr("labels.sps", value_labels(infos))
    return out.getvalue()
