"""Follow-up sweep and delivery at scale (issue: introductions and the 14-day follow-up).

100,000 introduced matches, of which 10,000 are due for "did you meet?": one sweep (`run_followups`),
then two `kompis deliver` workers send the 20,000 questions to a local SMTP server (aiosmtpd).
Target: sweep + sending <= 60 s on 2 cores. Baseline in the same run: the same number of bare
messages sent by smtplib over one connection to the same server (the floor set by the SMTP server).

    .venv/bin/python bench/bench_followup.py [--matches 100000] [--due 10000] [--database postgres|sqlite]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--matches", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kompis-bench-"))
    if args.database == "postgres":
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS kompis_bench_followup")
            conn.execute("CREATE DATABASE kompis_bench_followup")
        url = "postgres://postgres@127.0.0.1:5432/kompis_bench_followup"
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "KOMPIS_VAR_DIR": str(tmp),
            "DJANGO_SETTINGS_MODULE": "kompis.settings",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
    )

    from aiosmtpd.controller import Controller

    class Count:
        def __init__(self) -> None:
            self.n = 0
            self.lock = threading.Lock()

        async def handle_DATA(self, server, session, envelope):
            with self.lock:
                self.n += 1
            return "250 OK"

    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Count()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    os.environ.update(
        {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        }
    )

    import django

    django.setup()
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    build(args.matches, args.due)
    print(
        f"data: {args.matches:,} introduced matches, {args.due:,} due ({time.perf_counter() - t:.1f} s to build)"
    )

    # Baseline: bare smtplib, one connection, the same number of messages.
    import smtplib

    expected = 2 * args.due
    t = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as conn:
        for i in range(expected):
            conn.sendmail("a@example.org", [f"b{i}@example.org"], b"Subject: x\r\n\r\nhello\r\n")
    baseline = time.perf_counter() - t
    handler.n = 0

    from django.utils import timezone

    from kompis.followup.services import run_followups

    t0 = time.perf_counter()
    result = run_followups(now=timezone.now())
    sweep = time.perf_counter() - t0
    print(f"sweep: {result} in {sweep:.1f} s")
    env = {**os.environ}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "kompis.cli", "deliver", "--loop", "--batch", "200", "--interval", "0.2"],
            env=env,
            cwd=ROOT,
        )
        for _ in range(args.workers)
    ]
    t1 = time.perf_counter()
    try:
        while handler.n < expected and time.perf_counter() - t1 < 600:
            time.sleep(0.2)
    finally:
        for w in workers:
            w.terminate()
            w.wait()
    send = time.perf_counter() - t1
    smtp.stop()
    total = sweep + send
    print(
        f"sent: {handler.n:,} of {expected:,} mails in {send:.1f} s ({handler.n / send:,.0f}/s) with {args.workers} workers"
    )
    print(
        f"baseline (bare smtplib, 1 connection): {expected:,} in {baseline:.1f} s ({expected / baseline:,.0f}/s); "
        f"ratio kompis/baseline = {send / baseline:.1f}x"
    )
    verdict = "OK" if total <= 60 and handler.n == expected else "OVER TARGET"
    print(f"follow-up sweep + sending: {total:.1f} s (target <= 60 s) {verdict}")


def build(n_matches: int, n_due: int) -> None:
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from kompis.matching.models import Match
    from kompis.organisations.models import Organisation, Region
    from kompis.participants.models import FriendParticipation, Participant

    now = timezone.now()
    with transaction.atomic():
        org = Organisation.objects.create(slug="bench", name="Bench förening")
        region = Region.objects.create(organisation=org, name="Uppsala")
        people = []
        for i in range(2 * n_matches):
            people.append(
                Participant(
                    organisation=org,
                    region=region,
                    first_name=f"P{i}",
                    last_name="Bench",
                    email=f"p{i}@example.org",
                    birth_year=1980 + i % 30,
                    gender="woman",
                    municipality_id="0380",
                    languages=["sv", "ar"],
                    preferred_language=["sv", "ar", "en", "fa", "so", "uk"][i % 6],
                )
            )
        Participant.objects.bulk_create(people, batch_size=5000)
        FriendParticipation.objects.bulk_create(
            [
                FriendParticipation(
                    participant_id=person.pk,
                    organisation=org,
                    role="newcomer" if i % 2 == 0 else "established",
                    meeting_mode="either",
                    status="matched",
                    waiting_since=person.signed_up_at,
                )
                for i, person in enumerate(people)
            ],
            batch_size=5000,
        )
        matches = []
        for k in range(n_matches):
            introduced = now - timedelta(days=15 if k < n_due else 3)
            matches.append(
                Match(
                    organisation=org,
                    newcomer=people[2 * k],
                    established=people[2 * k + 1],
                    mode="digital",
                    status="introduced",
                    created_at=introduced,
                    introduced_at=introduced,
                )
            )
        Match.objects.bulk_create(matches, batch_size=5000)


if __name__ == "__main__":
    main()
