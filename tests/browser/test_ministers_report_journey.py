"""The fortnightly report to ministers in Chromium, signed in through the real form, with axe
(WCAG 2.2 AA) and the 375 px check on every page seen: the probation centre finds this
fortnight's report not yet made on its home page, generates it, reads it and downloads it as a
PDF and a spreadsheet; a region reads its own region's rows."""

import datetime

import pytest
from django.utils import timezone

from recovery.core.constants import Role
from recovery.probation.caseload_factories import make_case, weekly_capacity
from recovery.probation.factories import gateway
from tests.browser.helpers import Visit, build_estate, page_text, person, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_centre_generates_reads_and_downloads_the_report(new_page, tmp_path):
    estate = build_estate()
    person(Role.PROBATION_CENTRE, estate.nation, "cora.centre@example.org", "Cora", "Centre")
    person(Role.PROBATION_REGION, estate.region_1, "rhys.region@example.org", "Rhys", "Region")
    gateway(2, datetime.date(2020, 6, 29))
    weekly_capacity(estate.office_1, 12, on=timezone.localdate() - datetime.timedelta(days=3))
    make_case(estate.pdu_1, "X000001", "high", domestic_abuse=True)
    make_case(estate.pdu_1, "X000002", "very_high", mode="face_to_face")
    make_case(estate.pdu_1, "X000003", "low")

    page = new_page()
    visit = Visit(page)
    sign_in(page, "cora.centre@example.org", start="/")
    visit.check("England and Wales")
    assert "has not been generated yet" in page_text(page)
    page.get_by_role("link", name="generate it").click()
    visit.check("Reports to ministers")
    assert "No report has been generated yet." in page_text(page)
    page.get_by_role("button", name="Generate this fortnight's report").click()
    visit.check("Fortnight from")
    text = page_text(page)
    assert "generated." in text
    assert "Step 2 since 29 June 2020" in text
    assert "12 (offices that count: 1 of 1)" in text
    assert "10 appointments a week spare" in text  # 2 cases of categories 1 and 2
    assert "This is the first report: there is no earlier report to compare with." in text
    assert "Staffing hours by rung of the staffing hierarchy: not yet reported." in text

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as a PDF").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    from pypdf import PdfReader

    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(saved).pages)
    assert "10 appointments a week spare" in pdf and "Wolds region" in pdf

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as a spreadsheet (.xlsx)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    from openpyxl import load_workbook

    summary = {r[0]: r[1] for r in load_workbook(saved)["Summary"].iter_rows(values_only=True)}
    assert summary["Capacity against demand"] == "10 spare"

    page.get_by_role("link", name="Reports to ministers").click()
    visit.check("Reports to ministers")
    assert "Generate this fortnight's report" not in page_text(page)

    region = new_page()
    region_visit = Visit(region)
    sign_in(region, "rhys.region@example.org", start="/")
    region_visit.check("Wolds region")
    region.get_by_role("link", name="read the report to ministers").click()
    region_visit.check("Fortnight from")
    assert "Wolds region" in page_text(region)
