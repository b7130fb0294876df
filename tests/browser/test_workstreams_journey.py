"""The Recovery Programme Board in Chromium, each person signed in through the real form, with
axe (WCAG 2.2 AA) and the 375 px check on every page seen: the probation centre finds the Board
from its home page, posts an update turning Courts red, raises a red issue, adds a milestone
already overdue; the Board shows Courts first, at red, with the issue and the milestone; the
centre's home page names it; a region reads the Board and finds no form."""

import pytest

from recovery.core.constants import Role
from recovery.probation.workstream_models import Workstream, WorkstreamUpdate
from tests.browser.helpers import Visit, build_estate, page_text, person, sign_in

pytestmark = pytest.mark.browser


def fill_date(page, prefix: str, day: int, month: int, year: int) -> None:
    page.locator(f"#id_{prefix}_day").fill(str(day))
    page.locator(f"#id_{prefix}_month").fill(str(month))
    page.locator(f"#id_{prefix}_year").fill(str(year))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_centre_turns_a_workstream_red_and_the_board_shows_it(new_page):
    estate = build_estate()
    person(Role.PROBATION_CENTRE, estate.nation, "cora.centre@example.org", "Cora", "Centre")
    person(Role.PROBATION_REGION, estate.region_1, "rhys.region@example.org", "Rhys", "Region")
    WorkstreamUpdate.objects.create(
        workstream=Workstream.objects.get(number=2),
        rag="amber",
        summary="Courts reopening; report writers stretched.",
        reported_on="2020-06-26",
        recorded_by_name="Board secretariat",
    )

    centre = new_page()
    visit = Visit(centre)
    sign_in(centre, "cora.centre@example.org", start="/")
    visit.check("England and Wales")
    centre.get_by_role("link", name="Recovery Programme Board: the 15 workstreams").click()
    visit.check("Recovery Programme Board")
    assert "Red 0" in page_text(centre).replace("\t", " ").replace("\n", " ")

    # Courts: a status update turning it red, refused first without a summary.
    centre.get_by_role("link", name="Courts", exact=True).click()
    visit.check("Courts")
    centre.get_by_role("link", name="Post a status update").click()
    visit.check("Post a status update")
    assert "The latest update, on 26 June 2020, reported amber." in page_text(centre)
    centre.get_by_label("Red").check()
    fill_date(centre, "reported", 10, 7, 2020)
    centre.get_by_role("button", name="Post the update").click()
    visit.check("Post a status update")
    assert "Enter a summary" in page_text(centre)
    centre.get_by_label("Summary for the Board").fill(
        "The court backlog is growing faster than we can write reports."
    )
    centre.get_by_role("button", name="Post the update").click()
    visit.check("Courts")
    text = page_text(centre)
    assert "Courts reported red on 10 July 2020." in text
    assert "The court backlog is growing faster than we can write reports." in text

    # A red issue, and a milestone already overdue.
    centre.get_by_role("link", name="Raise an issue").click()
    visit.check("Raise an issue")
    centre.get_by_label("Issue", exact=True).fill("Too few report writers at Crown Courts")
    centre.get_by_label("Red").check()
    centre.get_by_label("Owner (optional)").fill("Deputy Director, Courts")
    fill_date(centre, "raised", 10, 7, 2020)
    centre.get_by_role("button", name="Raise the issue").click()
    visit.check("Courts")
    assert "A red issue has been raised for Courts." in page_text(centre)
    centre.get_by_role("link", name="Add a milestone").click()
    visit.check("Add a milestone")
    centre.get_by_label("Milestone").fill("Court staffing matched to the HMCTS plan")
    fill_date(centre, "due", 31, 8, 2020)
    centre.get_by_role("button", name="Add the milestone").click()
    visit.check("Courts")
    assert "Overdue" in centre.locator("#milestones + *").inner_text()

    # The Board: Courts first, at red, changed from amber; its issue and milestone listed.
    centre.get_by_role("link", name="Recovery Programme Board").click()
    visit.check("Recovery Programme Board")
    first_row = centre.locator("#workstreams tbody tr").first.inner_text()
    assert "Courts" in first_row and "Red" in first_row and "Amber" in first_row
    counts = centre.locator("#rag-counts").inner_text()
    assert "Red\n1" in counts.replace("\t", "\n").replace("\n\n", "\n")
    assert "Too few report writers at Crown Courts" in page_text(centre)
    assert "Court staffing matched to the HMCTS plan" in page_text(centre)

    # The centre's home page names the red workstream and the overdue milestone.
    centre.goto("/")
    visit.check("England and Wales")
    home = page_text(centre)
    assert "Workstreams at red (1)" in home
    assert "2. Courts, reported on 10 July 2020" in home
    assert "Court staffing matched to the HMCTS plan (Courts): due 31 August 2020" in home

    # A region reads the Board and the workstream, with no form to change them.
    region = new_page()
    region_visit = Visit(region)
    sign_in(region, "rhys.region@example.org", start="/probation/workstreams/")
    region_visit.check("Recovery Programme Board")
    region.get_by_role("link", name="Courts", exact=True).click()
    region_visit.check("Courts")
    assert "Too few report writers at Crown Courts" in page_text(region)
    assert region.get_by_role("link", name="Post a status update").count() == 0
