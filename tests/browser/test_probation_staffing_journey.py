"""The staffing hierarchy in Chromium, each person signed in through the real form, with axe
(WCAG 2.2 AA) and the 375 px check on every page seen: the PDU head's home page asks for this
week's staffing; they enter it (a negative figure refused first), and see on the PDU's page
which rung each hour came from; the region and the centre read the hours by rung."""

import pytest
from django.utils import timezone

from recovery.core.constants import Role
from recovery.probation.staffing import monday_of
from tests.browser.helpers import Visit, build_estate, page_text, person, sign_in

pytestmark = pytest.mark.browser

RUNG_HOURS = {
    "Existing staff": "800",
    "Overtime": "112.5",
    "Agency staff": "50",
    "Redeployment": "0",
    "Returners": "20",
    "Other government departments": "0",
    "Third sector": "100",
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_pdu_head_enters_a_week_and_everyone_reads_the_hours_by_rung(new_page):
    estate = build_estate()
    person(Role.PDU_HEAD, estate.pdu_1, "hana.head@example.org", "Hana", "Head")
    person(Role.PROBATION_REGION, estate.region_1, "rhys.region@example.org", "Rhys", "Region")
    person(Role.PROBATION_CENTRE, estate.nation, "cora.centre@example.org", "Cora", "Centre")
    week = monday_of(timezone.localdate())
    shown = f"{week.day} {week:%B %Y}"

    head = new_page()
    visit = Visit(head)
    sign_in(head, "hana.head@example.org", start="/")
    visit.check("Eastmoor PDU")
    assert f"Nothing is recorded for the week starting {shown}" in page_text(head)
    head.get_by_role("link", name="Enter this week's staffing").click()
    visit.check(f"Staffing for the week starting {shown}")

    head.get_by_label("Hours needed").fill("1000")
    for label, hours in RUNG_HOURS.items():
        head.get_by_label(label, exact=True).fill(hours)
    head.get_by_label("Overtime", exact=True).fill("-5")
    head.get_by_role("button", name="Save the week").click()
    visit.check(f"Staffing for the week starting {shown}")
    assert "Overtime cannot be negative: enter 0 or more" in page_text(head)

    head.get_by_label("Overtime", exact=True).fill("112.5")
    head.get_by_role("button", name="Save the week").click()
    visit.check("Eastmoor PDU: staffing")
    text = page_text(head)
    # 800 + 112.5 + 50 + 20 = 982.5; the third sector gives the last 17.5 of its 100.
    assert (
        f"The staffing of Eastmoor PDU for the week starting {shown} has been saved: "
        "1,000.0 of 1,000.0 hours covered, no gap." in text
    )
    row = head.locator(f"#week-{week.isoformat()}").inner_text().split("\t")
    assert [c.strip() for c in row] == [
        shown,
        "1,000",
        "1,000",
        "0",
        "800",
        "112.5",
        "50",
        "0",
        "20",
        "0",
        "17.5",
    ]

    head.get_by_role("link", name=shown, exact=True).click()
    visit.check(f"Staffing for the week starting {shown}")
    assert "7. Third sector\t100\t17.5" in head.locator("#recorded-by-rung").inner_text()
    head.goto("/")
    visit.check("Eastmoor PDU")
    assert "Staffing this week" not in page_text(head)

    region = new_page()
    region_visit = Visit(region)
    sign_in(region, "rhys.region@example.org", start="/")
    region_visit.check("Wolds region")
    region.get_by_role("link", name="Staffing of Wolds region").click()
    region_visit.check("Wolds region: staffing")
    assert "7. Third sector\t100\t17.5" in region.locator("#hours-by-rung").inner_text()
    region.get_by_role("link", name="Eastmoor PDU").click()
    region_visit.check("Eastmoor PDU: staffing")

    centre = new_page()
    centre_visit = Visit(centre)
    sign_in(centre, "cora.centre@example.org", start="/")
    centre_visit.check("England and Wales")
    centre.get_by_role("link", name="Staffing by rung of the hierarchy").click()
    centre_visit.check("Staffing by rung of the hierarchy")
    assert "2. Overtime\t112.5\t112.5" in centre.locator("#hours-by-rung").inner_text()
    assert (
        "Wolds region\t1 of 1\t1,000\t800\t200\t0" in centre.locator("#staffing-lines").inner_text()
    )
    centre.get_by_role("link", name="Previous week").click()
    centre_visit.check("Staffing by rung of the hierarchy")
    assert "Nothing recorded" in page_text(centre)
