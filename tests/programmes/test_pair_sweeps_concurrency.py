"""Several workers sweeping at the same moment (needs real row locks: PostgreSQL): one silent-pair task per
pair, each finished pair ended once, two pairs logging the same date at once leave one row."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from kompis.audit.actors import ParticipantActor
from kompis.audit.models import AuditEvent
from kompis.programmes.meetings import log_meeting
from kompis.programmes.models import PairMeeting
from kompis.programmes.sweeps import end_finished_pairs, open_silent_pair_tasks
from kompis.worklist.models import Task
from tests.factories import make_world
from tests.programmes.meeting_fixtures import make_pair

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def at_once(calls: list[Callable[[], object]]) -> list[object]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = calls[i]()
        except Exception as exc:  # reported by the assertions
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def test_two_workers_open_one_silent_task_per_pair():
    world = make_world()
    make_pair(world, started_days_ago=60)
    make_pair(world, started_days_ago=90, region=world.danderyd)
    now = timezone.now()
    outcomes = at_once([lambda: open_silent_pair_tasks(now=now)] * 3)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(o for o in outcomes if isinstance(o, int)) == 2
    assert Task.objects.filter(kind="silent_pair", resolved_at__isnull=True).count() == 2


def test_two_workers_end_a_finished_pair_once():
    world = make_world()
    w = make_pair(world, started_days_ago=200, ends_on=timezone.localdate() - timedelta(days=1))
    now = timezone.now()
    outcomes = at_once([lambda: end_finished_pairs(now=now)] * 3)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    w.pair.refresh_from_db()
    assert w.pair.status == "ended"
    assert AuditEvent.objects.filter(action="programme.pair_ended").count() == 1


def test_both_of_the_pair_log_the_same_date_at_once():
    world = make_world()
    w = make_pair(world)
    day = timezone.localdate() - timedelta(days=1)
    outcomes = at_once(
        [
            lambda: log_meeting(actor=ParticipantActor(w.mentee.pk), pair=w.pair, met_on=day),
            lambda: log_meeting(actor=ParticipantActor(w.mentor.pk), pair=w.pair, met_on=day, how="phone"),
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert PairMeeting.objects.filter(pair=w.pair).count() == 1
