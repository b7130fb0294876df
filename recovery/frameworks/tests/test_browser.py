"""A framework author's journey through the library in Chromium, with axe (WCAG 2.2 AA) on
every page, including a refused upload, publishing and withdrawing."""

import pytest

from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.frameworks.actions import load_library
from recovery.frameworks.factories import edm_text
from tests.browser.conftest import (  # noqa: F401 - the browser suite's fixtures
    _audit_guard_lifted_for_flush,
    browser,
    new_page,
    server,
)
from tests.browser.helpers import Visit, build_estate, page_text, person, sign_in

pytestmark = pytest.mark.browser


def test_a_framework_author_reads_uploads_and_publishes(new_page, tmp_path):  # noqa: F811
    estate = build_estate()
    person(Role.FRAMEWORK_AUTHOR, estate.nation, "fay.framing@example.org", "Fay", "Framing")
    load_library(acting_user=TEST_DATA)
    page = new_page()
    sign_in(page, "fay.framing@example.org", start="/frameworks/")
    visit = Visit(page)

    visit.go("/frameworks/", "Framework library")
    visit.go("/frameworks/edms/18/", "YCS resettlement")
    visit.go("/frameworks/edms/18/versions/1.0/", "YCS resettlement")
    assert "3.7" in page_text(page)
    visit.go("/frameworks/edms/901/versions/1.1/changes/", "What changed in version 1.1")
    visit.go("/frameworks/stages/", "Stage ladder")
    visit.go("/frameworks/stages/3/edit/", "Change stage 3")
    visit.go("/frameworks/elements/", "Regime elements")
    visit.go("/frameworks/elements/new/", "Add a regime element")

    bad = tmp_path / "bad.yaml"
    bad.write_text(edm_text().replace("stage: 3", "stage: 7"))
    visit.go("/frameworks/upload/", "Upload an EDM file")
    page.get_by_label("Upload an EDM file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload as a draft").click()
    assert "there is no stage 7 on the stage ladder" in page_text(page)
    visit.check("Upload an EDM file")

    good = tmp_path / "good.yaml"
    good.write_text(edm_text())
    page.get_by_label("Upload an EDM file").set_input_files(str(good))
    page.get_by_role("button", name="Upload as a draft").click()
    assert "EDM 950 version 1.0: loaded as a draft" in page_text(page)
    visit.check("Test visits")

    page.get_by_role("button", name="Publish version 1.0").click()
    assert "EDM 950 version 1.0 published" in page_text(page)
    visit.check("Test visits")

    # Withdrawing asks first, saying which plans answer the version.
    page.get_by_role("button", name="Withdraw version 1.0").click()
    visit.check("Withdraw version 1.0?")
    assert "No plan answers this version." in page_text(page)
    page.get_by_role("button", name="Withdraw version 1.0").click()
    assert "EDM 950 version 1.0 withdrawn" in page_text(page)
    visit.check("Test visits")

    # Of two published versions, the older reads "Superseded".
    visit.go("/frameworks/edms/901/", "Social visits")
    assert "Superseded" in page_text(page)
