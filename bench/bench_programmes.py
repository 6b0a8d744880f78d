"""Mentor programmes and events at national scale (issue #13).

100,000 people, 20,000 enrolments in ~400 cohorts of ~40 programmes, ~8,000 mentor pairs with their meetings,
5,000 sessions (non-public events with the invited registered) and 200,000 attendance rows, on PostgreSQL in a
database of its own (created and dropped here). Measured through the Django test client, logged in as an admin
and as a coordinator (of the first region and the project): the programme page, the page of the largest
cohort and the attendance register of the largest session; then the report's figures with and without every
registered figure whose key starts "programme_" or "event_".
Targets: each page p95 <= 150 ms; the programme/event figures add <= 1 s to the report. Baseline in the same
run: the staff home page, to give ratios.

    .venv/bin/python bench/bench_programmes.py [--people 100000] [--enrolments 20000] [--sessions 5000]
        [--attendance 200000] [--runs 30] [--keep] [--verbose]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "kompis_bench_h"
PAGE_TARGET_MS = 150.0
FIGURES_TARGET_S = 1.0
PREFIXES = ("programme_", "event_")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--programmes", type=int, default=40)
    parser.add_argument("--enrolments", type=int, default=20_000)
    parser.add_argument("--pairs", type=int, default=8_000)
    parser.add_argument("--sessions", type=int, default=5_000)
    parser.add_argument("--attendance", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a database kept by --keep (no build)")
    parser.add_argument("--verbose", action="store_true", help="list the slowest queries of each page")
    args = parser.parse_args()

    import psycopg

    admin = "host=127.0.0.1 user=postgres dbname=postgres"
    if not args.reuse:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB}")
            conn.execute(f"CREATE DATABASE {DB}")
    tmp = Path(tempfile.mkdtemp(prefix="kompis-bench-programmes-"))
    os.environ.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
            "KOMPIS_VAR_DIR": str(tmp),
            "KOMPIS_ENV": os.environ.get("KOMPIS_ENV", "development"),
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


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


class Recorder:
    """Records (milliseconds, SQL) of every query run through the connection."""

    def __init__(self, into: list[tuple[float, str]]) -> None:
        self.into = into

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.into.append(((time.perf_counter() - t0) * 1000, sql))


def programme_figure_keys() -> list[str]:
    """Every registered figure of programmes and events (engineer F registers them)."""
    from kompis.core.figures import REGISTRY

    return sorted(key for key in REGISTRY if key.startswith(PREFIXES))


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    if args.reuse:
        from bench.programme_data import find_programmes
        from kompis.accounts.models import User
        from kompis.organisations.models import Organisation

        org = Organisation.objects.get(slug="bench")
        users = {
            "admin": User.objects.get(username="admin@bench"),
            "coordinator": User.objects.get(username="coord@bench"),
        }
        measure(args, org, find_programmes(org), users)
        return
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    print(f"migrate: {time.perf_counter() - t:.1f} s")

    from bench.bench_reports import build as build_people  # the 100,000 people of the reports benchmark
    from bench.programme_data import build_programmes
    from kompis.organisations.models import Project, Region
    from kompis.participants.models import Participant

    t = time.perf_counter()
    org, users = build_people(args.people, 0, 0)
    print(f"people: {args.people:,} ({time.perf_counter() - t:.1f} s to build)")
    t = time.perf_counter()
    data = build_programmes(
        organisation=org,
        regions=list(Region.objects.filter(organisation=org).order_by("id")),
        project=Project.objects.get(organisation=org),
        people=list(Participant.objects.filter(organisation=org).order_by("id").values_list("id", flat=True)),
        programmes=args.programmes,
        enrolments=args.enrolments,
        pairs=args.pairs,
        sessions=args.sessions,
        attendance=args.attendance,
    )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(
        f"programmes: {data.programmes} programmes, {data.cohorts} cohorts, {data.enrolments:,} enrolments, "
        f"{data.pairs:,} pairs, {data.meetings:,} meetings, {data.sessions:,} sessions, "
        f"{data.registrations:,} invitations, {data.attendance:,} attendance rows; {data.cafes:,} public "
        f"events (not sessions) with {data.cafe_attendance:,} more attendance rows "
        f"({time.perf_counter() - t:.1f} s to build)"
    )
    measure(args, org, data, users)


def measure(args: argparse.Namespace, org: Any, data: Any, users: dict[str, Any]) -> None:
    worst_page = measure_pages(args, data, users)
    added = measure_figures(org, args.verbose)
    print(
        f"pages: worst p95 {worst_page:.0f} ms (target <= {PAGE_TARGET_MS:.0f} ms) "
        f"{'OK' if worst_page <= PAGE_TARGET_MS else 'OVER TARGET'}"
    )
    if added is None:
        print(
            "figures: no programme figures registered (keys starting 'programme_' or 'event_'): re-run later"
        )
    else:
        print(
            f"figures: programme/event figures add {added:.2f} s (target <= {FIGURES_TARGET_S:.0f} s) "
            f"{'OK' if added <= FIGURES_TARGET_S else 'OVER TARGET'}"
        )


def measure_pages(args: argparse.Namespace, data: Any, users: dict[str, Any]) -> float:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from kompis.events.models import EventRegistration

    invited = EventRegistration.objects.filter(event=data.largest_session).count()
    pages = [
        ("programme page", reverse("programmes:detail", args=[data.largest_programme.uid])),
        (
            f"cohort page (largest, {data.largest_cohort.enrolments.count()} enrolled)",
            reverse("programmes:cohort", args=[data.largest_cohort.uid]),
        ),
        (
            f"attendance register (largest session, {invited} invited)",
            reverse("event_attendance:register", args=[data.largest_session.uid]),
        ),
    ]
    home = reverse("core:staff_home")
    worst = 0.0
    for persona in ("admin", "coordinator"):
        client = Client()
        client.force_login(users[persona])
        assert client.get(home).status_code == 200
        base = timed(partial(client.get, home), args.runs)
        floor = statistics.median(base)
        print(f"[{persona}] baseline: staff home median {floor:.0f} ms, p95 {p95(base):.0f} ms")
        for label, url in pages:
            queries: list[tuple[float, str]] = []
            with connection.execute_wrapper(Recorder(queries)):  # survives the reconnect of each request
                t0 = time.perf_counter()
                response = client.get(url)
                first = (time.perf_counter() - t0) * 1000
            assert response.status_code == 200, (persona, url, response.status_code)
            runs = timed(partial(client.get, url), args.runs)
            worst = max(worst, p95(runs))
            verdict = "OK" if p95(runs) <= PAGE_TARGET_MS else "OVER TARGET"
            print(
                f"[{persona}] {label}: first {first:.0f} ms, median {statistics.median(runs):.0f} ms, "
                f"p95 {p95(runs):.0f} ms (target {PAGE_TARGET_MS:.0f} ms) {verdict}; "
                f"{len(queries)} queries; {p95(runs) / floor:.1f}x the staff home"
            )
            for ms, sql in sorted(queries, reverse=True)[: 5 if args.verbose else 0]:
                print(f"     {ms:.1f} ms: {sql[:140]}")
    return worst


def measure_figures(org: Any, verbose: bool) -> float | None:
    """Seconds the programme/event figures add to the organisation's report for 2026 (the figures alone, no
    charts): the report as it is, against the same report with the programme and event sections left out
    and their figures unregistered. None: no programme figures registered yet."""
    from django.db import connection
    from django.utils import translation

    from kompis.core import figures as registry
    from kompis.reports import activity_figures as activity
    from kompis.reports import selectors
    from kompis.reports.figures import compute
    from kompis.reports.periods import parse_period
    from kompis.reports.report import build_report
    from kompis.reports.scope import ReportScope

    period = parse_period("2026")

    def report() -> tuple[float, int]:
        queries: list[tuple[float, str]] = []
        with connection.execute_wrapper(Recorder(queries)), translation.override("en"):
            t0 = time.perf_counter()
            build_report(ReportScope(organisation=org), period, charts=False)
            return time.perf_counter() - t0, len(queries)

    keys = programme_figure_keys()
    report()  # warm
    with_runs = [report() for _ in range(3)]
    saved = {
        name: getattr(activity, name)
        for name in ("programme_tables", "event_tables")
        if hasattr(activity, name)
    }
    kept = dict(registry.REGISTRY)
    try:
        for name in saved:
            setattr(activity, name, lambda scope, period: [])
        for key in keys:
            del registry.REGISTRY[key]
        without_runs = [report() for _ in range(3)]
    finally:
        for name, func in saved.items():
            setattr(activity, name, func)
        registry.REGISTRY.update(kept)
    without = statistics.median(r[0] for r in without_runs)
    print(
        f"report figures (no charts) without the programme/event figures: {without:.2f} s (baseline), "
        f"{without_runs[0][1]} queries"
    )
    if not keys:
        return None
    with_ = statistics.median(r[0] for r in with_runs)
    added = with_ - without
    print(
        f"report figures with the {len(keys)} programme/event figures: {with_:.2f} s, {with_runs[0][1]} queries "
        f"(+{added:.2f} s; target +{FIGURES_TARGET_S:.0f} s; {with_ / without:.2f}x the baseline)"
    )
    if connection.vendor == "postgresql":  # PostgreSQL's JIT compiles the costliest plans first
        with connection.cursor() as cur:
            cur.execute("SET jit = off")
        report()
        no_jit = statistics.median(report()[0] for _ in range(3))
        with connection.cursor() as cur:
            cur.execute("RESET jit")
        print(f"   (the same report with PostgreSQL's jit = off: {no_jit:.2f} s, +{no_jit - without:.2f} s)")
    if verbose:  # each figure on its own, sharing one report's selector memo as build_report does
        token = selectors._MEMO.set({})
        try:
            with translation.override("en"):
                for key in keys:
                    t0 = time.perf_counter()
                    cell = compute(key, ReportScope(organisation=org), period)
                    ms = (time.perf_counter() - t0) * 1000
                    print(f"   {key}: {getattr(cell, 'value', cell)} ({ms:.0f} ms)")
        finally:
            selectors._MEMO.reset(token)
    return added


if __name__ == "__main__":
    main()
