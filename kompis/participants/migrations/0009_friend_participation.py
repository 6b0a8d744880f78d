"""One person, many activities (issue 12): what described a participant's one membership in friend matching
moves from the person (`Participant`) to their `FriendParticipation`, row for row, in one INSERT … SELECT
(fast at 100,000 people, the same on SQLite and PostgreSQL). The participation's key is the person's id,
so proposals, matches, the engine's ids, audit references and links already mailed keep naming the same
person. `waiting_since` starts as the sign-up date, which is what the waiting pool was ordered by.
Birth year and gender become optional on the person (an event may not ask for them)."""

import django.db.models.deletion
import django.utils.timezone
import kompis.core.fields
from django.db import migrations, models


MOVED = (
    "role",
    "status",
    "capacity",
    "availability",
    "meeting_mode",
    "wants_family_match",
    "rematch_priority",
    "paused_until",
    "updated_at",
)


def copy_friend_matching(apps, schema_editor):
    qn = schema_editor.quote_name
    columns = ", ".join(qn(c) for c in MOVED)
    schema_editor.execute(
        f"INSERT INTO {qn('participants_friendparticipation')} "
        f"({qn('participant_id')}, {qn('organisation_id')}, {qn('waiting_since')}, {columns}) "
        f"SELECT {qn('id')}, {qn('organisation_id')}, {qn('signed_up_at')}, {columns} "
        f"FROM {qn('participants_participant')}"
    )


def copy_back(apps, schema_editor):
    qn = schema_editor.quote_name
    for column in MOVED:
        if column == "updated_at":
            continue
        schema_editor.execute(
            f"UPDATE {qn('participants_participant')} SET {qn(column)} = (SELECT f.{qn(column)} FROM "
            f"{qn('participants_friendparticipation')} f WHERE f.{qn('participant_id')} = "
            f"{qn('participants_participant')}.{qn('id')})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_logo_and_first_run_token"),
        ("participants", "0008_merged_participant"),
    ]

    operations = [
        migrations.CreateModel(
            name="FriendParticipation",
            fields=[
                (
                    "participant",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="friend_matching",
                        serialize=False,
                        to="participants.participant",
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("newcomer", "New in Sweden"), ("established", "Established in Sweden")],
                        max_length=16,
                        verbose_name="role",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending e-mail confirmation"),
                            ("waiting", "Waiting"),
                            ("matched", "Matched"),
                            ("paused", "Paused"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "capacity",
                    models.PositiveSmallIntegerField(default=1, verbose_name="matches at the same time"),
                ),
                (
                    "availability",
                    kompis.core.fields.CodeListField(
                        blank=True, default=list, max_length=400, verbose_name="when I can meet"
                    ),
                ),
                (
                    "meeting_mode",
                    models.CharField(
                        choices=[
                            ("physical", "Meet in person"),
                            ("digital", "Meet online"),
                            ("either", "Either is fine"),
                        ],
                        max_length=16,
                        verbose_name="how to meet",
                    ),
                ),
                (
                    "wants_family_match",
                    models.BooleanField(default=False, verbose_name="we want to meet as a family"),
                ),
                (
                    "waiting_since",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="waiting since"),
                ),
                ("rematch_priority", models.BooleanField(default=False)),
                ("paused_until", models.DateField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "participation in friend matching",
            },
        ),
        migrations.AddField(
            model_name="friendparticipation",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisations.organisation"
            ),
        ),
        migrations.RunPython(copy_friend_matching, copy_back, elidable=False),
        migrations.RemoveIndex(
            model_name="participant",
            name="participant_organis_523355_idx",
        ),
        migrations.RemoveIndex(
            model_name="participant",
            name="participant_region__514e28_idx",
        ),
        migrations.RemoveField(
            model_name="participant",
            name="availability",
        ),
        migrations.RemoveField(
            model_name="participant",
            name="capacity",
        ),
        migrations.RemoveField(
            model_name="participant",
            name="meeting_mode",
        ),
        migrations.RemoveField(
            model_name="participant",
            name="paused_until",
        ),
        migrations.RemoveField(
            model_name="participant",
            name="rematch_priority",
        ),
        migrations.RemoveField(
            model_name="participant",
            name="role",
        ),
        migrations.RemoveField(
            model_name="participant",
            name="status",
        ),
        migrations.RemoveField(
            model_name="participant",
            name="wants_family_match",
        ),
        migrations.AlterField(
            model_name="participant",
            name="birth_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="year of birth"),
        ),
        migrations.AlterField(
            model_name="participant",
            name="gender",
            field=models.CharField(
                blank=True,
                choices=[
                    ("woman", "Woman"),
                    ("man", "Man"),
                    ("nonbinary", "Non-binary"),
                    ("unspecified", "Prefer not to say"),
                ],
                max_length=16,
                verbose_name="gender",
            ),
        ),
        migrations.AddIndex(
            model_name="friendparticipation",
            index=models.Index(
                fields=["organisation", "status", "role", "waiting_since"],
                name="participant_organis_a5bf54_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="friendparticipation",
            index=models.Index(fields=["status"], name="participant_status_044fa6_idx"),
        ),
    ]
