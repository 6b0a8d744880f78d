"""Reports at scale (issue: impact statistics and funder reports).

100,000 participants, 60,000 matches (with follow-up questions) and 1,000,000 audit events on PostgreSQL in
a database of its own (created and dropped here). Measures the dashboard (the page a coordinator or a funder
contact opens, through the Django test client, logged in) and the full PDF report.
Targets: dashboard p95 <= 150 ms; full PDF report <= 5 s. Baseline in the same run: one bare
`SELECT count(*)` over the participants (the floor any dashboard query pays), to give ratios.

    .venv/bin/python bench/bench_reports.py [--participants 100000] [--matches 60000] [--events 1000000]
        [--runs 30] [--keep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "kompis_bench"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--matches", type=int, default=60_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--verbose", action="store_true", help="list every query of a report")
    args = parser.parse_args()

    import psycopg

    admin = "host=127.0.0.1 user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB}")
        conn.execute(f"CREATE DATABASE {DB}")
    tmp = Path(tempfile.mkdtemp(prefix="kompis-bench-reports-"))
    os.environ.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
            "KOMPIS_VAR_DIR": str(tmp),
            "DJANGO_SETTINGS_MODULE": "kompis.settings",
            "DEBUG": "true",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
    )
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB}")


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    print(f"migrate: {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    org, users = build(args.participants, args.matches, args.events)
    print(
        f"data: {args.participants:,} participants, {args.matches:,} matches, {args.events:,} audit events "
        f"({time.perf_counter() - t:.1f} s to build)"
    )

    from django.db import connection
    from django.test import Client
    from django.utils import translation

    from kompis.reports.pdf import render_pdf
    from kompis.reports.periods import parse_period
    from kompis.reports.report import build_report
    from kompis.reports.scope import ReportScope

    def timed(fn, runs: int) -> list[float]:
        out = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t0) * 1000)
        return out

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]

    with connection.cursor() as cur:
        base = timed(
            lambda: (cur.execute("SELECT count(*) FROM participants_participant"), cur.fetchone()), 20
        )
    floor = statistics.median(base)
    print(f"baseline: SELECT count(*) over {args.participants:,} participants: median {floor:.1f} ms")

    results = {}
    for label, user, query in (
        ("admin, 2026", users["admin"], {"year": "2026"}),
        ("admin, 2026-Q3, family", users["admin"], {"year": "2026", "quarter": "3", "kind": "family"}),
        ("coordinator, 2026", users["coordinator"], {"year": "2026"}),
        ("viewer, 2026, municipality 0380", users["viewer"], {"year": "2026", "municipality": "0380"}),
    ):
        client = Client()
        client.force_login(user)

        def get(client: Client = client, query: dict = query) -> None:
            client.get("/staff/reports/", query)

        first = timed(get, 1)[0]  # cold: computes the figures and draws the charts
        runs = timed(get, args.runs)
        assert client.get("/staff/reports/", query).status_code == 200
        results[label] = runs
        print(
            f"dashboard [{label}]: first {first:.0f} ms, median {statistics.median(runs):.0f} ms, "
            f"p95 {p95(runs):.0f} ms ({p95(runs) / floor:.0f}x the count(*) floor)"
        )
    worst = max(p95(r) for r in results.values())

    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx, translation.override("en"):
        t0 = time.perf_counter()
        report = build_report(ReportScope(organisation=org), parse_period("2026"), charts=False)
        q_ms = (time.perf_counter() - t0) * 1000
    print(f"figures only (no charts): {q_ms:.0f} ms in {len(ctx.captured_queries)} queries")
    slow = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[: 30 if args.verbose else 3]
    for q in slow:
        print(f"   {float(q['time']) * 1000:.0f} ms: {q['sql'][:110]}...")

    pdf_times = []
    for _ in range(3):
        with translation.override("sv"):
            t0 = time.perf_counter()
            report = build_report(ReportScope(organisation=org), parse_period("2026"))
            data = render_pdf(report)
            pdf_times.append(time.perf_counter() - t0)
    print(
        f"full PDF report (figures + charts + WeasyPrint, {len(data):,} bytes): "
        f"{min(pdf_times):.2f}-{max(pdf_times):.2f} s"
    )

    ok_dash = worst <= 150
    ok_pdf = max(pdf_times) <= 5
    print(f"dashboard p95 worst {worst:.0f} ms (target <= 150 ms) {'OK' if ok_dash else 'OVER TARGET'}")
    print(f"PDF {max(pdf_times):.2f} s (target <= 5 s) {'OK' if ok_pdf else 'OVER TARGET'}")


def build(n_people: int, n_matches: int, n_events: int):
    import random
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.db import connection, transaction

    from kompis.accounts.models import Role, User
    from kompis.matching.models import Match
    from kompis.organisations.models import Organisation, Project, ProjectTarget, Region
    from kompis.participants.models import FriendParticipation, Participant
    from kompis.reports.models import ChangeStep, Indicator

    rnd = random.Random(1)
    tz = ZoneInfo("Europe/Stockholm")
    start = datetime(2025, 1, 1, tzinfo=tz)
    span = (datetime(2026, 11, 20, tzinfo=tz) - start).total_seconds()
    codes = ["0380", "0305", "0360", "0162", "0160", "0186", "2580", "2581", "0180", "1480", "1280", "0580"]
    langs = ["sv", "en", "ar", "fa", "so", "uk", "ti", "ru", "ku", "es"]
    with transaction.atomic():
        org = Organisation.objects.create(slug="bench", name="Bench förening")
        regions = [Region.objects.create(organisation=org, name=n) for n in ("Uppsala", "Danderyd", "Luleå")]
        project = Project.objects.create(
            organisation=org,
            region=regions[0],
            name="Familjekompis",
            funder="Fonden",
            starts_on=datetime(2026, 1, 1).date(),
            ends_on=datetime(2026, 12, 31).date(),
        )
        ProjectTarget.objects.create(project=project, kind="family_matches", target=800)
        ProjectTarget.objects.create(project=project, kind="individual_matches", target=2000)
        step = ChangeStep.objects.create(project=project, level="output", text="Matches")
        Indicator.objects.create(step=step, name="Matches made", figure_key="matches_made", target=3000)
        Indicator.objects.create(step=step, name="Met rate", figure_key="met_rate", target=60)
        people = []
        friends = []  # each person's participation in friend matching (the same draws, in the same order)
        for i in range(n_people):
            signed = start + timedelta(seconds=rnd.random() * span)
            person = Participant(
                organisation=org,
                region=regions[i % 3],
                project=project if i % 10 == 0 else None,
                first_name=f"P{i}",
                last_name="Bench",
                email=f"p{i}@example.org",
                birth_year=rnd.randint(1950, 2007),
                gender=rnd.choice(["woman", "man", "woman", "man", "nonbinary", "unspecified"]),
                municipality_id=rnd.choice(codes),
                languages=rnd.sample(langs, rnd.randint(1, 3)),
                signed_up_at=signed,
            )
            friends.append(
                FriendParticipation(
                    organisation=org,
                    role="newcomer" if i % 2 == 0 else "established",
                    meeting_mode=rnd.choice(["physical", "digital", "either"]),
                    status=rnd.choice(["waiting", "matched", "pending", "paused"]),
                    waiting_since=signed,
                )
            )
            person.email_verified_at = signed if rnd.random() < 0.85 else None
            people.append(person)
        Participant.objects.bulk_create(people, batch_size=5000)
        for person, friend in zip(people, friends, strict=True):
            friend.participant_id = person.pk
        FriendParticipation.objects.bulk_create(friends, batch_size=5000)
        matches = []
        for k in range(n_matches):
            half = n_people // 2  # newcomers at even places, established at odd; 7 is coprime with half
            a = people[2 * (k % half)]
            b = people[2 * ((7 * k + k // half) % half) + 1]
            created = max(a.signed_up_at, b.signed_up_at) + timedelta(days=rnd.randint(1, 90))
            asked = created + timedelta(days=15)
            met = asked + timedelta(days=rnd.randint(0, 10)) if rnd.random() < 0.6 else None
            ended = created + timedelta(days=rnd.randint(30, 200)) if rnd.random() < 0.1 else None
            matches.append(
                Match(
                    organisation=org,
                    newcomer=a,
                    established=b,
                    kind="family" if k % 5 == 0 else "individual",
                    mode=rnd.choice(["physical", "digital"]),
                    created_at=created,
                    introduced_at=created,
                    followup_asked_at=asked,
                    met_at=met,
                    ended_at=ended,
                    end_reason=rnd.choice(["moved away", "re-match", "closed by staff"]) if ended else "",
                    status="ended" if ended else ("met" if met else "followup_asked"),
                )
            )
        Match.objects.bulk_create(matches, batch_size=5000)
        with connection.cursor() as cur:
            cur.execute("""
                INSERT INTO followup_followup (uid, match_id, participant_id, round, asked_at, answer, answered_at,
                                               comment)
                SELECT gen_random_uuid(), m.id, p.pid, 1, m.followup_asked_at,
                       CASE WHEN m.met_at IS NOT NULL THEN 'met' WHEN mod(m.id, 3) = 0 THEN '' ELSE 'not_yet' END,
                       CASE WHEN mod(m.id, 3) = 0 AND m.met_at IS NULL THEN NULL ELSE m.followup_asked_at
                            + interval '2 days' END, ''
                FROM matching_match m CROSS JOIN LATERAL (VALUES (m.newcomer_id), (m.established_id)) AS p(pid)
            """)
            cur.execute(
                """
                INSERT INTO audit_auditevent (at, actor_label, organisation_id, action, object_type, object_id,
                                              data)
                SELECT timestamp '2025-01-01' + mod(g, 700) * interval '1 day', 'system', %s,
                       (ARRAY['participant.created','match.approved','followup.asked','followup.answered'])[mod(g, 4) + 1],
                       'participants.participant', g::text, '{}'::jsonb
                FROM generate_series(1, %s) AS g
            """,
                [org.pk, n_events],
            )
        admin = User.objects.create_user(
            username="admin@bench", password="x", organisation=org, role=Role.ADMIN
        )
        coord = User.objects.create_user(
            username="coord@bench", password="x", organisation=org, role=Role.COORDINATOR
        )
        coord.regions.set([regions[0]])
        coord.projects.set([project])
        viewer = User.objects.create_user(
            username="viewer@bench", password="x", organisation=org, role=Role.VIEWER
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return org, {"admin": admin, "coordinator": coord, "viewer": viewer}


if __name__ == "__main__":
    main()
