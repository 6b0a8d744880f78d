"""Matching as background work: queued by the page, run by the task, progress, overlap, failure, recovery."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.matching import runs
from kompis.matching.models import MatchingRun, Proposal, RunError, RunPhase, RunStatus
from kompis.matching.tasks import execute_matching_run
from kompis.organisations.models import Project
from tests.matching.helpers import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def dummy_tasks(settings):
    """Enqueued tasks are only recorded (as with a worker that has not picked them up yet)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    return default_task_backend


def uppsala_pool(world, n=3):
    for _ in range(n):
        person(world, "newcomer")
        person(world, "established")


def run_row(run):
    run = MatchingRun.objects.get(pk=run.pk)
    return (run.status, run.phase, run.progress, run.lease_until, run.claim, run.attempts, run.error)


def test_view_queues_the_run_and_the_task_makes_the_proposals(
    client, world, dummy_tasks, django_capture_on_commit_callbacks
):
    uppsala_pool(world)
    client.force_login(world.uppsala_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matching:runs"),
            {"scope": f"region:{world.uppsala.uid}", "solver": "fast", "name": "Höstens första"},
        )
    run = MatchingRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "matching:run_detail", args=[run.uid]
    )
    assert run.status == RunStatus.QUEUED and run.progress == 0 and run.name == "Höstens första"
    assert not run.proposals.exists()
    [queued] = dummy_tasks.results
    assert queued.task.name == execute_matching_run.name and queued.args == [run.pk]
    html = client.get(reverse("matching:run_detail", args=[run.uid])).content.decode()
    assert "Waiting to start" in html and 'hx-trigger="every 2s"' in html
    assert "Approve" not in html
    # what htmx polls: the content of the live region only, and no reload while the run is queued
    response = client.get(reverse("matching:run_progress", args=[run.uid]), HTTP_HX_REQUEST="true")
    assert "Waiting to start" in response.content.decode() and "<section" not in response.content.decode()
    assert "HX-Refresh" not in response

    assert execute_matching_run.call(run.pk) == RunStatus.DRAFT
    run.refresh_from_db()
    assert (run.status, run.phase, run.progress) == (RunStatus.DRAFT, RunPhase.DONE, 100)
    assert run.proposals.count() == 3 and run.stats["pairs"] == 3
    assert run.started_at and run.finished_at and run.attempts == 1
    assert AuditEvent.objects.filter(action="matching.run", object_id=str(run.uid)).exists()
    # the polling box tells htmx to reload the page, which now shows the proposals
    response = client.get(reverse("matching:run_progress", args=[run.uid]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    html = client.get(reverse("matching:run_detail", args=[run.uid])).content.decode()
    assert "Approve" in html and "every 2s" not in html
    # a second delivery of the same task finds nothing to do
    assert execute_matching_run.call(run.pk) == "skipped"
    assert run.proposals.count() == 3


def test_progress_pages_change_nothing(client, world, dummy_tasks):
    uppsala_pool(world)
    queued = runs.start_run(actor=world.admin, organisation=world.org, region=world.uppsala)
    running = runs.start_run(actor=world.admin, organisation=world.org, region=world.danderyd)
    runs.claim_run(running.pk)
    MatchingRun.objects.filter(pk=running.pk).update(lease_until=timezone.now() - dt.timedelta(hours=1))
    client.force_login(world.admin)
    for run in (queued, running):
        before, events = run_row(run), AuditEvent.objects.count()
        for name in ("matching:run_detail", "matching:run_progress"):
            for method in ("get", "head"):
                response = getattr(client, method)(reverse(name, args=[run.uid]), HTTP_HX_REQUEST="true")
                assert response.status_code == 200
                assert "HX-Refresh" not in response
        assert run_row(run) == before and AuditEvent.objects.count() == events
    html = client.get(reverse("matching:run_detail", args=[running.uid])).content.decode()
    assert "has not reported for a while" in html


def test_progress_is_written_by_phase(world, dummy_tasks):
    uppsala_pool(world)
    run = runs.start_run(actor=world.admin, organisation=world.org, region=world.uppsala)
    seen: list[tuple[str, int]] = []
    done = runs.execute_run(run.pk, hook=lambda r: seen.append((r.phase, r.progress)))
    phases = [phase for phase, _ in seen]
    assert [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p] == [
        RunPhase.POOL,
        RunPhase.ENGINE,
        RunPhase.EXPLAIN,
        RunPhase.SAVE,
        RunPhase.DONE,
    ]
    percents = [pct for _, pct in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    assert done.progress == 100


# --- overlapping scopes --------------------------------------------------------------------------


def test_overlapping_run_is_refused_with_a_message(client, world, dummy_tasks):
    runs.start_run(actor=world.admin, organisation=world.org)  # the whole organisation, queued
    client.force_login(world.uppsala_coordinator)
    response = client.post(
        reverse("matching:runs"), {"scope": f"region:{world.uppsala.uid}", "solver": "fast"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert (
        "cannot start" in html and "Whole organisation" in html and "includes some of the same people" in html
    )
    assert MatchingRun.objects.count() == 1


def test_which_scopes_overlap(world, dummy_tasks):
    org, up, da, project = world.org, world.uppsala, world.danderyd, world.project  # project in Uppsala

    def start(**scope):
        return runs.start_run(actor=world.admin, organisation=org, **scope)

    def refused(**scope):
        with pytest.raises(runs.RunRefused):
            start(**scope)

    uppsala = start(region=up)
    refused(region=up)  # a region overlaps itself
    refused()  # the whole organisation overlaps every region
    refused(project=project)  # a project overlaps the region it belongs to
    danderyd = start(region=da)  # two regions never overlap
    other_project = Project.objects.create(
        organisation=org,
        region=world.lulea,
        name="Luleå",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    MatchingRun.objects.filter(pk=uppsala.pk).update(status=RunStatus.DRAFT)
    refused(region=da)
    lulea_project = start(project=other_project)  # Luleå's project: nobody in Danderyd
    MatchingRun.objects.filter(pk=lulea_project.pk).update(status=RunStatus.DRAFT)
    person(world, "newcomer", "danderyd", project=other_project)  # now one of its people lives in Danderyd
    refused(project=other_project)
    MatchingRun.objects.filter(pk=danderyd.pk).update(status=RunStatus.FAILED)
    everyone = start()
    assert everyone.status == RunStatus.QUEUED
    refused(region=world.lulea)


def test_other_organisation_does_not_block(world, dummy_tasks):
    runs.start_run(actor=world.admin, organisation=world.org)
    other = runs.start_run(actor=world.other_coordinator, organisation=world.other_org)
    assert other.status == RunStatus.QUEUED


# --- failure, lost workers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "exc, error, text",
    [
        (
            RuntimeError("numba kernel exploded"),
            RunError.ENGINE,
            "The matching engine stopped with an error.",
        ),
        (ValueError("duplicate id 17"), RunError.BAD_DATA, "holds data the matching engine cannot use"),
    ],
)
def test_failed_run_says_why_without_a_traceback(
    client, world, dummy_tasks, monkeypatch, caplog, exc, error, text
):
    uppsala_pool(world)

    def broken(*args, **kwargs):
        raise exc

    monkeypatch.setattr("kompis.matching.engine.match", broken)
    run = runs.start_run(actor=world.admin, organisation=world.org, region=world.uppsala)
    with caplog.at_level(logging.ERROR, logger="kompis.matching.runs"):
        assert execute_matching_run.call(run.pk) == RunStatus.FAILED
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error == error and run.finished_at
    assert not Proposal.objects.filter(run=run).exists()
    assert str(exc) in caplog.text and str(run.uid) in caplog.text  # the details are in the log
    assert AuditEvent.objects.filter(action="matching.run_failed", object_id=str(run.uid)).exists()
    client.force_login(world.uppsala_coordinator)
    html = client.get(reverse("matching:run_detail", args=[run.uid])).content.decode()
    assert "This run failed" in html and text in html
    assert "Traceback" not in html and str(exc) not in html and type(exc).__name__ not in html
    # a failed run no longer holds its scope
    assert (
        runs.start_run(actor=world.admin, organisation=world.org, region=world.uppsala).status
        == RunStatus.QUEUED
    )


def test_a_claimed_run_is_not_claimed_twice(world, dummy_tasks):
    run = runs.start_run(actor=world.admin, organisation=world.org, region=world.uppsala)
    first = runs.claim_run(run.pk)
    assert first is not None and first.status == RunStatus.RUNNING and first.claim
    assert runs.claim_run(run.pk) is None


def test_run_of_a_dead_worker_is_retried_once_then_failed(world, dummy_tasks):
    uppsala_pool(world)
    run = runs.start_run(actor=world.admin, organisation=world.org, region=world.uppsala)
    dead = runs.claim_run(run.pk)
    later = timezone.now() + dt.timedelta(seconds=runs.lease_seconds() + 1)
    assert runs.recover_stale_runs(now=timezone.now()) == 0  # the lease still holds
    assert runs.recover_stale_runs(now=later) == 1
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED and run.attempts == 1 and not run.claim
    # the dead worker wakes up: its progress is refused, it cannot finish the run
    with pytest.raises(runs.RunLost):
        runs.Reporter(dead)(RunPhase.SAVE, 0.5)
    # the second attempt dies too: failed, with the reason
    second = runs.claim_run(run.pk)
    assert second.attempts == 2
    runs.recover_stale_runs(now=timezone.now() + dt.timedelta(seconds=2 * runs.lease_seconds() + 2))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error == RunError.WORKER_LOST


def test_sweep_recovers_stale_runs(world, dummy_tasks):
    from kompis.core import sweeps

    run = runs.start_run(actor=world.admin, organisation=world.org, region=world.uppsala)
    runs.claim_run(run.pk)
    MatchingRun.objects.filter(pk=run.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert sweeps.run_all()["matching.recover_stale_runs"] == 1
    assert MatchingRun.objects.get(pk=run.pk).status == RunStatus.QUEUED


# --- run list and command ------------------------------------------------------------------------


def test_run_list_filters_by_name(client, world, dummy_tasks):
    uppsala_pool(world, 1)
    runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala, name="Vårens SFI-grupp")
    runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala, name="Höstens kväll")
    unnamed = runs.run_inline(actor=world.admin, organisation=world.org, region=world.danderyd)
    assert unnamed.name.startswith("Danderyd ")
    client.force_login(world.admin)
    html = client.get(reverse("matching:runs"), {"q": "sfi"}).content.decode()
    assert "Vårens SFI-grupp" in html and "Höstens kväll" not in html and "(1)" in html
    html = client.get(reverse("matching:runs"), {"q": "danderyd"}).content.decode()
    assert unnamed.name in html and "Vårens" not in html
    html = client.get(reverse("matching:runs"), {"q": "nothing like this"}).content.decode()
    assert "No run has that name." in html


def test_command_runs_inline_or_queues(world, dummy_tasks):
    from io import StringIO

    uppsala_pool(world, 2)
    out = StringIO()
    call_command(
        "run_matching", "--organisation", world.org.slug, "--region", "Uppsala", "--no-progress", stdout=out
    )
    assert "2 proposals" in out.getvalue()
    assert MatchingRun.objects.get().status == RunStatus.DRAFT
    call_command(
        "run_matching",
        "--organisation",
        world.org.slug,
        "--background",
        "--no-wait",
        "--name",
        "natt",
        stdout=out,
    )
    queued = MatchingRun.objects.get(name="natt")
    assert queued.status == RunStatus.QUEUED and len(dummy_tasks.results) == 0  # enqueued after commit
    with pytest.raises(CommandError) as refused:
        call_command("run_matching", "--organisation", world.org.slug, "--region", "Uppsala", stdout=out)
    assert refused.value.returncode == 1 and "cannot start" in str(refused.value)
    with pytest.raises(CommandError) as bad:
        call_command("run_matching", "--organisation", world.org.slug, "--region", "Atlantis")
    assert bad.value.returncode == 2 and "Atlantis" in str(bad.value)


def test_pool_page_keeps_the_last_finished_runs_blockers_while_a_run_is_going(client, world, dummy_tasks):
    """Regression: the newest run of a scope was taken even while queued, hiding the blockers."""
    lonely = person(world, "newcomer", languages=["ti"], first_name="Selam")
    person(world, "established", languages=["sv"])
    runs.run_inline(actor=world.admin, organisation=world.org, region=world.uppsala)
    runs.start_run(actor=world.admin, organisation=world.org, region=world.uppsala)  # queued, no outcome yet
    client.force_login(world.uppsala_coordinator)
    html = client.get(reverse("matching:pool")).content.decode()
    assert lonely.full_name in html and "no shared language" in html
