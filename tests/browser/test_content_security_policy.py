"""With the Content Security Policy enforced (no bypass), the pages load with no violation and
no script error: no inline script without its nonce, no inline style."""

import pytest

from recovery.core.constants import Role
from tests.browser.helpers import CspWatch, build_estate, person, sign_in

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/estate/",
    "/estate/establishments/",
    "/estate/establishments/?sort=population&dir=desc&q=HMP",
    "/estate/groups/GRP1/",
    "/estate/establishments/EST1/",
    "/estate/establishments/EST1/edit/",
    "/estate/probation/",
    "/estate/probation/offices/OFF1/",
    "/audit/",
    "/estate/establishments/NOPE/",  # the 404 page
]


def test_pages_break_no_content_security_policy_rule(new_page):
    estate = build_estate()
    person(Role.ADMINISTRATOR, estate.nation, "ada.admin@example.org", "Ada", "Adminson")
    page = new_page(enforce_csp=True)
    watch = CspWatch(page)

    sign_in(page, "ada.admin@example.org")
    watch.assert_clean()
    for path in PAGES:
        page.goto(path)
        page.wait_for_load_state("load")
        watch.assert_clean()
    assert "script-src" in (page.goto("/").headers.get("content-security-policy") or "")


def test_the_sign_in_page_breaks_no_rule(new_page):
    page = new_page(enforce_csp=True)
    watch = CspWatch(page)

    page.goto("/sign-in/")
    page.wait_for_load_state("load")

    watch.assert_clean()
