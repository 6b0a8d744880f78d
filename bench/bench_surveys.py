"""Survey invitations at national scale (issue #14): one wave to 50,000 people.

On PostgreSQL, in a database of its own (created and dropped here): 50,000 people (a few without e-mail, in
six languages) enrolled in one cohort, an open survey in three languages, a baseline wave with phone
follow-up. Measured: `send_wave` (50,000 invitations with hashed tokens written, the mails queued in the
outbox, call tasks for those without e-mail, one audit event), then the same send again (nothing doubles),
then one reminder sweep eight days later. Target: the send <= 60 s.

    .venv/bin/python bench/bench_surveys.py [--people 50000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "kompis_bench_s3"
SEND_TARGET_S = 60.0
BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    import psycopg

    admin = "host=127.0.0.1 user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB}")
        conn.execute(f"CREATE DATABASE {DB}")
    tmp = Path(tempfile.mkdtemp(prefix="kompis-bench-surveys-"))
    os.environ.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
            "KOMPIS_VAR_DIR": str(tmp),
            "KOMPIS_ENV": os.environ.get("KOMPIS_ENV", "development"),
            "DJANGO_SETTINGS_MODULE": "kompis.settings",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
    )
    try:
        run(args.people)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB}")


def run(n: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t:.1f} s")

    from kompis.accounts.models import Role, User
    from kompis.organisations.models import Organisation, Region
    from kompis.outbox.models import OutboxMessage
    from kompis.participants.models import Participant
    from kompis.programmes.models import Cohort, Enrolment, Programme
    from kompis.surveys import sweeps, waves
    from kompis.surveys.models import Invitation, Survey, SurveyStatus, WaveKind
    from kompis.worklist.models import Task

    t = time.perf_counter()
    org = Organisation.objects.create(slug="bench", name="Bench")
    region = Region.objects.create(organisation=org, name="Uppsala")
    staff = User.objects.create_user(username="admin@bench", password="x", organisation=org, role=Role.ADMIN)
    languages = ["sv", "en", "ar", "fa", "so", "uk"]
    people = [
        Participant(
            organisation=org,
            region=region,
            first_name=f"Person{i}",
            last_name="Bench",
            email="" if i % 500 == 0 else f"p{i}@bench.example",
            municipality_id="0380",
            languages=[languages[i % 6], "en"],
            preferred_language=languages[i % 6],
        )
        for i in range(n)
    ]
    Participant.objects.bulk_create(people, batch_size=BATCH)
    today = timezone.localdate()
    programme = Programme.objects.create(organisation=org, name="Mentors", region=region)
    cohort = Cohort.objects.create(
        programme=programme,
        name="Spring",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=90),
    )
    ids = Participant.objects.filter(organisation=org).values_list("id", flat=True)
    Enrolment.objects.bulk_create(
        [Enrolment(cohort=cohort, participant_id=pk, role="mentee", status="active") for pk in ids],
        batch_size=BATCH,
    )
    survey = Survey.objects.create(
        organisation=org,
        name="Baseline",
        texts={code: {"title": f"Survey ({code})"} for code in ("sv", "en", "ar")},
        languages=["sv", "en", "ar"],
        status=SurveyStatus.OPEN,
    )
    wave = waves.create_wave(
        actor=staff,
        survey=survey,
        kind=WaveKind.BASELINE,
        name="Start",
        cohort=cohort,
        closes_at=timezone.now() + timedelta(days=30),
        phone_follow_up=True,
    )
    print(f"data: {n:,} people enrolled ({time.perf_counter() - t:.1f} s to build)")

    t = time.perf_counter()
    invited = waves.send_wave(actor=staff, wave=wave)
    send_s = time.perf_counter() - t
    mails = OutboxMessage.objects.filter(template=waves.INVITATION_TEMPLATE).count()
    calls = Task.objects.filter(subject_id=str(wave.uid)).count()
    verdict = "OK" if send_s <= SEND_TARGET_S else "OVER TARGET"
    print(
        f"send_wave: {invited:,} invitations written, {mails:,} mails queued, {calls:,} call tasks in "
        f"{send_s:.1f} s (target <= {SEND_TARGET_S:.0f} s: {verdict})"
    )

    t = time.perf_counter()
    again = waves.send_wave(actor=staff, wave=wave)
    print(f"send again: {again} more invitations ({time.perf_counter() - t:.1f} s)")
    assert again == 0 and Invitation.objects.filter(wave=wave).count() == invited

    t = time.perf_counter()
    reminded = 0
    later = timezone.now() + timedelta(days=8)
    while True:
        done = sweeps.remind_wave(wave, now=later)
        reminded += done
        if not done:
            break
    print(f"reminders: {reminded:,} queued in {time.perf_counter() - t:.1f} s ({sweeps.BATCH:,} per sweep)")

    results_s = time_results(wave)
    if send_s > SEND_TARGET_S or results_s > RESULTS_TARGET_S:
        sys.exit(1)


RESULTS_TARGET_S = 1.0
RESPONSES = 20_000


def time_results(wave: Any) -> float:
    """The results of a wave with 20,000 identified responses (the issue's target: 1 s), median of 5."""
    import statistics

    from django.utils import timezone

    from kompis.surveys.models import Invitation, Question, Response
    from kompis.surveys.results import wave_results

    for n, code in enumerate(("a", "b", "c")):
        Question.objects.create(
            survey=wave.survey,
            code=code,
            kind="yes_no",
            position=n,
            texts={"sv": {"text": code}, "en": {"text": code}},
        )
    invitations = list(Invitation.objects.filter(wave=wave).select_related("participant")[:RESPONSES])
    now = timezone.now()
    Response.objects.bulk_create(
        (
            Response(
                wave=wave,
                invitation=inv,
                participant=inv.participant,
                answers={q: "yes" if (i * 7 + n) % 2 else "no" for n, q in enumerate(("a", "b", "c"))},
                submitted_at=now,
            )
            for i, inv in enumerate(invitations)
        ),
        batch_size=2000,
    )
    times = []
    for _ in range(5):
        t = time.perf_counter()
        wave_results(wave, with_texts=True)
        times.append(time.perf_counter() - t)
    median = statistics.median(times)
    verdict = "OK" if median <= RESULTS_TARGET_S else "OVER TARGET"
    print(
        f"results: {len(invitations):,} responses, median {median:.2f} s of 5 "
        f"(target <= {RESULTS_TARGET_S:.0f} s: {verdict})"
    )
    return median


if __name__ == "__main__":
    main()
