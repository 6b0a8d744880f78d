"""Staff import (upload → preview → confirm, rejected rows as a file) and export of participants.

The uploaded file is kept between preview and confirm under MEDIA_ROOT/imports/<random key>/ together with
the uploading user's and organisation's ids; only that user, in that organisation, can use the key, for
IMPORT_KEEP_HOURS. The confirm step reads and validates the stored file again (it never trusts the preview).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from kompis.accounts.access import people_required
from kompis.accounts.models import User
from kompis.accounts.requests import StaffRequest, staff_user
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.municipalities.models import Municipality
from kompis.organisations.models import Organisation
from kompis.participants import exporting, import_files, importing
from kompis.participants.import_services import ImportRefused, import_participants, validate_for
from kompis.participants.selectors import ParticipantFilter, filtered_participants

IMPORT_KEEP_HOURS = 24
SAMPLE_ROWS = 10
MAX_ERRORS_SHOWN = 500
SESSION_LAST = "participants_import_rejected"
_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _limits_text() -> str:
    return ngettext(
        "At most %(mb)s MB and %(rows)s row.", "At most %(mb)s MB and %(rows)s rows.", importing.MAX_ROWS
    ) % {
        "mb": importing.max_mb(),
        "rows": f"{importing.MAX_ROWS:,}",
    }


def _imported(created: int) -> str:
    return ngettext("Imported %(count)s participant.", "Imported %(count)s participants.", created) % {
        "count": created
    }


def _too_large() -> str:
    return _("The file is larger than %(mb)s MB.") % {"mb": importing.max_mb()}


class OptionsForm(forms.Form):
    drop_unknown_interests = forms.BooleanField(
        label=gettext_lazy(
            "Leave out interests Kompis does not know (a warning per row) instead of rejecting the row"
        ),
        required=False,
    )
    drop_unknown_languages = forms.BooleanField(
        label=gettext_lazy(
            "Leave out languages Kompis does not know (a warning per row) instead of rejecting the row; a row "
            "needs at least one known language"
        ),
        required=False,
    )

    def options(self) -> importing.ImportOptions:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return importing.ImportOptions(
            drop_unknown_interests=bool(data.get("drop_unknown_interests")),
            drop_unknown_languages=bool(data.get("drop_unknown_languages")),
        )


class UploadForm(OptionsForm):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )
    field_order = ["file", "drop_unknown_interests", "drop_unknown_languages"]

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].help_text = _limits_text()
        self.fields["file"].widget.attrs["data-max-bytes"] = str(importing.max_bytes())

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > importing.max_bytes():
            raise forms.ValidationError(_too_large())
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.too_large:  # the upload handler stopped reading at the limit
            self.errors.pop("file", None)
            self.add_error("file", _too_large())
        return data


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading an uploaded file as soon as it passes the import limit (nothing beyond it is kept in
    memory or on disk); the view then says the file is too large."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = importing.max_bytes()
        self.received = 0
        self.exceeded = False

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("content_length") or (len(args) > 2 and args[2]):
            length = kwargs.get("content_length") or args[2]
            if int(length) > self.limit + 64 * 1024:  # the body can only hold a file too large
                self.exceeded = True

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.exceeded:
            raise SkipFile()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


# --- the stored upload -----------------------------------------------------------------------------


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _sweep_old() -> None:
    root = _root()
    if not root.is_dir():
        return
    cutoff = time.time() - IMPORT_KEEP_HOURS * 3600
    for entry in root.iterdir():
        try:
            if entry.is_dir() and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def _store(request: StaffRequest, data: bytes, filename: str, options: importing.ImportOptions) -> str:
    _sweep_old()
    key = secrets.token_urlsafe(24)
    folder = _root() / key
    folder.mkdir(parents=True, mode=0o700)
    (folder / "upload").write_bytes(data)
    meta = {
        "user": request.user.pk,
        "organisation": request.user.organisation_id,
        "filename": filename,
        "uploaded_at": timezone.now().isoformat(),
        "imported": False,
        "options": vars(options),
    }
    (folder / "meta.json").write_text(json.dumps(meta))
    return key


class _Stored:
    def __init__(self, key: str, folder: Path, meta: dict[str, Any]) -> None:
        self.key, self.folder, self.meta = key, folder, meta

    @property
    def filename(self) -> str:
        return str(self.meta.get("filename") or "")

    @property
    def options(self) -> importing.ImportOptions:
        chosen = self.meta.get("options") or {}
        return importing.ImportOptions(
            drop_unknown_interests=bool(chosen.get("drop_unknown_interests")),
            drop_unknown_languages=bool(chosen.get("drop_unknown_languages")),
        )

    def set_options(self, options: importing.ImportOptions) -> None:
        self.meta["options"] = vars(options)
        (self.folder / "meta.json").write_text(json.dumps(self.meta))

    def data(self) -> bytes:
        return (self.folder / "upload").read_bytes()

    def mark_imported(self, validation: importing.Validation) -> None:
        """Remember the import; keep the rows rejected at import time for the download."""
        if validation.errors:
            content, name, content_type = importing.rejected_rows_file(validation)
            (self.folder / "rejected").write_bytes(content)
            self.meta.update(
                rejected_name=name, rejected_type=content_type, rejected_count=validation.rejected_count
            )
        self.meta["imported"] = True
        (self.folder / "meta.json").write_text(json.dumps(self.meta))

    def rejected(self) -> tuple[bytes, str, str] | None:
        if not self.meta.get("imported") or "rejected_name" not in self.meta:
            return None
        try:
            content = (self.folder / "rejected").read_bytes()
        except OSError:
            return None
        return content, str(self.meta["rejected_name"]), str(self.meta["rejected_type"])

    @property
    def rejected_count(self) -> int:
        return int(self.meta.get("rejected_count") or 0)

    def delete(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _load(request: StaffRequest, key: str) -> _Stored | None:
    """The stored upload, if the key is well-formed, fresh, and belongs to this user and organisation."""
    if not key or not _KEY_RE.match(key):
        return None
    folder = _root() / key
    try:
        meta = json.loads((folder / "meta.json").read_text())
        if time.time() - (folder / "upload").stat().st_mtime > IMPORT_KEEP_HOURS * 3600:
            return None
    except (OSError, ValueError):
        return None
    user = request.user
    if meta.get("user") != user.pk or meta.get("organisation") != user.organisation_id:
        return None
    return _Stored(key, folder, meta)


def _organisation_of(user: User) -> Organisation:
    """The staff user's organisation (people_required lets in only staff of an organisation)."""
    if user.organisation is None:
        raise PermissionDenied
    return user.organisation


