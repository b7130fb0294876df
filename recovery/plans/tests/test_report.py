"""The plan report: the whole plan as one PDF, read back as text."""

import datetime
import io
import re

from pypdf import PdfReader

from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.plans.actions import do_add_evidence
from recovery.plans.constants import EvidenceKind, ResponseStatus
from recovery.plans.factories import answer, response_for


def _text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_report_covers_progress_the_work_list_and_every_answer(
    client, small_plan, person_with_role
):
    answer(
        response_for(small_plan, "1.2"),
        approach="Reopen the gym in two bubbles",
        owner="Head of Residence",
        target_date=datetime.date(2020, 1, 31),
    )
    do_add_evidence(
        response_for(small_plan, "1.1"),
        kind=EvidenceKind.NOTE,
        note="Risk assessment signed off",
        acting_user=TEST_DATA,
    )
    client.force_login(person_with_role(Role.GOVERNOR))
    plan_page = client.get("/plans/EST1/").content.decode()
    assert 'href="/plans/EST1/report.pdf?stage=3"' in plan_page

    response = client.get("/plans/EST1/report.pdf?stage=3")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "RRP-EST1-stage-3.pdf" in response["Content-Disposition"]
    text = _text(response.content)
    # Cover: the figures worked out by hand for small_plan (see test_rollup).
    assert "Recovery plan for stage 3" in text
    assert "EDM 903: Gym 67% (4 of 6 weight met) 100% (1 of 1 weight met)" in text
    assert "EDM 903, area 1. Area 1 60% (3 of 5 weight met) Nothing applies" in text
    # Work list: 1.2 is the only outstanding baseline, and it is overdue and next.
    assert "Overdue (1) EDM Baseline Status Owner Target date 903 1.2" in text
    assert "Head of Residence 31 Jan 2020" in text
    assert "Next and waiting on precursors, by EDM EDM Next Waiting on precursors 903 1.2 –" in text
    # Every answer with its approach, owner, date, option and evidence.
    for number in ("1.1", "1.2", "2.1", "2.2", "2.3"):
        assert f"Requirement {number} of EDM 903" in text
    assert "Approach: Reopen the gym in two bubbles" in text
    assert "Owner: Head of Residence. Target date: 31 January 2020." in text
    assert "Evidence: Risk assessment signed off." in text
    assert "Why it does not apply: No sports hall on this site" in text
    # One paragraph an answer, under its weighting group as on the plan page, its parts
    # ending in full stops.
    assert (
        "Weighting 2: part of wider work – 1 to do, next "
        "1.2 Mandatory. Requirement 1.2 of EDM 903. Status: in progress, overdue. "
        "Approach: Reopen the gym in two bubbles. Owner: Head of Residence. "
        "Target date: 31 January 2020. Evidence: none."
    ) in text
    assert "1.1 Mandatory. Requirement 1.1 of EDM 903. Status: met. Owner: none named. " in text
    assert "Target date: none set. Evidence: Risk assessment signed off." in text
    assert "2.2 Desirable. Requirement 2.2 of EDM 903. Status: met. No owner, target" in text


def test_the_work_list_names_what_waits_on_precursors_by_edm(client, small_plan, person_with_role):
    # 1.1 (weighting 3) back in progress: it is next, and 1.2 (weighting 2) waits on it.
    answer(response_for(small_plan, "1.1"), status=ResponseStatus.IN_PROGRESS)
    client.force_login(person_with_role(Role.GOVERNOR))

    text = _text(client.get("/plans/EST1/report.pdf?stage=3").content)

    assert "1 next, 1 waiting on precursors, 0 overdue against their target date." in text
    work = "Next and waiting on precursors, by EDM EDM Next Waiting on precursors 903 1.1 1.2"
    assert work in text
    assert "Overdue (" not in text
    assert "Weighting 3: precursors – 1 to do, next 1.1 Mandatory." in text
    assert "Weighting 2: part of wider work – 1 to do, waiting on precursors 1.2 Mandatory." in text


def test_someone_from_another_establishment_cannot_read_the_report(
    client, small_estate, small_plan, person_with_role
):
    client.force_login(person_with_role(Role.GOVERNOR, small_estate.establishment_2))
    assert client.get("/plans/EST1/report.pdf").status_code == 404


def test_an_answer_s_parts_end_in_one_full_stop_and_stay_escaped():
    from django.template import Context, Template

    template = Template("{% load plan_report %}{{ text|sentence }}|{{ names|join:'; '|sentence }}")

    def render(text, names=("a",)):
        return template.render(Context({"text": text, "names": list(names)}))

    assert render("Reopen the gym") == "Reopen the gym.|a."
    assert render("Reopen the gym. ") == "Reopen the gym.|a."
    assert render("Why not?") == "Why not?|a."
    assert render("") == "|a."
    assert render("<b>Gym</b> & pool", ["R&D note."]) == (
        "&lt;b&gt;Gym&lt;/b&gt; &amp; pool.|R&amp;D note."
    )
