"""Import, export and the matching feed at scale (moved here from the test suite's timed assertions).

    .venv/bin/python bench/bench_scale.py [--rows 100000] [--pool 20000] [--database sqlite|postgres]

1. Import of N participant rows (read + validate + write) and the streamed CSV export of them.
   Target: each well under 60 s on SQLite.
2. Feeding the engine from a pool of P waiting participants (`feed.build_pool`), then one matching run.
   Target: the feed below 1 ms per person.

Baseline in the same run: the same work at a tenth of the size. The ratio is
seconds(N) / (10 x seconds(N/10)): about 1 means the work grows linearly; well above 1 means it does not.
The tests keep asserting the results at scale (tests/importing/test_scale.py, tests/matching/test_scale.py).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MUNIS = ["0380", "0305", "0162", "2580", "0180", "1480"]


def setup(database: str) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="kompis-bench-scale-"))
    if database == "postgres":
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS kompis_bench_scale")
            conn.execute("CREATE DATABASE kompis_bench_scale")
        url = "postgres://postgres@127.0.0.1:5432/kompis_bench_scale"
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "KOMPIS_VAR_DIR": str(tmp),
            "KOMPIS_ENV": os.environ.get("KOMPIS_ENV", "development"),
            "DJANGO_SETTINGS_MODULE": "kompis.settings",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_organisation(slug: str) -> tuple:  # models are imported after django.setup()
    from kompis.accounts.models import Role, User
    from kompis.organisations.models import Organisation, Region

    org = Organisation.objects.create(slug=slug, name=slug)
    regions = {
        "Uppsala": ["0380", "0305", "0360"],
        "Danderyd": ["0162", "0160", "0186"],
        "Luleå": ["2580", "2581"],
    }
    made = {}
    for name, munis in regions.items():
        made[name] = Region.objects.create(organisation=org, name=name)
        made[name].municipalities.set(munis)
    admin = User.objects.create_user(username=f"admin@{slug}.test", organisation=org, role=Role.ADMIN)
    return org, made["Uppsala"], admin


def csv_rows(n: int) -> bytes:
    from kompis.participants import importing

    columns = [*importing.CONTRACT_COLUMNS, "email"]
    out = io.StringIO()
    import csv

    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for i in range(n):
        writer.writerow(
            {
                "id": f"P{i}",
                "role": "newcomer",
                "birth_year": str(1950 + i % 50),
                "gender": "woman",
                "municipality_code": MUNIS[i % len(MUNIS)],
                "postal_code": "75320",
                "languages": ("sv;ar", "en", "sv;fa;en")[i % 3],
                "interests": "fika;football",
                "has_children": "false",
                "wants_family_match": "false",
                "meeting_mode": "either",
                "same_gender_only": "false",
                "capacity": "1",
                "signed_up": "2026-01-15",
                "first_name": f"GenP{i}",
                "last_name": "Erated",
                "email": "" if i % 3 else f"p{i}@example.org",
            }
        )
    return out.getvalue().encode()


def import_export(n: int, slug: str) -> tuple[float, float]:
    from kompis.participants import exporting, importing
    from kompis.participants.import_services import import_participants
    from kompis.participants.models import Participant

    org, _, admin = make_organisation(slug)
    data = csv_rows(n)
    t = time.perf_counter()
    result = import_participants(actor=admin, organisation=org, rows=importing.read_table(data, "big.csv"))
    imported = time.perf_counter() - t
    assert result.created == n, result
    t = time.perf_counter()
    out = io.BytesIO()
    exporting.write_csv(out, exporting.export_queryset(Participant.objects.filter(organisation=org)), "full")
    exported = time.perf_counter() - t
    assert out.getvalue().count(b"\n") == n + 1
    return imported, exported


def feed_and_run(size: int, slug: str) -> tuple[float, float, int]:
    from kompis.matching import feed, runs
    from tests.matching.scale_pool import create_waiting_pool

    org, uppsala, admin = make_organisation(slug)
    create_waiting_pool(organisation=org, region=uppsala, size=size)
    t = time.perf_counter()
    pool = feed.build_pool(feed.scope_participants(organisation=org, region=uppsala), organisation=org)
    fed = time.perf_counter() - t
    assert len(pool.newcomers) + len(pool.established) == size
    t = time.perf_counter()
    run = runs.run_inline(actor=admin, organisation=org, region=uppsala)
    return fed, time.perf_counter() - t, int(run.stats["pairs"])


def line(label: str, seconds: float, baseline: float, target: float | None = None) -> None:
    ratio = seconds / (10 * baseline) if baseline > 0 else float("nan")
    goal = f"; target < {target:.0f} s {'ok' if seconds < target else 'MISSED'}" if target else ""
    print(f"{label}: {seconds:.2f} s (tenth size {baseline:.2f} s; ratio {ratio:.2f}){goal}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pool", type=int, default=20_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    setup(args.database)

    import_export(100, "warm-up-import")  # first-call costs (imports, caches) stay out of the figures
    small = import_export(args.rows // 10, "baseline-import")
    big = import_export(args.rows, "import")
    line(f"import of {args.rows:,} rows", big[0], small[0], 60)
    line(f"CSV export of {args.rows:,} rows", big[1], small[1], 60)

    feed_and_run(200, "warm-up-feed")  # the engine's kernels are compiled on first use
    small_feed = feed_and_run(args.pool // 10, "baseline-feed")
    big_feed = feed_and_run(args.pool, "feed")
    line(f"feed of a pool of {args.pool:,}", big_feed[0], small_feed[0], args.pool / 2000)
    line(f"matching run over {args.pool:,} ({big_feed[2]:,} pairs)", big_feed[1], small_feed[1])


if __name__ == "__main__":
    main()
