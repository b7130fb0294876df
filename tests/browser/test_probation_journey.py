"""Probation steps and office capacity in Chromium, each person signed in through the real
form, with axe (WCAG 2.2 AA) and the 375 px check on every page seen: the probation centre
records ministers' gateway decision opening step 2; the region asks to hold back; the centre
agrees, then opens step 3 and the region stays at step 2; the PDU head records an office's
capacity and its risk assessment and sees the weekly figure count towards the PDU."""

import pytest
from django.utils import timezone

from recovery.core.constants import Role
from tests.browser.helpers import Visit, build_estate, page_text, person, sign_in

pytestmark = pytest.mark.browser


def fill_date(page, prefix: str, day: int, month: int, year: int) -> None:
    page.locator(f"#id_{prefix}_day").fill(str(day))
    page.locator(f"#id_{prefix}_month").fill(str(month))
    page.locator(f"#id_{prefix}_year").fill(str(year))


def open_step(page, visit: Visit, step: int, decided, told, effect, reasons: str) -> None:
    page.get_by_role("link", name="Record a gateway decision").click()
    visit.check("Record a gateway decision")
    page.get_by_label(f"Step {step}", exact=True).check()
    fill_date(page, "decided", *decided)
    page.get_by_label("Ministers' reasons").fill(reasons)
    fill_date(page, "staff_told", *told)
    fill_date(page, "takes_effect", *effect)
    page.get_by_role("button", name="Record the decision").click()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_steps_requests_and_office_capacity(new_page):
    estate = build_estate()
    person(Role.PROBATION_CENTRE, estate.nation, "cora.centre@example.org", "Cora", "Centre")
    person(Role.PROBATION_REGION, estate.region_1, "rhys.region@example.org", "Rhys", "Region")
    person(Role.PDU_HEAD, estate.pdu_1, "hana.head@example.org", "Hana", "Head")

    # The centre opens step 2: first with 13 days' notice (refused, in words), then 17.
    centre = new_page()
    centre_visit = Visit(centre)
    sign_in(centre, "cora.centre@example.org", start="/probation/")
    centre_visit.check("Probation steps")
    assert "Nationally, probation is at step 1" in page_text(centre)
    open_step(centre, centre_visit, 2, (10, 6, 2020), (16, 6, 2020), (29, 6, 2020), "R falling")
    centre_visit.check("Record a gateway decision")
    assert "it would take effect 13 days later, on 29 June 2020" in page_text(centre)
    fill_date(centre, "staff_told", 12, 6, 2020)
    centre.get_by_role("button", name="Record the decision").click()
    centre_visit.check("Probation steps")
    assert "Probation step 2 is open nationally from 29 June 2020." in page_text(centre)
    assert "Nationally, probation is at step 2 since 29 June 2020" in page_text(centre)

    # The region asks to hold back.
    region = new_page()
    region_visit = Visit(region)
    sign_in(region, "rhys.region@example.org", start="/")
    region_visit.check("Wolds region")
    region.get_by_role("link", name="Steps and PDUs of Wolds region").click()
    region_visit.check("Wolds region")
    region.get_by_role("link", name="Ask to hold back or step back").click()
    region_visit.check("Ask to hold back or step back")
    region.get_by_label("Hold back: stay at the current step").check()
    region.get_by_label("Your reasons").fill("Cases rising around the Eastmoor office.")
    region.get_by_role("button", name="Send the request").click()
    region_visit.check("Wolds region: hold back")
    assert "Waiting for the Business Recovery Programme" in page_text(region)

    # The centre finds it on its home page and agrees; then step 3 opens nationally.
    centre.goto("/")
    centre_visit.check("England and Wales")
    centre.get_by_role("link", name="Wolds region: hold back (step 2 to step 2)").click()
    centre_visit.check("Decide the request")
    centre.get_by_label("Agree").check()
    centre.get_by_label("Reasons").fill("Agreed: review in four weeks.")
    fill_date(centre, "takes_effect", 20, 7, 2020)
    centre.get_by_role("button", name="Record the decision").click()
    centre_visit.check("Wolds region: hold back")
    assert "The request for Wolds region has been agreed." in page_text(centre)
    centre.goto("/probation/")
    centre_visit.check("Probation steps")
    open_step(centre, centre_visit, 3, (14, 7, 2020), (17, 7, 2020), (3, 8, 2020), "Step 3 due")
    centre_visit.check("Probation steps")
    text = page_text(centre)
    assert "Nationally, probation is at step 3 since 3 August 2020" in text
    assert "Wolds region\t2 Below national\t29 June 2020" in text

    # The PDU head records an office's capacity and its risk assessment.
    head = new_page()
    head_visit = Visit(head)
    sign_in(head, "hana.head@example.org", start="/")
    head_visit.check("Eastmoor PDU")
    head.get_by_role("link", name="Offices and capacity of Eastmoor PDU").click()
    head_visit.check("Eastmoor PDU: offices and capacity")
    head.get_by_role("link", name="Eastmoor Road office").click()
    head_visit.check("Eastmoor Road office: face-to-face capacity")
    head.get_by_role("link", name="Record capacity").click()
    head_visit.check("Record the capacity of Eastmoor Road office")
    head.get_by_label("Interview rooms usable with 2 m distancing").fill("3")
    head.get_by_label("Appointment length (minutes)").fill("45")
    head.get_by_label("Cleaning gap after each appointment (minutes)").fill("15")
    head.get_by_label("Maximum people on site at once").fill("20")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        head.get_by_label(f"Staff available on {day}").fill("0" if day[0] == "S" else "4")
    head.get_by_label("Extended hours: opens at").fill("08:00")
    head.get_by_label("Extended hours: closes at").fill("19:00")
    head.get_by_role("button", name="Save capacity").click()
    head_visit.check("Eastmoor Road office: face-to-face capacity")
    # 09:00 to 17:00, 45 + 15 minutes: 8 a room a day; 3 rooms, five days: 120. Extended to
    # 08:00 to 19:00: 11 a day, 165 (+45).
    text = page_text(head)
    assert "The capacity of Eastmoor Road office has been saved: 120 face-to-face" in text
    assert "not counted towards Eastmoor PDU: no risk assessment recorded" in text
    assert "+45" in head.locator("#scenario-table").inner_text()

    head.get_by_role("link", name="Record an office risk assessment").click()
    head_visit.check("Record an office risk assessment of Eastmoor Road office")
    today = timezone.localdate()
    fill_date(head, "assessed", today.day, today.month, today.year)
    for label in (
        "2 m distancing can be kept",
        "Protective screens fitted",
        "A one-way route",
        "Staff rotas",
        "PPE stock assessed",
    ):
        head.get_by_label(label).check()
    head.get_by_label("Safe for face-to-face supervision").check()
    head.get_by_role("button", name="Record the assessment").click()
    head_visit.check("Eastmoor Road office: face-to-face capacity")
    assert "120 face-to-face appointments a week, counted towards Eastmoor PDU" in page_text(head)
    head.get_by_role("link", name="Eastmoor PDU").last.click()
    head_visit.check("Eastmoor PDU: offices and capacity")
    assert head.locator("#pdu-weekly").inner_text().strip() == "120"
