"""Events no longer carry a free-text summary: what older summaries said that the history still needs is
moved into `data` as codes (the match a status change came from, a coded end reason, "after a match ended"),
and the rest, which could hold a file's or a person's name, is dropped with the column."""

import re

from django.db import migrations

MATCH_UID = re.compile(r"match ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
CODED_END_REASONS = {"withdrew", "re-match", "closed by staff"}


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for event in AuditEvent.objects.exclude(summary="").iterator(chunk_size=2000):
        data = dict(event.data or {})
        changed = False
        found = MATCH_UID.search(event.summary)
        if found and "match" not in data:
            data["match"] = found.group(1)
            changed = True
        if event.summary.startswith("match ended") and "after_match_end" not in data:
            data["after_match_end"] = True
            changed = True
        if event.action == "followup.match_ended" and event.summary in CODED_END_REASONS:
            data["reason"] = event.summary.replace(" ", "_")
            changed = True
        if changed:
            # append-only in the application; a migration writes the row directly
            AuditEvent.objects.filter(pk=event.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="auditevent", name="summary"),
    ]
