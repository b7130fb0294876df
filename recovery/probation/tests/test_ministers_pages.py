"""The report to ministers as people use it: the centre generates this fortnight's report and
reads it; the PDF and the spreadsheet really open and carry the figures; a region reads the
national figures and its own region only; a PDU head and the prison side are refused."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from recovery.core.constants import Role
from recovery.core.scope import COMMAND_LINE
from recovery.probation.caseload_factories import make_case, weekly_capacity
from recovery.probation.factories import AgreedRequestFactory, gateway
from recovery.probation.ministers_actions import do_generate_report
from recovery.probation.ministers_models import MinistersReport
from recovery.probation.workstream_models import Workstream, WorkstreamUpdate

pytestmark = pytest.mark.django_db

D = datetime.date


def text(response) -> str:
    body = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def estate(small_estate):
    """Step 3 nationally, Marches region held back at step 2; Wolds region offers 12
    appointments a week against 3 cases of categories 1 to 3; workstream 2 red."""
    today = timezone.localdate()
    gateway(2, D(2020, 6, 29))
    gateway(3, D(2020, 8, 3))
    AgreedRequestFactory(unit=small_estate.region_2, step=2, takes_effect_on=D(2020, 8, 3))
    weekly_capacity(small_estate.office_1, 12, on=today - datetime.timedelta(days=5))
    make_case(small_estate.pdu_1, "X000001", "high", domestic_abuse=True, mode="face_to_face")
    make_case(small_estate.pdu_1, "X000002", "high")
    make_case(small_estate.pdu_1, "X000003", "low")
    make_case(small_estate.pdu_2, "X000004", "medium", child_safeguarding=True)
    WorkstreamUpdate.objects.create(
        workstream=Workstream.objects.get(number=2),
        rag="red",
        summary="Listing backlog in three courts",
        reported_on=today,
        recorded_by_name="Courts lead",
    )
    return small_estate


@pytest.fixture
def signed_in(client, person_with_role):
    def make(role, unit=None, **names):
        client.force_login(person_with_role(role, unit, **names))
        return client

    return make


def test_the_centre_generates_this_fortnights_report_and_reads_it(estate, signed_in):
    client = signed_in(Role.PROBATION_CENTRE, first_name="Cara", last_name="Centre")
    listing = text(client.get(reverse("probation:reports")))
    assert "has not been generated yet" in listing
    assert "Generate this fortnight's report" in listing

    response = client.post(reverse("probation:report-generate"), follow=True)

    report = MinistersReport.objects.get()
    assert response.redirect_chain[-1][0] == reverse("probation:report", args=[report.pk])
    page = text(response)
    assert "Report to ministers for the fortnight from" in page and "generated" in page
    assert "by Cara Centre" in page
    assert "National step Step 3 since 3 August 2020" in page
    assert "Face-to-face appointments a week 12 (offices that count: 1 of 2)" in page
    assert "Demand: cases in categories 1 to 3 3" in page
    assert "Capacity against demand 9 appointments a week spare" in page
    assert "This is the first report: there is no earlier report to compare with." in page
    assert "Marches region 2 Below national 29 June 2020" in page
    assert "Wolds region 1 of 1 12 2 10 1" in page  # offices, capacity, demand, spare, seen
    assert "Marches region 0 of 1 0 1 (1) 0" in page
    assert "Category 1 1 1 0" in page  # caseload, seen face to face, moved this fortnight
    assert "2. Courts Red" in page and "Listing backlog in three courts" in page
    assert "Staffing hours by rung of the staffing hierarchy: not yet reported." in page

    again = text(client.post(reverse("probation:report-generate"), follow=True))
    assert "was already generated on" in again and "by Cara Centre" in again
    assert MinistersReport.objects.count() == 1
    assert "Generate this fortnight's report" not in again


def test_the_pdf_and_the_spreadsheet_open_and_carry_the_figures(estate, signed_in):
    report = do_generate_report(acting_user=COMMAND_LINE)
    client = signed_in(Role.VIEWER)

    response = client.get(reverse("probation:report-pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    pdf = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Report to ministers: fortnight from" in pdf
    assert "Step 3 since 3 August 2020" in pdf
    assert "12 (offices that count: 1 of 2)" in pdf
    assert "9 appointments a week spare" in pdf
    assert "Marches region 2 Below national" in pdf
    assert "Listing backlog in three courts" in pdf
    assert "not yet reported" in pdf

    response = client.get(reverse("probation:report-xlsx", args=[report.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Summary",
        "Steps by region",
        "PDUs apart",
        "Capacity and demand",
        "Categories",
        "Workstreams",
        "Changes",
        "Staffing",
    ]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["National step"] == 3
    assert summary["Face-to-face appointments a week (offices that count)"] == 12
    assert summary["Demand: cases in categories 1 to 3"] == 3
    assert summary["Capacity against demand"] == "9 spare"
    assert summary["Staffing hours by rung"] == "Not yet reported"
    capacity = list(workbook["Capacity and demand"].iter_rows(values_only=True))
    assert capacity[1:] == [
        ("Marches region", 1, 0, 0, 1, -1, 0),
        ("Wolds region", 1, 1, 12, 2, 10, 1),
        ("England and Wales", 2, 1, 12, 3, 9, 1),
    ]
    categories = list(workbook["Categories"].iter_rows(values_only=True))
    assert categories[1] == ("Category 1", 1, 1, 0)
    assert categories[3] == ("Category 3", 1, 0, 0)
    rags = {r[1]: r[2] for r in workbook["Workstreams"].iter_rows(min_row=2, values_only=True)}
    assert rags["Courts"] == "Red" and rags["Victims"] == "Not reported"


def test_a_region_reads_the_national_figures_and_its_own_region_only(estate, signed_in):
    report = do_generate_report(acting_user=COMMAND_LINE)
    client = signed_in(Role.PROBATION_REGION)  # Wolds region

    page = text(client.get(reverse("probation:report", args=[report.pk])))
    assert "Wolds region" in page
    assert "Marches region" not in page
    assert "The rows of 1 other region are outside your scope and not shown." in page
    assert "Demand: cases in categories 1 to 3 3" in page  # national figures stay
    assert "Generate this fortnight's report" not in text(client.get(reverse("probation:reports")))
    assert client.post(reverse("probation:report-generate")).status_code == 403

    xlsx = load_workbook(
        io.BytesIO(client.get(reverse("probation:report-xlsx", args=[report.pk])).content)
    )
    regions = [r[0] for r in xlsx["Steps by region"].iter_rows(min_row=2, values_only=True)]
    assert regions == ["Wolds region"]
    pdf = client.get(reverse("probation:report-pdf", args=[report.pk])).content
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Wolds region" in pdf_text and "Marches region" not in pdf_text


@pytest.mark.parametrize("role", [Role.PDU_HEAD, Role.GOVERNOR, Role.CENTRAL_PANEL])
def test_pdu_heads_and_the_prison_side_are_refused(estate, signed_in, role):
    report = do_generate_report(acting_user=COMMAND_LINE)
    client = signed_in(role)
    for name, args in (
        ("probation:reports", []),
        ("probation:report", [report.pk]),
        ("probation:report-pdf", [report.pk]),
        ("probation:report-xlsx", [report.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403


def test_the_steps_page_links_to_the_reports_for_their_readers(estate, signed_in):
    assert "Fortnightly reports to ministers" in text(signed_in(Role.VIEWER).get("/probation/"))
    pdu_head = text(signed_in(Role.PDU_HEAD).get("/probation/"))
    assert "Fortnightly reports to ministers" not in pdu_head


def test_a_viewer_held_at_a_prison_group_is_refused(estate, signed_in):
    report = do_generate_report(acting_user=COMMAND_LINE)
    client = signed_in(Role.VIEWER, estate.group_1)
    assert client.get(reverse("probation:report", args=[report.pk])).status_code == 403


def test_the_home_page_says_whether_this_fortnights_report_is_made(estate, signed_in):
    centre = signed_in(Role.PROBATION_CENTRE)
    assert "This fortnight's report (" in text(centre.get("/"))
    assert "has not been generated yet: generate it" in text(centre.get("/"))

    do_generate_report(acting_user=COMMAND_LINE)

    home = text(centre.get("/"))
    assert "was generated on" in home and "read the report to ministers" in home
    pdu_head = text(signed_in(Role.PDU_HEAD).get("/"))
    assert "Report to ministers" not in pdu_head
