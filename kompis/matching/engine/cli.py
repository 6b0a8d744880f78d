"""``kompis match``: match participants from a CSV file without a database.

Exit codes: 0 success, 2 bad input (nothing written), 1 unexpected failure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kompis.matching.engine.api import match
from kompis.matching.engine.csvio import CsvError, parse_exclusions, parse_participants, write_matches
from kompis.matching.engine.model import RULE_ALL_TAKEN, RULE_ENGLISH
from kompis.matching.engine.weights import Weights, WeightsError

MAX_ERROR_LINES = 50
PROGRESS_MIN_PEOPLE = 20_000


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kompis match",
        description="Match newcomers with established participants from a CSV file (no database needed).",
    )
    p.add_argument("--input", required=True, type=Path, help="participants CSV")
    p.add_argument("--output", required=True, type=Path, help="matches CSV to write")
    p.add_argument("--exclude", type=Path, help="CSV newcomer_id,established_id of pairs never to propose")
    p.add_argument("--weights", type=Path, help="weights TOML file")
    p.add_argument("--solver", choices=("fast", "exact", "greedy"), default="fast")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--today", type=dt.date.fromisoformat, help="reference date YYYY-MM-DD (default: today)")
    return p


def _print_errors(errors: list[CsvError], filename: str) -> None:
    for e in errors[:MAX_ERROR_LINES]:
        print(e.format(filename), file=sys.stderr)
    if len(errors) >= MAX_ERROR_LINES:
        print(f"{filename}: stopped after {MAX_ERROR_LINES} errors", file=sys.stderr)


def _progress_bar(n_people: int) -> tuple[Callable[[str, int, int], None] | None, Any]:
    if n_people < PROGRESS_MIN_PEOPLE or not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=5, desc="matching", file=sys.stderr, leave=False)

    def update(phase: str, done: int, total: int) -> None:
        bar.total = total
        bar.set_postfix_str(phase)
        bar.n = done
        bar.refresh()

    return update, bar


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    t0 = time.perf_counter()
    today = args.today or dt.date.today()
    weights = Weights()
    if args.weights:
        try:
            weights = Weights.from_toml(args.weights)
        except (OSError, WeightsError) as exc:
            print(f"{args.weights}: {exc}", file=sys.stderr)
            return 2
    try:
        parsed = parse_participants(args.input, today=today, max_errors=MAX_ERROR_LINES)
    except OSError as exc:
        print(f"{args.input}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"{args.input}:1: the file is not UTF-8 text", file=sys.stderr)
        return 2
    if parsed.errors:
        _print_errors(parsed.errors, str(args.input))
        return 2
    exclude: list[tuple[str, str]] = []
    if args.exclude:
        try:
            exclude, ex_errors = parse_exclusions(args.exclude)
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{args.exclude}: {exc}", file=sys.stderr)
            return 2
        if ex_errors:
            _print_errors(ex_errors, str(args.exclude))
            return 2
    if not args.output.parent.exists():
        print(f"{args.output}: directory {args.output.parent} does not exist", file=sys.stderr)
        return 2
    newcomers = [p for p in parsed.participants if p.role == "newcomer"]
    established = [p for p in parsed.participants if p.role == "established"]
    progress, bar = _progress_bar(len(parsed.participants))
    try:
        result = match(
            newcomers,
            established,
            weights=weights,
            exclude=exclude,
            solver=args.solver,
            seed=args.seed,
            today=today,
            progress=progress,
        )
    except ValueError as exc:
        print(f"kompis match: {exc}", file=sys.stderr)
        return 2
    finally:
        if bar is not None:
            bar.close()
    write_matches(args.output, result.pairs)
    s = result.stats
    rules = {r: n for r, n in s.blocking_rules.items() if r != RULE_ALL_TAKEN}
    top = max(rules.items(), key=lambda kv: kv[1], default=None)
    lines = [
        f"pairs: {s.pairs} (maximum possible: {s.max_pairs_bound if s.max_pairs_bound >= 0 else 'n/a'})",
        f"unmatched: {s.unmatched_newcomers} newcomers, {s.unmatched_established} established",
    ]
    if top:
        lines.append(
            f"hard rule blocking most unmatched: {RULE_ENGLISH.get(top[0], top[0])} ({top[1]} people)"
        )
    if s.blocking_rules.get(RULE_ALL_TAKEN):
        lines.append(
            f"unmatched although compatible partners exist (all taken): {s.blocking_rules[RULE_ALL_TAKEN]}"
        )
    lines.append(f"mean score: {s.mean_score:.2f}")
    lines.append(f"time: {time.perf_counter() - t0:.1f} s (solver {s.solver})")
    print("\n".join(lines), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
