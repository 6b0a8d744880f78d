"""Benchmark of the matching engine (not part of the test suite).

    .venv/bin/python bench/bench_matching.py [--quick] [--keep DIR]

1. End-to-end ``kompis match`` work (read CSV, build, solve with the fast solver, write CSV) on
   100,000 x 100,000 and 200,000 x 200,000 synthetic participants, each run in a fresh child
   process so its peak memory (``ru_maxrss``) is its own. Prints the phase breakdown and the pair
   count against the exact maximum (group max-flow over interchangeable people).
2. Quality on 5,000 x 5,000: exact, fast and greedy, with score ratios against exact.

``--quick`` uses 20,000 and 2,000 instead (smoke check).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kompis.matching.engine import match  # noqa: E402
from kompis.matching.engine.csvio import format_matches, parse_participants, write_atomic  # noqa: E402
from kompis.matching.engine.synth import generate, write_csv  # noqa: E402

TODAY = dt.date(2026, 1, 1)
TARGET_SECONDS = {100_000: 15.0, 200_000: 30.0}
TARGET_MEMORY_GB = 4.0
TARGET_RATIO = 0.995


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB


def child(inp: str, out: str) -> None:
    """One end-to-end run; prints a JSON line with timings."""
    c0 = cpu_seconds()
    t0 = time.perf_counter()
    parsed = parse_participants(inp, today=TODAY)
    if parsed.errors:
        raise SystemExit(f"bad input: {parsed.errors[:3]}")
    newcomers = [p for p in parsed.participants if p.role == "newcomer"]
    established = [p for p in parsed.participants if p.role == "established"]
    t1 = time.perf_counter()
    result = match(newcomers, established, solver="fast", today=TODAY)
    t2 = time.perf_counter()
    write_atomic(out, format_matches(result.pairs))
    t3 = time.perf_counter()
    s = result.stats
    print(
        json.dumps(
            {
                "read_csv": t1 - t0,
                "match": t2 - t1,
                "write_csv": t3 - t2,
                "total": t3 - t0,
                "cpu": cpu_seconds() - c0,
                "phases": s.phase_seconds,
                "pairs": s.pairs,
                "bound": s.max_pairs_bound,
                "mean_score": s.mean_score,
                "arcs": s.candidate_arcs,
                "peak_gb": peak_gb(),
            }
        )
    )


def end_to_end(n: int, workdir: Path) -> None:
    inp = workdir / f"participants_{n}.csv"
    out = workdir / f"matches_{n}.csv"
    if not inp.exists():
        t = time.perf_counter()
        write_csv(inp, generate(n, n, seed=42, today=TODAY))
        print(f"  (generated {inp.name} in {time.perf_counter() - t:.1f} s, not timed)")
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(inp), str(out)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        print(proc.stderr)
        raise SystemExit(f"child failed for n={n}")
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    target = TARGET_SECONDS.get(n)
    tgt = f"   [target <= {target:.0f} s: {'OK' if r['total'] <= target else 'MISSED'}]" if target else ""
    print(f"{n:,} x {n:,} end-to-end: {r['total']:.2f} s{tgt}")
    load = os.getloadavg()[0]
    print(f"  process CPU time {r['cpu']:.2f} s (2 cores; load average now {load:.1f})")
    print(f"  read CSV {r['read_csv']:.2f} s | match {r['match']:.2f} s | write CSV {r['write_csv']:.2f} s")
    print("  match phases: " + ", ".join(f"{k} {v:.2f}" for k, v in r["phases"].items()))
    ok = "OK" if r["pairs"] == r["bound"] else "MISSED"
    print(f"  pairs {r['pairs']:,} vs exact maximum {r['bound']:,}   [target equal: {ok}]")
    print(f"  candidate arcs {r['arcs']:,}, mean score {r['mean_score']:.2f}")
    mem_ok = "OK" if r["peak_gb"] <= TARGET_MEMORY_GB else "MISSED"
    print(f"  peak memory {r['peak_gb']:.2f} GB   [target <= {TARGET_MEMORY_GB:.0f} GB: {mem_ok}]")


def quality(n: int) -> None:
    people = generate(n, n, seed=7, today=TODAY)
    newcomers = [p for p in people if p.role == "newcomer"]
    established = [p for p in people if p.role == "established"]
    res = {}
    for solver in ("exact", "fast", "greedy"):
        t = time.perf_counter()
        r = match(newcomers, established, solver=solver, today=TODAY)  # type: ignore[arg-type]
        res[solver] = (r, time.perf_counter() - t)
    ex = res["exact"][0].stats
    print(f"{n:,} x {n:,} quality (exact optimum: {ex.pairs:,} pairs, total score {ex.total_score:,.2f})")
    for solver in ("exact", "fast", "greedy"):
        r, secs = res[solver]
        ratio = r.stats.total_score / ex.total_score if ex.total_score else 1.0
        tgt = ""
        if solver == "fast":
            ok = ratio >= TARGET_RATIO and r.stats.pairs == ex.pairs
            tgt = f"   [target count equal and >= {TARGET_RATIO:.1%}: {'OK' if ok else 'MISSED'}]"
        print(
            f"  {solver:6s} {secs:6.2f} s  pairs {r.stats.pairs:,}  score {r.stats.total_score:,.2f}"
            f"  ratio/exact {ratio:.4f}{tgt}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller sizes (20k and 2k)")
    ap.add_argument("--keep", type=Path, help="directory for the generated CSV files (kept, reused)")
    ap.add_argument("--child", nargs=2, metavar=("INPUT", "OUTPUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    if args.child:
        child(*args.child)
        return
    from kompis.matching.engine.warmup import warm_up

    t = time.perf_counter()
    warm_up()
    print(f"numba warm-up {time.perf_counter() - t:.1f} s (cached after the first run)")
    sizes = [20_000] if args.quick else [100_000, 200_000]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            end_to_end(n, workdir)
    quality(2_000 if args.quick else 5_000)


if __name__ == "__main__":
    main()
