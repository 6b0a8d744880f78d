"""The survey builder (issue #14): services, refusals naming the field, conditions, opening only when every
text is translated, the bank, and the staff pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kompis.audit.models import AuditEvent
from kompis.surveys import builder
from kompis.surveys.builder import BuilderError, OptionData, QuestionData, SurveyData
from kompis.surveys.models import BankQuestion, Question, Survey

BOTH = {"sv": {"title": "Uppföljning"}, "en": {"title": "Follow-up"}}


def make_survey(world, **kw) -> Survey:
    data = SurveyData(name="Final survey", languages=["sv", "en"], region=world.uppsala, texts=BOTH, **kw)
    return builder.create_survey(actor=world.admin, organisation=world.org, data=data)


def job(**kw) -> QuestionData:
    values = {
        "code": "job",
        "kind": "single",
        "texts": {"sv": {"text": "Har du jobb?"}, "en": {"text": "Do you have a job?"}},
        "options": [
            OptionData("yes", {"sv": "Ja", "en": "Yes"}),
            OptionData("no", {"sv": "Nej", "en": "No"}),
        ],
    }
    values.update(kw)
    return QuestionData(**values)


def test_create_survey_keeps_languages_in_site_order_and_logs(world):
    survey = make_survey(world)
    assert survey.languages == ["sv", "en"]
    assert AuditEvent.objects.filter(action="survey.created", object_id=str(survey.uid)).exists()


def test_create_survey_refuses_no_languages_naming_the_field(world):
    with pytest.raises(BuilderError) as e:
        builder.create_survey(
            actor=world.admin, organisation=world.org, data=SurveyData(name="X", languages=[])
        )
    assert e.value.field == "languages"
    assert not Survey.objects.exists()


def test_an_anonymous_survey_needs_groups_of_at_least_the_suppression_threshold(world, settings):
    """Anonymous responses are written in batches of k_min: a batch of 1 would be written as it is sent."""
    settings.SUPPRESSION_K = 5
    with pytest.raises(BuilderError) as e:
        builder.create_survey(
            actor=world.admin,
            organisation=world.org,
            data=SurveyData(name="X", languages=["sv"], anonymous=True, k_min=2),
        )
    assert e.value.field == "k_min" and not Survey.objects.exists()
    survey = builder.create_survey(
        actor=world.admin, organisation=world.org, data=SurveyData(name="Y", languages=["sv"], k_min=2)
    )
    assert (
        survey.k_min == 2
    )  # an identified survey may show smaller groups (its results are protected anyway)


def test_question_code_once_per_survey(world):
    survey = make_survey(world)
    builder.add_question(actor=world.admin, survey=survey, data=job())
    with pytest.raises(BuilderError) as e:
        builder.add_question(actor=world.admin, survey=survey, data=job())
    assert e.value.field == "code"
    assert survey.questions.count() == 1


def test_choice_question_needs_options(world):
    survey = make_survey(world)
    with pytest.raises(BuilderError) as e:
        builder.add_question(actor=world.admin, survey=survey, data=job(options=[]))
    assert e.value.field == "options"


def test_condition_on_earlier_question_only(world):
    survey = make_survey(world)
    a = builder.add_question(actor=world.admin, survey=survey, data=job())
    b = builder.add_question(
        actor=world.admin,
        survey=survey,
        data=QuestionData(code="since", kind="date", show_if=a, show_if_value="yes"),
    )
    assert b.show_if == a and b.show_if_value == "yes"
    # a condition on an answer the question does not have
    with pytest.raises(BuilderError) as e:
        builder.add_question(
            actor=world.admin,
            survey=survey,
            data=QuestionData(code="c", kind="text", show_if=a, show_if_value="maybe"),
        )
    assert e.value.field == "show_if_value"
    # A on B, where B comes after A (and depends on A): refused, nothing changed
    with pytest.raises(BuilderError) as e:
        builder.edit_question(actor=world.admin, question=a, data=job(show_if=b, show_if_value="2026-01-01"))
    assert e.value.field == "show_if"
    a.refresh_from_db()
    assert a.show_if is None


def test_condition_on_a_later_page_is_refused(world):
    survey = make_survey(world)
    later = builder.add_question(actor=world.admin, survey=survey, data=job(page=2))
    with pytest.raises(BuilderError) as e:
        builder.add_question(
            actor=world.admin,
            survey=survey,
            data=QuestionData(code="first", kind="text", page=1, show_if=later, show_if_value="yes"),
        )
    assert e.value.field == "show_if"


def test_moving_a_question_above_its_condition_drops_the_condition(world):
    survey = make_survey(world)
    a = builder.add_question(actor=world.admin, survey=survey, data=job())
    b = builder.add_question(
        actor=world.admin,
        survey=survey,
        data=QuestionData(code="b", kind="text", show_if=a, show_if_value="yes"),
    )
    builder.move_question(actor=world.admin, question=b, up=True)
    order = list(survey.questions.order_by("page", "position").values_list("code", flat=True))
    assert order == ["b", "job"]
    b.refresh_from_db()
    assert b.show_if is None


def test_open_is_refused_with_the_missing_translations(world):
    survey = make_survey(world)
    builder.add_question(
        actor=world.admin,
        survey=survey,
        data=QuestionData(
            code="swedish",
            kind="likert5",
            texts={
                "sv": {"text": "Hur bra?", "low": "Dåligt", "high": "Bra"},
                "en": {"text": "How good?", "low": "Bad"},
            },
        ),
    )
    builder.add_question(
        actor=world.admin,
        survey=survey,
        data=job(options=[OptionData("yes", {"sv": "Ja", "en": "Yes"}), OptionData("no", {"sv": "Nej"})]),
    )
    with pytest.raises(BuilderError) as e:
        builder.open_survey(actor=world.admin, survey=survey)
    assert "swedish: highest label (en)" in e.value.message
    assert "job: option no (en)" in e.value.message
    assert "(sv)" not in e.value.message
    survey.refresh_from_db()
    assert survey.status == "draft"


def test_open_and_close_when_complete(world):
    survey = make_survey(world)
    builder.add_question(actor=world.admin, survey=survey, data=job())
    builder.open_survey(actor=world.admin, survey=survey)
    survey.refresh_from_db()
    assert survey.status == "open"
    with pytest.raises(BuilderError):  # an open survey's questions stay as they are
        builder.add_question(actor=world.admin, survey=survey, data=job(code="other"))
    builder.close_survey(actor=world.admin, survey=survey)
    survey.refresh_from_db()
    assert survey.status == "closed"


def test_bank_round_trip(world):
    survey = make_survey(world)
    q = builder.add_question(actor=world.admin, survey=survey, data=job())
    bank = builder.add_to_bank(actor=world.admin, question=q, indicator="Has a job")
    assert bank.code == "job" and [o["code"] for o in bank.options] == ["yes", "no"]
    other = make_survey(world)
    copy = builder.add_from_bank(actor=world.admin, survey=other, bank=bank)
    assert copy.bank_question == bank
    assert list(copy.options.values_list("code", flat=True)) == ["yes", "no"]
    assert copy.texts["en"]["text"] == "Do you have a job?"


def test_delete_question_releases_its_dependants(world):
    survey = make_survey(world)
    a = builder.add_question(actor=world.admin, survey=survey, data=job())
    b = builder.add_question(
        actor=world.admin,
        survey=survey,
        data=QuestionData(code="b", kind="text", show_if=a, show_if_value="yes"),
    )
    builder.delete_question(actor=world.admin, question=a)
    b.refresh_from_db()
    assert b.show_if is None and b.show_if_value == ""


# pages


def test_coordinator_builds_a_survey_in_two_languages(client, world):
    client.force_login(world.uppsala_coordinator)
    response = client.post(
        reverse("surveys:new"),
        {
            "name": "Uppsala final",
            "languages": ["sv", "ar"],
            "k_min": "5",
            "region": world.uppsala.pk,
            "title_sv": "Slutenkät",
            "title_ar": "الاستبيان",
        },
    )
    survey = Survey.objects.get(name="Uppsala final")
    assert response.status_code == 302
    response = client.post(
        reverse("surveys:question_new", args=[survey.uid]),
        {
            "kind": "single",
            "code": "job",
            "page": "1",
            "option_codes": "yes\nno",
            "text_sv": "Har du jobb?",
            "options_sv": "Ja\nNej",
            "text_ar": "هل لديك عمل؟",
            "options_ar": "نعم",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("surveys:translations", args=[survey.uid])).content.decode()
    assert "job: option no" in page and "Missing" in page
    response = client.post(reverse("surveys:open", args=[survey.uid]), follow=True)
    assert "job: option no (ar)" in response.content.decode()
    q = Question.objects.get(survey=survey)
    response = client.post(
        reverse("surveys:question_edit", args=[q.uid]),
        {
            "kind": "single",
            "code": "job",
            "page": "1",
            "option_codes": "yes\nno",
            "text_sv": "Har du jobb?",
            "options_sv": "Ja\nNej",
            "text_ar": "هل لديك عمل؟",
            "options_ar": "نعم\nلا",
        },
    )
    assert response.status_code == 302
    client.post(reverse("surveys:open", args=[survey.uid]))
    survey.refresh_from_db()
    assert survey.status == "open"


def test_question_form_names_the_field_of_a_clash(client, world):
    survey = make_survey(world)
    builder.add_question(actor=world.admin, survey=survey, data=job())
    client.force_login(world.admin)
    response = client.post(
        reverse("surveys:question_new", args=[survey.uid]),
        {"kind": "yes_no", "code": "job", "page": "1", "text_sv": "x", "text_en": "x"},
    )
    assert response.status_code == 200
    assert "another question of this survey has the code job" in response.content.decode()
    assert survey.questions.count() == 1


def test_coordinator_must_choose_a_region_or_project(client, world):
    client.force_login(world.uppsala_coordinator)
    response = client.post(reverse("surveys:new"), {"name": "No scope", "languages": ["sv"], "k_min": "5"})
    assert response.status_code == 200
    assert not Survey.objects.exists()


def test_organisation_wide_survey_is_seen_by_every_coordinator(client, world):
    survey = builder.create_survey(
        actor=world.admin, organisation=world.org, data=SurveyData(name="Everyone", languages=["sv"])
    )
    client.force_login(world.danderyd_coordinator)
    page = client.get(reverse("surveys:survey", args=[survey.uid]))
    assert page.status_code == 200
    assert reverse("surveys_public:preview", args=[survey.uid]) + "?lang=sv" in page.content.decode()
    client.force_login(world.other_coordinator)
    assert client.get(reverse("surveys:survey", args=[survey.uid])).status_code == 404


def test_bank_add_of_another_organisations_question_is_404(client, world):
    survey = make_survey(world)
    foreign = BankQuestion.objects.create(organisation=world.other_org, code="job", kind="yes_no")
    client.force_login(world.admin)
    response = client.post(reverse("surveys:bank_add", args=[survey.uid]), {"bank": foreign.code})
    assert response.status_code == 404
    assert not survey.questions.exists()


def test_list_shows_a_coordinators_own_and_organisation_wide_surveys(client, world):
    for name, region in (
        ("Uppsala only", world.uppsala),
        ("Danderyd only", world.danderyd),
        ("Whole-org survey", None),
    ):
        builder.create_survey(
            actor=world.admin,
            organisation=world.org,
            data=SurveyData(name=name, languages=["sv"], region=region),
        )
    client.force_login(world.uppsala_coordinator)
    html = client.get(reverse("surveys:list")).content.decode()
    assert "Uppsala only" in html and "Whole-org survey" in html
    assert "Danderyd only" not in html
    client.force_login(world.viewer)
    assert client.get(reverse("surveys:list")).status_code == 403
