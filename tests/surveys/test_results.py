"""A wave's results page and exports, counted by hand."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kompis.audit.models import AuditEvent
from kompis.surveys.models import (
    AnonymousResponse,
    Invitation,
    Option,
    Question,
    Response,
    Survey,
    SurveyStatus,
    Wave,
)
from kompis.surveys.results import read_wave, wave_results
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def make_survey(world: Any, *, anonymous: bool, region: Any = None) -> Survey:
    survey = Survey.objects.create(
        organisation=world.org,
        name="Final survey",
        texts={"en": {"title": "How did it go?"}},
        languages=["en"],
        anonymous=anonymous,
        status=SurveyStatus.OPEN,
        region=region if region is not None else world.uppsala,
    )
    Question.objects.create(
        survey=survey, code="job", kind="yes_no", position=1, texts={"en": {"text": "Do you have a job?"}}
    )
    swedish = Question.objects.create(
        survey=survey, code="swedish", kind="single", position=2, texts={"en": {"text": "Swedish lessons"}}
    )
    Option.objects.create(question=swedish, code="started", position=1, texts={"en": "Started"})
    Option.objects.create(question=swedish, code="not_yet", position=2, texts={"en": "Not yet"})
    Question.objects.create(
        survey=survey,
        code="well",
        kind="likert5",
        position=3,
        texts={"en": {"text": "Wellbeing", "low": "Bad", "high": "Good"}},
    )
    Question.objects.create(
        survey=survey, code="comment", kind="text", position=4, texts={"en": {"text": "Anything else?"}}
    )
    return survey


def make_wave(survey: Survey, kind: str = "final", cohort: Any = None) -> Wave:
    now = timezone.now()
    return Wave.objects.create(
        survey=survey,
        name=f"{kind} wave",
        kind=kind,
        cohort=cohort,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=10),
    )


def invite(world: Any, wave: Wave, count: int) -> list[Any]:
    people = [ParticipantFactory(organisation=world.org, region=world.uppsala) for _ in range(count)]
    Invitation.objects.bulk_create(
        Invitation(wave=wave, participant=p, token_hash=f"{wave.pk}-{p.pk}", language="en") for p in people
    )
    return people


@pytest.fixture
def ukraine_final(world: Any) -> Wave:
    """The demo's anonymous final survey: 118 invited, 94 answered; 25 have a job (27 %), 79 started Swedish
    lessons (84 %)."""
    wave = make_wave(make_survey(world, anonymous=True))
    invite(world, wave, 118)
    day = timezone.localdate()
    AnonymousResponse.objects.bulk_create(
        AnonymousResponse(
            wave=wave,
            day=day,
            answers={
                "job": "yes" if i < 25 else "no",
                "swedish": "started" if i < 79 else "not_yet",
                "comment": "=HYPERLINK(1)" if i == 0 else "",
            },
        )
        for i in range(94)
    )
    return wave


def test_anonymous_final_survey_shows_94_of_118_and_the_shares(
    client: Any, uppsala_coordinator: Any, ukraine_final: Wave
) -> None:
    client.force_login(uppsala_coordinator)
    page = client.get(reverse("surveys:wave_results", args=[ukraine_final.uid])).content.decode()
    assert "94 of 118 answered, 80 %" in page
    results = wave_results(ukraine_final, with_texts=True)
    job = next(q for q in results.questions if q.info.code == "job")
    assert job.table is not None
    assert [(r.code, r.count, r.percent, r.hidden) for r in job.table.rows] == [
        ("yes", 25, 27, ""),
        ("no", 69, 73, ""),
    ]
    swedish = next(q for q in results.questions if q.info.code == "swedish")
    assert swedish.table is not None and swedish.table.rows[0].percent == 84  # 79 / 94 = 84.04 %
    assert not job.breakdowns  # anonymous: never broken down by person


def test_an_anonymous_wave_below_its_smallest_group_shows_nothing(
    client: Any, org_admin: Any, world: Any
) -> None:
    wave = make_wave(make_survey(world, anonymous=True))
    AnonymousResponse.objects.bulk_create(
        AnonymousResponse(wave=wave, day=timezone.localdate(), answers={"job": "yes"}) for _ in range(4)
    )
    client.force_login(org_admin)
    page = client.get(reverse("surveys:wave_results", args=[wave.uid])).content.decode()
    assert 'id="too-few"' in page and 'data-code="yes"' not in page
    export = client.get(reverse("surveys:wave_results_export", args=[wave.uid, "csv"]))
    assert len(list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))) == 1  # the header only


def identified(
    world: Any, wave: Wave, answers: list[dict[str, Any]], people: list[Any] | None = None
) -> list[Any]:
    people = people or invite(world, wave, len(answers))
    invitations = {i.participant_id: i for i in Invitation.objects.filter(wave=wave)}
    for person, answer in zip(people, answers, strict=True):
        inv = invitations.get(person.pk) or Invitation.objects.create(
            wave=wave, participant=person, token_hash=f"{wave.pk}-{person.pk}", language="en"
        )
        Response.objects.create(
            wave=wave, invitation=inv, participant=person, answers=answer, submitted_at=timezone.now()
        )
    return people


def test_small_counts_are_hidden_and_the_count_that_would_give_them_away_too(world: Any) -> None:
    """12 answered: 3 yes (<5) and 9 no; with n = 12 shown, 9 would give the 3 away, so it is "[c]"."""
    wave = make_wave(make_survey(world, anonymous=False))
    identified(world, wave, [{"job": "yes", "well": 3}] * 3 + [{"job": "no", "well": 4}] * 9)
    job = next(q for q in wave_results(wave, with_texts=True).questions if q.info.code == "job")
    assert job.table is not None
    assert [(r.code, r.hidden) for r in job.table.rows] == [("yes", "<5"), ("no", "[c]")]
    assert job.table.n == 12 and not job.table.n_hidden
    assert all(r.width == 0 for r in job.table.rows)  # no bar betrays a hidden count
    assert job.table.rows[0].label == "Yes"
    well = next(q for q in wave_results(wave, with_texts=True).questions if q.info.code == "well")
    assert well.table is not None and well.table.mean is None  # 3·a + 4·(12 − a) = 45 would give a = 3


def test_free_text_is_listed_for_coordinators_and_not_for_viewers(
    client: Any, world: Any, uppsala_coordinator: Any, viewer: Any
) -> None:
    wave = make_wave(make_survey(world, anonymous=False))
    identified(world, wave, [{"job": "no", "comment": "The mentor was great"}] * 6)
    url = reverse("surveys:wave_results", args=[wave.uid])
    client.force_login(uppsala_coordinator)
    assert "The mentor was great" in client.get(url).content.decode()
    assert url in client.get(reverse("surveys:wave", args=[wave.uid])).content.decode()
    client.force_login(viewer)
    page = client.get(url)
    assert page.status_code == 200 and "The mentor was great" not in page.content.decode()
    assert "export.csv" not in page.content.decode()
    assert client.get(reverse("surveys:wave_results_export", args=[wave.uid, "csv"])).status_code == 403


def test_another_region_and_another_organisation_get_404(
    client: Any, world: Any, danderyd_coordinator: Any
) -> None:
    wave = make_wave(make_survey(world, anonymous=False))
    client.force_login(danderyd_coordinator)
    assert client.get(reverse("surveys:wave_results", args=[wave.uid])).status_code == 404
    client.force_login(
        world.other_coordinator if hasattr(world, "other_coordinator") else danderyd_coordinator
    )
    assert client.get(reverse("surveys:wave_results_export", args=[wave.uid, "xlsx"])).status_code == 404


def test_breakdown_by_region_for_identified_waves(world: Any) -> None:
    wave = make_wave(make_survey(world, anonymous=False))
    identified(world, wave, [{"job": "yes"}] * 5 + [{"job": "no"}] * 5)
    job = next(q for q in wave_results(wave, with_texts=True).questions if q.info.code == "job")
    uppsala = job.breakdowns["region"]["Uppsala"]
    assert uppsala.n == 10 and [r.count for r in uppsala.rows] == [5, 5]


def test_exports_one_row_per_response_a_codebook_and_spss_labels(
    client: Any, org_admin: Any, ukraine_final: Wave
) -> None:
    client.force_login(org_admin)
    url = reverse("surveys:wave_results_export", args=[ukraine_final.uid, "csv"])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert rows[0] == ["response", "job", "swedish", "well", "comment"]
    assert len(rows) == 95
    assert "'=HYPERLINK(1)" in [r[4] for r in rows]  # a formula stays text
    assert AuditEvent.objects.filter(action="survey.results_exported").count() == 1
    book = load_workbook(io.BytesIO(client.get(url.replace("export.csv", "export.xlsx")).content))
    assert book.sheetnames == ["Responses", "Codebook"]
    codebook = [[c.value for c in r] for r in book["Codebook"].iter_rows()]
    assert ["swedish", "Swedish lessons", "single", "started", 1, "Started"] in codebook
    archive = zipfile.ZipFile(io.BytesIO(client.get(url.replace("export.csv", "export.spss")).content))
    data = list(csv.reader(io.StringIO(archive.read("data.csv").decode())))
    assert data[1][1:3] == ["1", "1"]  # yes = 1, started = 1
    assert '/swedish 1 "Started" 2 "Not yet"' in archive.read("labels.sps").decode()
    assert client.get(url.replace("export.csv", "export.pdf")).status_code == 404


def test_pre_post_change_pairs_the_same_persons(client: Any, org_admin: Any, world: Any) -> None:
    """8 persons: at baseline 2 had a job; at the end 6 (4 no → yes): +50 points."""
    survey = make_survey(world, anonymous=False)
    baseline, final = make_wave(survey, "baseline"), make_wave(survey, "final")
    people = identified(world, baseline, [{"job": "yes", "well": 2}] * 2 + [{"job": "no", "well": 2}] * 6)
    identified(world, final, [{"job": "yes", "well": 4}] * 6 + [{"job": "no", "well": 3}] * 2, people)
    client.force_login(org_admin)
    response = client.get(reverse("surveys:wave_results", args=[final.uid]))
    changes = {c.info.code: c.change for c in response.context["changes"]}
    assert changes["job"].n == 8 and changes["job"].difference == pytest.approx(0.5)
    assert changes["well"].difference == pytest.approx((6 * 2 + 2 * 1) / 8)
    assert 'id="pre-post"' in response.content.decode()


def test_results_of_many_anonymous_responses_count_every_one(world: Any) -> None:
    wave = make_wave(make_survey(world, anonymous=True))
    AnonymousResponse.objects.bulk_create(
        (
            AnonymousResponse(
                wave=wave,
                day=timezone.localdate(),
                answers={"job": "yes" if i % 3 else "no", "swedish": "started", "well": i % 5 + 1},
            )
            for i in range(600)
        ),
        batch_size=2000,
    )
    # (the time for 20,000 responses is measured in bench/bench_surveys.py, not here)
    results = wave_results(wave, with_texts=False, data=read_wave(wave))
    assert results.rate.answered == 600


def test_open_survey_weighted_to_margins_matches_the_hand_worked_example(
    client: Any, org_admin: Any, world: Any
) -> None:
    """The hand-worked raking example of tests/surveystats, twice over: 20 respondents, woman-Sweden 6,
    woman-abroad 6, man-Sweden 4, man-abroad 4; population 50/50 women/men, 70/30 born in Sweden/abroad.
    Weights 7/6, 1/2, 7/4, 3/4; a yes from the six woman-Sweden respondents: 30 % unweighted, 35 % weighted;
    design effect 1.21, effective sample size 20/1.2083 = 16.6. Two more started and stopped at "job"."""
    survey = make_survey(world, anonymous=False)
    gender = Question.objects.create(survey=survey, code="gender", kind="single", position=5)
    for n, code in enumerate(["woman", "man"]):
        Option.objects.create(question=gender, code=code, position=n, texts={"en": code.title()})
    region = Question.objects.create(survey=survey, code="born", kind="single", position=6)
    for n, code in enumerate(["sweden", "abroad"]):
        Option.objects.create(question=region, code=code, position=n, texts={"en": code.title()})
    wave = make_wave(survey, "open")
    cells = [("woman", "sweden", "yes")] * 6 + [("woman", "abroad", "no")] * 6
    cells += [("man", "sweden", "no")] * 4 + [("man", "abroad", "no")] * 4
    now = timezone.now()
    for g, b, job in cells:
        Response.objects.create(
            wave=wave, answers={"gender": g, "born": b, "job": job}, last_question="comment", submitted_at=now
        )
    Response.objects.create(wave=wave, answers={}, last_question="job")
    Response.objects.create(wave=wave, answers={}, last_question="job")
    client.force_login(org_admin)
    url = reverse("surveys:wave_results", args=[wave.uid])
    margins = "gender, woman, 50\ngender, man, 50\nborn, sweden, 0.7\nborn, abroad, 0.3"
    response = client.get(url, {"margins": margins})
    weighted = response.context["weighted"]
    assert weighted.n == 20 and weighted.design_effect == pytest.approx(1.20833, abs=1e-4)
    assert weighted.effective_n == pytest.approx(16.552, abs=1e-2)
    job = dict((info.code, rows) for info, rows in weighted.questions)["job"]
    assert [(r.code, round(r.unweighted, 4), round(r.weighted, 4)) for r in job] == [
        ("yes", 0.3, 0.35),
        ("no", 0.7, 0.65),
    ]
    page = response.content.decode()
    assert "design effect 1.21, effective sample size 17" in page
    assert "20 of 22 answered, 91 %" in page  # 22 started the open survey
    steps = {s.code: (s.reached, s.stopped) for s in response.context["results"].dropoff}
    assert steps["job"] == (22, 2) and steps["swedish"] == (20, 0)
    bad = client.get(url, {"margins": "gender, woman, many"})
    assert "Line 1: “many” is not a number." in bad.content.decode() and "weighted" not in bad.context


def test_results_of_many_open_identified_responses_count_every_one(world: Any) -> None:
    wave = make_wave(make_survey(world, anonymous=False), "open")
    now = timezone.now()
    Response.objects.bulk_create(
        (
            Response(
                wave=wave,
                answers={"job": "yes" if i % 3 else "no", "swedish": "started", "well": i % 5 + 1},
                submitted_at=now,
            )
            for i in range(600)
        ),
        batch_size=2000,
    )
    results = wave_results(wave, with_texts=True)
    job = next(q for q in results.questions if q.info.code == "job")
    assert job.table is not None and job.table.n == 600 and not job.breakdowns  # open: no person, no group
