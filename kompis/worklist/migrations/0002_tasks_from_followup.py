"""The follow-up's tasks move to the work list, keeping every row (same uid, dates, outcome, note, region,
resolver) and their history.

A task's subject was its match (`matching.match` + the match's uid); a task without a match is about its
participant (a bouncing address) or, with neither, about the organisation's mail server. Audit events about
"followup.task" objects become events about "worklist.task" objects (same id: the task's uid), and their
codes "followup.task_created"/"followup.task_resolved" become "worklist.task_created"/"…_resolved", so
the task's history shows them with the work list's sentences. Reversible.
"""

from django.db import migrations

MAIL_SERVER = "outbox.mail_server"
RENAMED = {
    "followup.task_created": "worklist.task_created",
    "followup.task_resolved": "worklist.task_resolved",
}


def forwards(apps, schema_editor):
    Old = apps.get_model("followup", "Task")
    New = apps.get_model("worklist", "Task")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    rows = []
    for old in Old.objects.select_related("match", "participant").order_by("id").iterator(chunk_size=1000):
        if old.match_id is not None:
            subject_type, subject_id = "matching.match", str(old.match.uid)
        elif old.participant_id is not None:
            subject_type, subject_id = "participants.participant", str(old.participant.uid)
        else:
            subject_type, subject_id = MAIL_SERVER, ""
        rows.append(
            New(
                uid=old.uid,
                organisation_id=old.organisation_id,
                subject_type=subject_type,
                subject_id=subject_id,
                participant_id=old.participant_id,
                kind=old.kind,
                due_on=old.due_on,
                region_id=old.region_id,
                created_at=old.created_at,
                resolved_at=old.resolved_at,
                resolved_by_id=old.resolved_by_id,
                outcome=old.outcome,
                note=old.note,
            )
        )
    New.objects.bulk_create(rows, batch_size=1000)
    for old_code, new_code in RENAMED.items():
        AuditEvent.objects.filter(object_type="followup.task", action=old_code).update(action=new_code)
    AuditEvent.objects.filter(object_type="followup.task").update(object_type="worklist.task")


def backwards(apps, schema_editor):
    """Back to the follow-up's table (still there until followup 0003 is undone first)."""
    Old = apps.get_model("followup", "Task")
    New = apps.get_model("worklist", "Task")
    Match = apps.get_model("matching", "Match")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    matches = dict(Match.objects.values_list("uid", "id"))
    Old.objects.all().delete()
    Old.objects.bulk_create(
        [
            Old(
                uid=new.uid,
                organisation_id=new.organisation_id,
                region_id=new.region_id,
                match_id=matches.get(_uuid(new.subject_id)) if new.subject_type == "matching.match" else None,
                participant_id=new.participant_id,
                kind=new.kind,
                due_on=new.due_on,
                created_at=new.created_at,
                resolved_at=new.resolved_at,
                resolved_by_id=new.resolved_by_id,
                outcome=new.outcome,
                note=new.note,
            )
            for new in New.objects.order_by("id")
        ],
        batch_size=1000,
    )
    New.objects.all().delete()
    AuditEvent.objects.filter(object_type="worklist.task").update(object_type="followup.task")
    for old_code, new_code in RENAMED.items():
        AuditEvent.objects.filter(object_type="followup.task", action=new_code).update(action=old_code)


def _uuid(value):
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class Migration(migrations.Migration):
    dependencies = [
        ("worklist", "0001_initial"),
        ("followup", "0002_alter_task_kind_alter_task_participant"),
        ("matching", "0003_run_progress_manual_match"),
        ("audit", "0003_summary_into_data"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
