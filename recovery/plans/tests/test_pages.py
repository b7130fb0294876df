"""The plan pages as people use them: scope, the answer form, stale edits, the round trip, the
group and national views, and a fixed number of queries."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from recovery.core.constants import Role
from recovery.core.testing import form_as_shown
from recovery.frameworks.constants import Autonomy
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, answer, make_edm_version, response_for, start_plan
from recovery.plans.models import Plan


def _signed_in(client, person):
    client.force_login(person)
    return client


def test_plan_page_groups_work_by_weighting_and_shows_what_waits(
    client, adult_plan, person_with_role
):
    _signed_in(client, person_with_role(Role.GOVERNOR))
    answer(response_for(adult_plan, "1.1"), status=ResponseStatus.MET, compliance_confirmed=True)
    page = client.get("/plans/EST1/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Weighting 3: precursors" in html
    # 1.2 (weight 3) is still to do, so 2.1 (weight 2) waits on it.
    assert "Weighting 2: part of wider work – 1 to do, waiting on precursors" in html
    # 1.1 met (weight 3) out of 3+3+2+1 mandatory weight.
    assert "33%" in html and "(3 of 9 weight met)" in html


def test_plan_page_has_a_bounded_number_of_queries(
    client, small_estate, person_with_role, django_assert_max_num_queries
):
    for number in range(1, 6):
        make_edm_version(
            900 + number,
            [
                B(
                    f"{n // 10 + 1}.{n % 10 + 1}",
                    (n % 3) + 1,
                    area=str(n // 10 + 1),
                    autonomy=Autonomy.PARTIAL if n % 5 == 0 else Autonomy.TOTAL,
                    options=["A", "B"] if n % 5 == 0 else [],
                )
                for n in range(40)
            ],
        )
    plan = start_plan(small_estate.establishment_1)
    assert plan.responses.count() == 200
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    with django_assert_max_num_queries(20):
        response = client.get("/plans/EST1/")
    assert response.status_code == 200


def test_another_establishments_plan_is_not_found(
    client, small_estate, adult_plan, person_with_role
):
    _signed_in(client, person_with_role(Role.GOVERNOR, small_estate.establishment_2))
    assert client.get("/plans/EST1/").status_code == 404
    assert client.get("/plans/EST1/export/").status_code == 404


def test_pgd_reads_their_groups_plans_only(client, small_estate, adult_plan, person_with_role):
    _signed_in(client, person_with_role(Role.PGD))
    assert client.get("/plans/EST1/").status_code == 200
    assert client.get("/plans/EST2/").status_code == 404
    group = client.get("/plans/groups/GRP1/").content.decode()
    assert "HMP Ashgrove" in group and "HMP Birchwood" not in group
    assert client.get("/plans/groups/GRP2/").status_code == 404
    assert client.get("/plans/national/").status_code == 404


def test_trade_union_rep_reads_but_cannot_answer(client, adult_plan, person_with_role):
    _signed_in(client, person_with_role(Role.TRADE_UNION_REP))
    assert client.get("/plans/EST1/").status_code == 200
    response = response_for(adult_plan, "2.1")
    html = client.get(f"/plans/EST1/answer/?response={response.pk}").content.decode()
    assert "Baseline 2.1" in html and "Save answer" not in html
    sent = client.post("/plans/EST1/answer/", _form(response, owner="Someone else"))
    assert sent.status_code == 404


def test_centre_sees_the_national_view_and_exports_it(
    client, small_estate, adult_plan, person_with_role
):
    _signed_in(client, person_with_role(Role.CENTRAL_PANEL))
    html = client.get("/plans/national/").content.decode()
    assert "HMP Ashgrove" in html and "HMP Birchwood" in html and "No plan yet" in html
    export = client.get("/plans/national/?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["EST1"][3] == 3
    assert rows["EST2"][3] == "No plan yet"


def test_starting_a_plan_from_the_page(client, small_estate, visits_edm, person_with_role):
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    empty = client.post("/plans/EST1/start/", {})
    assert "Select the stage the plan is for" in empty.content.decode()
    page = client.post("/plans/EST1/start/", {"stage": "3"}, follow=True)
    assert "The plan for stage 3 has been started with 5 baselines to answer." in (
        page.content.decode()
    )
    assert Plan.objects.filter(establishment=small_estate.establishment_1).count() == 1


def _form(response, **changes):
    data = {
        "response": response.pk,
        "version": response.version,
        "status": response.status,
        "approach": "",
        "owner": "",
        "target_day": "",
        "target_month": "",
        "target_year": "",
    }
    data.update(changes)
    return data


def test_answering_a_baseline(client, adult_plan, person_with_role):
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    response = response_for(adult_plan, "2.1")
    page = client.post(
        "/plans/EST1/answer/",
        _form(
            response,
            status="in_progress",
            owner="Head of Residence",
            target_day="31",
            target_month="3",
            target_year="2021",
        ),
        follow=True,
    )
    assert "Your answer to baseline 2.1 has been saved." in page.content.decode()
    response.refresh_from_db()
    assert (response.status, response.owner, str(response.target_date)) == (
        "in_progress",
        "Head of Residence",
        "2021-03-31",
    )


def test_bad_date_is_shown_with_the_input_kept(client, adult_plan, person_with_role):
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    response = response_for(adult_plan, "2.1")
    page = client.post(
        "/plans/EST1/answer/",
        _form(
            response,
            owner="Head of Residence",
            target_day="31",
            target_month="2",
            target_year="2021",
        ),
    )
    html = page.content.decode()
    assert "Target date must be a real date" in html
    assert 'value="Head of Residence"' in html


def test_mandatory_baseline_offers_no_not_applicable(client, adult_plan, person_with_role):
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    response = response_for(adult_plan, "2.1")
    html = client.get(f"/plans/EST1/answer/?response={response.pk}").content.decode()
    assert 'value="not_applicable"' not in html
    page = client.post("/plans/EST1/answer/", _form(response, status="not_applicable"))
    assert "Select the status of this baseline" in page.content.decode()


def test_stale_edit_is_refused_on_the_page(client, adult_plan, person_with_role):
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    response = response_for(adult_plan, "2.1")
    opened = _form(response, owner="Deputy Governor")
    answer(response_for(adult_plan, "2.1"), owner="Head of Residence")
    page = client.post("/plans/EST1/answer/", opened)
    html = page.content.decode()
    assert "Your changes have not been saved" in html
    assert "Head of Residence" in html  # what the other person saved
    assert 'value="Deputy Governor"' in html  # the person's own input kept
    response.refresh_from_db()
    assert response.owner == "Head of Residence"


def test_after_a_stale_refusal_sending_the_answer_again_keeps_the_other_persons_approach(
    client, adult_plan, person_with_role
):
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    response = response_for(adult_plan, "2.1")
    url = f"/plans/EST1/answer/?response={response.pk}"
    opened = form_as_shown(client.get(url).content)
    answer(response_for(adult_plan, "2.1"), approach="Visits restart in the sports hall.")

    refused = client.post(
        "/plans/EST1/answer/",
        {
            **opened,
            "owner": "Deputy Governor",
            **{"target_day": "30", "target_month": "6", "target_year": "2027"},
        },
    )

    html = refused.content.decode()
    assert "Your changes have not been saved" in html
    shown = form_as_shown(html)
    # What they changed is kept; what they did not touch shows the other person's value.
    assert shown["owner"] == "Deputy Governor"
    assert (shown["target_day"], shown["target_month"], shown["target_year"]) == (
        "30",
        "6",
        "2027",
    )
    assert shown["approach"] == "Visits restart in the sports hall."
    client.post("/plans/EST1/answer/", shown)
    response.refresh_from_db()
    assert response.owner == "Deputy Governor"
    assert response.target_date == datetime.date(2027, 6, 30)
    assert response.approach == "Visits restart in the sports hall."


def test_a_field_both_people_changed_keeps_the_persons_value_beside_the_other_one(
    client, adult_plan, person_with_role
):
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    response = response_for(adult_plan, "2.1")
    opened = form_as_shown(client.get(f"/plans/EST1/answer/?response={response.pk}").content)
    answer(response_for(adult_plan, "2.1"), approach="Sports hall.", owner="Head of Residence")

    refused = client.post("/plans/EST1/answer/", {**opened, "approach": "Chapel."})

    html = refused.content.decode()
    shown = form_as_shown(html)
    assert shown["approach"] == "Chapel." and shown["owner"] == "Head of Residence"
    assert "Sports hall." in html  # in the table of what the other person changed
    client.post("/plans/EST1/answer/", shown)
    response.refresh_from_db()
    assert (response.approach, response.owner) == ("Chapel.", "Head of Residence")


def test_adding_a_document_of_the_wrong_type(client, adult_plan, person_with_role):
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    response = response_for(adult_plan, "2.1")
    page = client.post(
        "/plans/EST1/evidence/add/",
        {
            "response": response.pk,
            "kind": "file",
            "file": SimpleUploadedFile("tool.exe", b"MZ"),
        },
    )
    assert "The file must be a CSV, DOCX, JPEG, JPG, ODT, PDF, PNG, TXT or XLSX file" in (
        page.content.decode()
    )


def test_document_evidence_can_be_downloaded(client, adult_plan, person_with_role):
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    response = response_for(adult_plan, "2.1")
    client.post(
        "/plans/EST1/evidence/add/",
        {
            "response": response.pk,
            "kind": "file",
            "file": SimpleUploadedFile("risk.pdf", b"%PDF-1.4"),
        },
    )
    evidence = response.evidence.get()
    download = client.get(f"/plans/EST1/evidence/?evidence={evidence.pk}")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == b"%PDF-1.4"


def test_uploading_a_bad_plan_lists_the_problems(client, adult_plan, person_with_role):
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    workbook = load_workbook(io.BytesIO(client.get("/plans/EST1/export/").content))
    workbook["EDM 901"]["H4"] = "Finished"
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = client.post(
        "/plans/EST1/import/",
        {
            "stage": "3",
            "file": SimpleUploadedFile("plan.xlsx", buffer.getvalue()),
        },
    )
    html = page.content.decode()
    assert "The file has 1 problem. Nothing has been changed." in html
    assert "&#x27;Finished&#x27; is not a status." in html


def test_uploading_a_good_plan(client, adult_plan, person_with_role):
    _signed_in(client, person_with_role(Role.ESTABLISHMENT_EDITOR))
    workbook = load_workbook(io.BytesIO(client.get("/plans/EST1/export/").content))
    workbook["EDM 901"]["H4"] = "In progress"
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = client.post(
        "/plans/EST1/import/",
        {
            "stage": "3",
            "file": SimpleUploadedFile("plan.xlsx", buffer.getvalue()),
        },
        follow=True,
    )
    assert "The spreadsheet has been loaded: 1 answer changed." in page.content.decode()
    assert response_for(adult_plan, "2.1").status == ResponseStatus.IN_PROGRESS


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CENTRAL_PANEL])
def test_readers_see_the_plan_without_edit_links(client, adult_plan, person_with_role, role):
    _signed_in(client, person_with_role(role))
    html = client.get("/plans/EST1/").content.decode()
    assert "Regime Recovery Plan of HMP Ashgrove" in html
    # Every answer can be read, from its baseline number; nothing can be changed.
    assert f'href="/plans/EST1/answer/?response={response_for(adult_plan, "2.1").pk}"' in html
    assert "Upload a completed spreadsheet" not in html
    assert "Start the plan" not in html
