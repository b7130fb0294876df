"""The whole chain in Chromium, as issue 9 asks: the establishment submits, the union consults,
the PGD endorses (tests/browser/test_readiness_journey.py walks that far), the national panel
approves commencement from today in a sitting, the establishment's stage changes (its stage
progression page and its Governor's home page show it), and the public status page shows it to
a signed-out family member. Everyone signs in through the real form; every step is a real form;
axe (WCAG 2.2 AA) runs on every page visited.

The public page is cached. It is read once before the approval (the old stage, which puts it in
the cache) and once after (the new stage): it can only show the new stage if the approval
forgot the cached page. Each read is in a fresh browser context, so the browser's own HTTP
cache (the page is public for a minute) plays no part; the server's cache is the one under
test."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from recovery.core.constants import Role
from recovery.public.cache import establishment_key
from tests.browser.helpers import Visit, build_estate, page_text, person, sign_in
from tests.browser.test_readiness_journey import walk_to_the_panel

pytestmark = pytest.mark.browser

OLD_STAGE = "Stage 4: Restrict"
NEW_STAGE = "Stage 3: Reduce"
# factories.site_at_stage puts the establishment at stage 4 sixty days ago.
STAGE_4_SINCE_DAYS = 60


def long_date(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def read_the_public_page(new_page) -> tuple[str, str, str]:
    """A family member, signed out, finds HMP Ashgrove from /status/ and reads its page: the
    stage tag, the 'last changed' sentence and its machine-readable date."""
    page = new_page()
    visit = Visit(page)
    visit.go("/status/", "Prison regime status")
    page.get_by_label("Prison name").fill("Ashgrove")
    page.get_by_role("button", name="Search").click()
    visit.check("Prison regime status")
    page.get_by_role("link", name="HMP Ashgrove").click()
    visit.check("HMP Ashgrove")
    assert page.url.endswith("/status/EST1/") and "/sign-in/" not in page.url
    tag = page.locator("main .govuk-body-l .govuk-tag").inner_text().strip()
    changed = page.locator("#last-changed")
    return tag, changed.inner_text().strip(), changed.locator("time").get_attribute("datetime")


def panel_approves_from_today(new_page, today: datetime.date) -> None:
    """A central panel member opens today's sitting from the queue and approves HMP Ashgrove's
    commencement of stage 3 from today."""
    page = new_page()
    visit = Visit(page)
    sign_in(page, "pat.panel@example.org", start="/progression/panel/")
    visit.check("Awaiting a national decision")
    queue = page_text(page)
    assert "HMP Ashgrove" in queue and "Endorsed by Petra Director" in queue

    page.get_by_role("link", name="Open a sitting").first.click()
    visit.check("Open a sitting of the national panel")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Quinn Quorum").check()
    page.get_by_label("Title (optional)").fill("Today's sitting")
    page.get_by_role("button", name="Open the sitting").click()
    visit.check("Today's sitting")

    page.get_by_text("Decide on HMP Ashgrove").click()
    page.get_by_label("Approve commencement").check()
    page.get_by_label("Reasons").first.fill("Ready, staffed, and the union's concerns are met")
    form = page.locator("form", has=page.get_by_label("Approve commencement"))
    form.get_by_label("Day").fill(str(today.day))
    form.get_by_label("Month").fill(str(today.month))
    form.get_by_label("Year").fill(str(today.year))
    form.get_by_role("button", name="Record the decision").click()
    visit.check("Today's sitting")
    assert (
        f"HMP Ashgrove: commencement of stage 3 approved from {long_date(today)} (number 1)."
        in page_text(page)
    )


def test_from_submission_to_the_public_page(new_page):
    estate = build_estate()
    person(Role.CENTRAL_PANEL, estate.nation, "pat.panel@example.org", "Pat", "Panelist")
    person(Role.CENTRAL_PANEL, estate.nation, "quinn.quorum@example.org", "Quinn", "Quorum")
    today = timezone.localdate()
    stage_4_since = today - datetime.timedelta(days=STAGE_4_SINCE_DAYS)

    # Governor submits, union consults, PGD endorses: all in the browser.
    assessment = walk_to_the_panel(new_page, estate)

    # Before the decision the public page shows stage 4, and is now in the server's cache.
    cache.clear()  # nothing left over from an earlier test in this process
    tag, changed, when = read_the_public_page(new_page)
    assert tag == OLD_STAGE
    assert changed == f"Its stage last changed on {long_date(stage_4_since)}."
    assert when == stage_4_since.isoformat()
    assert cache.get(establishment_key("EST1")) is not None, "the public page was not cached"

    panel_approves_from_today(new_page, today)

    # The Governor's home page and the stage progression page show the new stage from today.
    page = new_page()
    visit = Visit(page)
    sign_in(page, "gwen.governing@example.org")
    visit.check("HMP Ashgrove")
    current = page.locator(".govuk-summary-list__row", has_text="Current stage")
    assert current.locator(".govuk-tag").first.inner_text().strip() == NEW_STAGE
    assert f"since {long_date(today)}" in current.inner_text()
    readiness = page.locator(".govuk-summary-list__row", has_text="Readiness assessment")
    assert "Stage 4 to 3" in readiness.inner_text()

    page.get_by_role("link", name="Stage history").first.click()
    visit.check("Stage progression of HMP Ashgrove")
    assert page.url.endswith("/progression/EST1/")
    history = page.locator("#history + .app-table-wrapper tbody tr")
    newest = history.first
    assert newest.locator(".govuk-tag").inner_text().strip() == NEW_STAGE
    assert "Now" in newest.inner_text()
    assert newest.get_by_role("link", name="Readiness assessment").get_attribute("href") == (
        f"/progression/assessments/{assessment.pk}/"
    )
    assert history.nth(1).locator(".govuk-tag").inner_text().strip() == OLD_STAGE
    current_stage = page.locator("h2", has_text="Current stage").locator(
        "xpath=following-sibling::p[1]"
    )
    assert current_stage.locator(".govuk-tag").first.inner_text().strip() == NEW_STAGE
    assert f"since {long_date(today)}" in current_stage.inner_text()

    # After the decision the public page shows stage 3, changed today.
    tag, changed, when = read_the_public_page(new_page)
    assert tag == NEW_STAGE
    assert changed == f"Its stage last changed on {long_date(today)}."
    assert when == today.isoformat()
