"""Who sees which report numbers, the theory-of-change editor, and the `kompis report` command."""

from __future__ import annotations

import csv
import io
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kompis.reports.models import ChangeStep, Indicator


def csv_facts(client, **params) -> dict[tuple[str, str, str], str]:
    response = client.get(reverse("reports:download", args=["csv"]), {"year": "2026", **params})
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return {
        (
            r["section"].split(":")[0],
            r["role"] or r["measure"] if r["section"].startswith("theory") else r["role"],
            r["measure"] if r["section"] in ("summary", "matches") else r["category"],
        ): ({"small": "<5", "secondary": "[c]"}.get(r["suppressed"], r["value"]))
        for r in rows
    }


@pytest.fixture
def k1(settings):
    settings.SUPPRESSION_K = 1  # no suppression: the scope tests read exact small numbers


def test_viewer_sees_dashboard_and_downloads(client, small):
    client.force_login(small.world.viewer)
    page = client.get(reverse("reports:dashboard"), {"year": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "N1" not in html and "Rapport" not in html  # no person
    assert "&lt;5" in html  # the small world's numbers are suppressed
    assert reverse("participants:list") not in html
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(reverse("reports:download", args=[fmt]), {"year": "2026"})
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert client.get(reverse("reports:theory")).status_code == 403


def test_coordinator_sees_only_own_scope(client, small, k1):
    client.force_login(small.world.danderyd_coordinator)
    facts = csv_facts(client)
    assert facts[("summary", "total", "signups")] == "1"  # N3 only
    assert facts[("matches", "", "matches_made")] == "1"  # M3 (its established participant lives in Danderyd)
    client.force_login(small.world.uppsala_coordinator)
    facts = csv_facts(client)
    assert facts[("summary", "total", "signups")] == "4"
    # a region outside the coordinator's scope is refused, not silently widened
    response = client.get(
        reverse("reports:download", args=["csv"]), {"region": str(small.world.danderyd.uid)}
    )
    assert response.status_code == 404
    page = client.get(reverse("reports:dashboard"), {"region": str(small.world.danderyd.uid)})
    assert page.status_code == 200 and b"error-summary" in page.content


def test_other_organisation_gets_nothing_of_ours(client, small, k1):
    client.force_login(small.world.other_coordinator)
    facts = csv_facts(client)
    assert facts[("summary", "total", "signups")] == "1"  # its own participant only
    assert facts[("matches", "", "matches_made")] == "0"
    response = client.get(
        reverse("reports:download", args=["pdf"]), {"project": str(small.world.project.uid)}
    )
    assert response.status_code == 404
    assert client.get(reverse("reports:theory"), {"project": str(small.world.project.uid)}).status_code == 404


def test_admin_filters_and_municipality_report(client, small, k1):
    w = small.world
    client.force_login(w.admin)
    assert csv_facts(client)[("summary", "total", "signups")] == "6"
    assert csv_facts(client, project=str(w.project.uid))[("matches", "", "family_matches")] == "1"
    assert csv_facts(client, kind="individual")[("matches", "", "matches_made")] == "2"
    assert csv_facts(client, quarter="1")[("matches", "", "matches_made")] == "2"  # M3 (1 Jan) and M1
    assert (
        csv_facts(client, date_from="2026-04-01", date_to="2026-04-30")[("matches", "", "matches_made")]
        == "1"
    )
    facts = csv_facts(client, municipality="2581")
    assert (
        facts[("summary", "established", "signups")] == "1"
        and facts[("summary", "newcomer", "signups")] == "0"
    )
    page = client.get(reverse("reports:municipality"), {"municipality": "2581", "year": "2026"})
    assert page.status_code == 200 and "Municipality report" in page.content.decode()
    assert client.get(reverse("reports:municipality")).status_code == 200  # asks for a municipality first
    bad = client.get(reverse("reports:download", args=["csv"]), {"date_from": "2026-05-01"})
    assert bad.status_code == 400


def test_theory_of_change_editor(client, small, k1):
    w = small.world
    client.force_login(w.uppsala_coordinator)  # the project is in Uppsala's region
    url = reverse("reports:theory") + f"?project={w.project.uid}"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"action": "add_step", "step-level": "output", "step-text": "Families are matched"}
    )
    assert response.status_code == 302
    step = ChangeStep.objects.get(project=w.project)
    response = client.post(
        url,
        {
            "action": "add_indicator",
            "ind-step": str(step.uid),
            "ind-name": "Family matches",
            "ind-figure_key": "family_matches",
            "ind-target": "35",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ind = Indicator.objects.get(step=step)
    client.force_login(w.admin)
    facts = csv_facts(client)
    assert facts[("theory", "actual", str(ind.uid))] == "1"
    assert facts[("theory", "target", str(ind.uid))] == "35"  # M2 is the project's family match
    client.force_login(w.danderyd_coordinator)  # not their project
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "delete_step", "uid": str(step.uid)}).status_code == 404
    client.force_login(w.uppsala_coordinator)
    client.post(url, {"action": "delete_indicator", "uid": str(ind.uid)})
    assert not Indicator.objects.exists()


def test_cli_writes_reports(small, tmp_path):
    for fmt in ("csv", "xlsx", "pdf"):
        out = tmp_path / f"r.{fmt}"
        call_command(
            "report",
            organisation="kompisforeningen",
            period="2026",
            format=fmt,
            output=str(out),
            language="en",
            project="Familjekompis Uppsala",
        )
        assert out.stat().st_size > 100
    out = tmp_path / "m.csv"
    call_command(
        "report",
        "--organisation",
        "kompisforeningen",
        "--municipality",
        "0380",
        "--period",
        "2026-Q1",
        "--format",
        "csv",
        "--output",
        str(out),
    )
    assert "signups" in out.read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "m.csv",
        "r.csv",
        "r.pdf",
        "r.xlsx",
    ]  # no temp files


@pytest.mark.parametrize(
    "args, message",
    [
        ({"period": "2026-Q5"}, "Unknown period"),
        ({"period": "2026-06-30..2026-01-01"}, "starts after it ends"),
        ({"project": "No such project"}, "Unknown project"),
        ({"organisation": "nobody"}, "Unknown organisation"),
        ({"municipality": "9999"}, "Unknown municipality"),
    ],
)
def test_cli_bad_input_exits_2_and_keeps_old_file(small, tmp_path, args, message):
    out = tmp_path / "report.csv"
    out.write_text("old")
    opts = {
        "organisation": "kompisforeningen",
        "period": "2026",
        "format": "csv",
        "output": str(out),
        "language": "en",
        **args,
    }
    with pytest.raises(CommandError) as exc:
        call_command("report", **opts)
    assert exc.value.returncode == 2 and message in str(exc.value)
    assert out.read_text() == "old" and os.listdir(tmp_path) == ["report.csv"]


def test_cli_exit_code_from_the_console_script(small, tmp_path):
    """The real command line: exit status 2 and a message on stderr (the period is checked before the database)."""
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kompis.cli",
            "report",
            "--organisation",
            "x",
            "--period",
            "20x",
            "--format",
            "csv",
            "--output",
            str(tmp_path / "x.csv"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kompis.settings"},
    )
    assert result.returncode == 2
    assert "20x" in result.stderr and "2026-Q3" in result.stderr