# --- views -----------------------------------------------------------------------------------------


def _start_context(request: StaffRequest, form: UploadForm, **extra: Any) -> dict[str, Any]:
    last = _load(request, request.session.get(SESSION_LAST, ""))
    return {
        "nav": "import",
        "form": form,
        "required_columns": importing.REQUIRED_COLUMNS,
        "optional_columns": ("capacity", *importing.PERSON_COLUMNS),
        "last_rejected": last,
        "max_rows": importing.MAX_ROWS,
        "max_mb": importing.max_mb(),
        "import_statuses": importing.IMPORT_STATUSES,
        **extra,
    }


@people_required
def import_start(request: StaffRequest) -> HttpResponse:
    """The upload form (posts to the preview)."""
    return render(request, "participants/import.html", _start_context(request, UploadForm()))


def _preview(
    request: StaffRequest, stored: _Stored, validation: importing.Validation, status: int = 200
) -> HttpResponse:
    errors = validation.errors
    municipalities = dict(Municipality.objects.values_list("code", "name"))
    sample = [
        {
            **row.values,
            "line": row.line,
            "municipality": municipalities.get(row.values["municipality_id"], ""),
        }
        for row in validation.valid[:SAMPLE_ROWS]
    ]
    return render(
        request,
        "participants/import_preview.html",
        {
            "nav": "import",
            "key": stored.key,
            "filename": stored.filename,
            "validation": validation,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "errors_hidden": max(0, len(errors) - MAX_ERRORS_SHOWN),
            "sample": sample,
            "row_warnings": validation.row_warnings[:MAX_ERRORS_SHOWN],
            "warnings_hidden": max(0, len(validation.row_warnings) - MAX_ERRORS_SHOWN),
            "options_form": OptionsForm(initial=vars(validation.options)),
        },
        status=status,
    )


@csrf_exempt  # the CSRF check runs in _preview_view, after the upload handler is in place
def import_preview(request: HttpRequest) -> HttpResponse:
    """Store the upload and show what would be imported, and every problem, without writing anything.

    Posted with a `key` instead of a file, the stored upload is checked again with the options chosen in
    the preview (drop unknown interests or languages)."""
    handler = LimitedUploadHandler(request)
    request.upload_handlers.insert(0, handler)  # type: ignore[union-attr]  # a list until the body is read
    return _preview_view(request, handler)


@csrf_protect
@people_required
@require_POST
def _preview_view(request: StaffRequest, handler: LimitedUploadHandler) -> HttpResponse:
    organisation = _organisation_of(request.user)
    if "key" in request.POST and "file" not in request.FILES and not handler.exceeded:
        stored = _load(request, request.POST.get("key", ""))
        if stored is None:
            return _not_available(request)
        if stored.meta.get("imported"):
            return _restart(request, _("This file has already been imported."))
        options = OptionsForm(request.POST).options()
        stored.set_options(options)
        try:
            table = importing.read_table(stored.data(), stored.filename)
        except importing.ImportFileError as exc:
            return _restart(request, exc.message)
        return _preview(
            request,
            stored,
            validate_for(table, actor=request.user, organisation=organisation, options=options),
        )
    form = UploadForm(request.POST, request.FILES, too_large=handler.exceeded)
    if not form.is_valid():
        return render(request, "participants/import.html", _start_context(request, form))
    upload = form.cleaned_data["file"]
    data = upload.read(importing.max_bytes() + 1)
    filename = Path(upload.name or "").name
    try:
        table = importing.read_table(data, filename)
    except importing.ImportFileError as exc:
        form.add_error("file", exc.message)
        return render(request, "participants/import.html", _start_context(request, form))
    options = form.options()
    stored = _load(request, _store(request, data, filename, options))
    assert stored is not None
    validation = validate_for(table, actor=request.user, organisation=organisation, options=options)
    return _preview(request, stored, validation)


