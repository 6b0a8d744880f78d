"""Drop-off per question (open surveys): how many reached each question and how many stopped there.

A respondent "reached" every question up to and including the last one they got to (`last`, a question
code); one who did not finish "stopped" at their last question. Finished respondents reached every
question and stopped nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    code: str
    reached: int
    stopped: int

    @property
    def stop_share(self) -> float:
        return self.stopped / self.reached if self.reached else 0.0


def dropoff(order: Sequence[str], respondents: Iterable[tuple[str, bool]]) -> list[Step]:
    """`order`: the question codes in order; `respondents`: (last question reached, finished) each.

    A last question not in `order` (or empty) counts as stopping before the first question."""
    position = {code: i for i, code in enumerate(order)}
    reached_upto = [0] * (len(order) + 1)  # how many got exactly as far as index i (len: finished)
    stopped = [0] * len(order)
    for last, finished in respondents:
        if finished:
            reached_upto[len(order)] += 1
            continue
        i = position.get(last)
        if i is None:
            continue
        reached_upto[i] += 1
        stopped[i] += 1
    steps: list[Step] = []
    remaining = sum(reached_upto)
    for i, code in enumerate(order):
        steps.append(Step(code, remaining, stopped[i]))
        remaining -= reached_upto[i]
    return steps
