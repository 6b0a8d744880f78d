"""A survey's definition as JSON (issue #14): export → import gives the same survey; a bad document is
refused with the path of the fault and nothing is written."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.urls import reverse

from kompis.surveys import builder
from kompis.surveys.builder import OptionData, QuestionData, SurveyData
from kompis.surveys.definition import (
    DefinitionError,
    export_definition,
    import_definition,
    validate_definition,
)
from kompis.surveys.models import BankQuestion, Question, Survey


@pytest.fixture
def survey(world) -> Survey:
    s = builder.create_survey(
        actor=world.admin,
        organisation=world.org,
        data=SurveyData(
            name="Ukraine final",
            languages=["en", "uk"],
            anonymous=True,
            k_min=7,
            texts={
                "en": {"title": "Final survey", "thanks": "Thank you"},
                "uk": {"title": "Підсумкове опитування"},
            },
        ),
    )
    job = builder.add_question(
        actor=world.admin,
        survey=s,
        data=QuestionData(
            code="job",
            kind="single",
            required=True,
            texts={"en": {"text": "Do you have a job?"}, "uk": {"text": "Чи маєте ви роботу?"}},
            options=[
                OptionData("yes", {"en": "Yes", "uk": "Так"}),
                OptionData("no", {"en": "No", "uk": "Ні"}),
            ],
        ),
    )
    builder.add_to_bank(actor=world.admin, question=job, indicator="Has a job")
    builder.add_question(
        actor=world.admin,
        survey=s,
        data=QuestionData(code="since", kind="date", page=2, show_if=job, show_if_value="yes"),
    )
    builder.add_question(
        actor=world.admin,
        survey=s,
        data=QuestionData(
            code="swedish",
            kind="likert5",
            page=2,
            texts={"en": {"text": "Your Swedish?", "low": "None", "high": "Fluent", "help": "Be honest"}},
        ),
    )
    return s


def test_round_trip_is_equal(world, survey):
    doc = export_definition(survey)
    copy_ = import_definition(
        actor=world.other_coordinator, organisation=world.other_org, doc=json.loads(json.dumps(doc))
    )
    assert copy_.pk != survey.pk and copy_.status == "draft"
    again = export_definition(copy_)
    assert again == doc
    since = Question.objects.get(survey=copy_, code="since")
    assert since.show_if is not None and since.show_if.code == "job" and since.show_if.survey == copy_
    # the bank code brings the question into the other organisation's bank
    bank = BankQuestion.objects.get(organisation=world.other_org, code="job")
    assert bank.indicator == "Has a job"


def test_import_links_an_existing_bank_question(world, survey):
    doc = export_definition(survey)
    copy_ = import_definition(actor=world.admin, organisation=world.org, doc=doc)
    assert BankQuestion.objects.filter(organisation=world.org).count() == 1
    assert (
        Question.objects.get(survey=copy_, code="job").bank_question
        == Question.objects.get(survey=survey, code="job").bank_question
    )


@pytest.mark.parametrize(
    "change, path, problem",
    [
        (lambda d: d.pop("format"), "format", "must be"),
        (lambda d: d.update(version=2), "version", "must be 1"),
        (lambda d: d.update(languages=["sv", "de"]), "languages[1]", "unknown language"),
        (lambda d: d["questions"][0]["options"][1].pop("code"), "questions[0].options[1].code", "missing"),
        (
            lambda d: d["questions"][0]["options"][1].update(code="yes"),
            "questions[0].options[1].code",
            "earlier",
        ),
        (lambda d: d["questions"][2].update(code="job"), "questions[2].code", "used by an earlier question"),
        (
            lambda d: d["questions"][1]["show_if"].update(question="swedish"),
            "questions[1].show_if.question",
            "earlier",
        ),
        (
            lambda d: d["questions"][1]["show_if"].update(value="maybe"),
            "questions[1].show_if.value",
            "option code",
        ),
        (lambda d: d["questions"][2].update(kind="slider"), "questions[2].kind", "unknown kind"),
        (
            lambda d: d["questions"][2]["texts"]["en"].update(colour="red"),
            "questions[2].texts.en.colour",
            "unknown",
        ),
        (lambda d: d["questions"][0].update(options=[]), "questions[0].options", "needs options"),
        (lambda d: d.update(k_min=0), "k_min", "whole number"),
    ],
)
def test_bad_document_names_the_path_and_writes_nothing(world, survey, change, path, problem):
    doc = copy.deepcopy(export_definition(survey))
    change(doc)
    before = (Survey.objects.count(), Question.objects.count(), BankQuestion.objects.count())
    with pytest.raises(DefinitionError) as e:
        import_definition(actor=world.admin, organisation=world.org, doc=doc)
    assert e.value.path == path
    assert problem in e.value.problem
    assert (Survey.objects.count(), Question.objects.count(), BankQuestion.objects.count()) == before


def test_validate_accepts_the_export(survey):
    assert validate_definition(export_definition(survey))["name"] == "Ukraine final"


def test_export_and_import_pages(client, world, survey):
    client.force_login(world.admin)
    response = client.get(reverse("surveys:export", args=[survey.uid]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    doc = json.loads(response.content)
    assert doc["questions"][0]["texts"]["uk"]["text"] == "Чи маєте ви роботу?"
    client.force_login(world.other_coordinator)
    upload = io.BytesIO(json.dumps(doc).encode())
    upload.name = "survey.json"
    # a coordinator's import is in one of their regions or projects
    response = client.post(reverse("surveys:import"), {"file": upload})
    assert response.status_code == 400
    assert not Survey.objects.filter(organisation=world.other_org).exists()
    upload.seek(0)
    region = world.other_coordinator.regions.get()
    response = client.post(reverse("surveys:import"), {"file": upload, "region": region.pk})
    assert response.status_code == 302
    assert Survey.objects.get(organisation=world.other_org, name="Ukraine final").region == region


def test_import_page_names_the_fault(client, world, survey):
    doc = export_definition(survey)
    doc["questions"][0]["options"][1].pop("code")
    client.force_login(world.admin)
    upload = io.BytesIO(json.dumps(doc).encode())
    upload.name = "survey.json"
    before = Survey.objects.count()
    response = client.post(reverse("surveys:import"), {"file": upload})
    assert response.status_code == 400
    assert "questions[0].options[1].code: missing" in response.content.decode()
    assert Survey.objects.count() == before
    bad = io.BytesIO(b"{not json")
    bad.name = "x.json"
    assert "not JSON" in client.post(reverse("surveys:import"), {"file": bad}).content.decode()