def _restart(request: StaffRequest, message: str) -> HttpResponse:
    """The upload form again, with the reason (an unknown, expired or someone else's upload is "not available")."""
    messages.error(request, message)
    return render(request, "participants/import.html", _start_context(request, UploadForm()))


def _not_available(request: StaffRequest) -> HttpResponse:
    return _restart(request, _("This upload is no longer available. Please upload the file again."))


@people_required
@require_POST
def import_confirm(request: StaffRequest) -> HttpResponse:
    """Import the stored file: all rows (only if every row is valid) or only the valid rows."""
    stored = _load(request, request.POST.get("key", ""))
    if stored is None:
        return _not_available(request)
    if stored.meta.get("imported"):
        return _restart(request, _("This file has already been imported."))
    valid_only = request.POST.get("mode") == "valid"
    organisation = _organisation_of(request.user)
    try:
        table = importing.read_table(stored.data(), stored.filename)
        result = import_participants(
            actor=request.user,
            organisation=organisation,
            rows=table,
            valid_only=valid_only,
            options=stored.options,
        )
    except importing.ImportFileError as exc:
        return _restart(request, exc.message)
    except ImportRefused as exc:
        if exc.validation is None:
            return _restart(request, exc.message)
        messages.error(
            request, _("Nothing was imported: some rows are not valid (any more). Check the problems below.")
        )
        return _preview(request, stored, exc.validation, status=200)
    stored.mark_imported(result.validation)
    if result.rejected:
        request.session[SESSION_LAST] = stored.key
        messages.success(
            request,
            _imported(result.created)
            + " "
            + ngettext("%(count)s row was rejected.", "%(count)s rows were rejected.", result.rejected)
            % {"count": result.rejected},
        )
        return redirect("participants:import")
    stored.delete()
    request.session.pop(SESSION_LAST, None)
    messages.success(request, _imported(result.created))
    return redirect("participants:list")


@people_required
@require_POST
def import_rejected(request: StaffRequest) -> HttpResponse:
    """The rejected rows of a stored upload as a file: the original columns plus `errors`."""
    stored = _load(request, request.POST.get("key", ""))
    if stored is None:
        return _not_available(request)
    saved = stored.rejected()
    if saved is not None:  # after an import: the rows rejected then (the imported ones exist now)
        content, name, content_type = saved
        return _attachment(content, name, content_type)
    try:
        table = importing.read_table(stored.data(), stored.filename)
    except importing.ImportFileError as exc:
        return _restart(request, exc.message)
    organisation = _organisation_of(request.user)
    validation = validate_for(table, actor=request.user, organisation=organisation, options=stored.options)
    return _attachment(*importing.rejected_rows_file(validation))


@people_required
@require_GET
def import_template(request: StaffRequest, fmt: str) -> HttpResponse:
    """An empty import file to fill in: the header, one generated example row and (XLSX) a sheet explaining
    every column and its allowed values (CSV: the same notes as a second file is not possible, so the
    notes are on the import page)."""
    if fmt not in exporting.FILETYPES:
        raise Http404("Unknown template format")
    content, name, content_type = import_files.template_file(fmt, user=request.user)
    return _attachment(content, name, content_type)


def _attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_ascii(name)}"'
    return response


def _ascii(name: str) -> str:
    return "".join(ch if ch.isascii() and ch not in '"\\' else "_" for ch in name) or "export"


@people_required
def export(request: StaffRequest, fmt: str) -> HttpResponse:
    """The participant list as CSV or XLSX (full format), with the list page's filters."""
    if fmt not in exporting.FILETYPES:
        raise Http404("Unknown export format")
    filters = ParticipantFilter.from_query(request.GET)
    qs = filtered_participants(user=request.user, filters=filters)
    organisation = _organisation_of(request.user)
    count = qs.count()
    record(
        actor=staff_user(request),
        action=EventType.PARTICIPANTS_EXPORTED,
        obj=organisation,
        organisation=organisation,
        data={
            "count": count,
            "format": fmt,
            "columns": "full",
            "filters": {k: v for k, v in vars(filters).items() if v not in ("", None)},
        },
    )
    name = f"participants-{organisation.slug}-{timezone.localdate().isoformat()}.{fmt}"
    participants = exporting.export_queryset(qs)
    if fmt == "csv":
        # Written chunk by chunk from iterator(); a plain (not streaming) response so that middleware and
        # tests can read .content — 100,000 participants are about 15 MB.
        response = HttpResponse(content_type=exporting.CONTENT_TYPES["csv"])
        for chunk in exporting.csv_chunks(participants, "full"):
            response.write(chunk)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (closed by FileResponse)
    exporting.write_xlsx(spool, participants, "full")
    spool.seek(0)
    return FileResponse(  # type: ignore[return-value]  # a streaming response, as good as HttpResponse here
        spool, as_attachment=True, filename=name, content_type=exporting.CONTENT_TYPES["xlsx"]
    )
