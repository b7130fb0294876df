"""What every journey does: build a small estate, sign in through the real form, run axe on a
page, check it fits a 375 px screen, and watch for Content Security Policy violations and script
errors."""

from dataclasses import dataclass, field
from pathlib import Path

from recovery.accounts.factories import PASSWORD, RoleAssignmentFactory, UserFactory
from recovery.core.constants import Role
from recovery.estate.constants import EstablishmentType, Operator
from recovery.estate.factories import (
    EstablishmentFactory,
    NationFactory,
    OfficeFactory,
    PduFactory,
    PrisonGroupFactory,
    ProbationRegionFactory,
)

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Beside the WCAG rules: `region` (best practice): all content inside a landmark.
AXE_EXTRA_RULES = ["region"]

RUN_AXE = """async ([tags, extra]) => {
  const rules = Object.fromEntries(extra.map((id) => [id, {enabled: true}]));
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, rules});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""

# Runs before any of the page's own scripts, in every document of the context.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


@dataclass
class Estate:
    """A small estate like conftest's small_estate, with a third establishment in group 1 so
    that sorting and filtering have something to do."""

    nation: object
    group_1: object
    group_2: object
    ashgrove: object
    cedarfield: object
    birchwood: object
    region_1: object
    pdu_1: object
    office_1: object


def build_estate() -> Estate:
    nation = NationFactory()
    group_1 = PrisonGroupFactory(parent=nation, code="GRP1", name="Northern Fells group")
    group_2 = PrisonGroupFactory(parent=nation, code="GRP2", name="Southern Downs group")
    region_1 = ProbationRegionFactory(parent=nation, code="REG1", name="Wolds region")
    pdu_1 = PduFactory(parent=region_1, code="PDU1", name="Eastmoor PDU")
    return Estate(
        nation=nation,
        group_1=group_1,
        group_2=group_2,
        ashgrove=EstablishmentFactory(
            parent=group_1,
            code="EST1",
            name="HMP Ashgrove",
            population=550,
            operational_capacity=600,
        ),
        cedarfield=EstablishmentFactory(
            parent=group_1,
            code="EST3",
            name="HMP Cedarfield",
            population=310,
            operational_capacity=400,
            establishment_type=EstablishmentType.OPEN,
            categories=["D"],
            operator=Operator.PRIVATE,
        ),
        birchwood=EstablishmentFactory(
            parent=group_2,
            code="EST2",
            name="HMP Birchwood",
            population=900,
            operational_capacity=950,
        ),
        region_1=region_1,
        pdu_1=pdu_1,
        office_1=OfficeFactory(parent=pdu_1, code="OFF1", name="Eastmoor Road office"),
    )


def person(role: str, unit, email: str, first_name: str, last_name: str):
    user = UserFactory(email=email, username=email, first_name=first_name, last_name=last_name)
    RoleAssignmentFactory(user=user, role=role, unit=unit)
    return user


def governor(estate: Estate):
    return person(Role.GOVERNOR, estate.ashgrove, "gwen.governing@example.org", "Gwen", "Governing")


def sign_in(page, email: str, *, start: str = "/", check=None) -> None:
    """Sign in through the real form, as a person would: open a page, get sent to sign in."""
    page.goto(start)
    assert "/sign-in/" in page.url, f"{start} did not ask a signed-out person to sign in"
    if check:
        check(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url, f"{email} could not sign in: {page_text(page)[:300]}"


def page_text(page) -> str:
    page.wait_for_load_state("load")
    return page.locator("main").inner_text()


def assert_accessible(page) -> None:
    """axe-core, WCAG 2.2 AA rule set: no violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE, [AXE_TAGS, AXE_EXTRA_RULES])
    assert not violations, f"axe found problems on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


NARROW = 375  # px: a small phone

# The page's width, and the first elements that stick out beyond the screen (for the message).
MEASURE_WIDTH = """() => {
  const screen = document.documentElement.clientWidth;
  return {
    scroll: document.documentElement.scrollWidth,
    culprits: [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > screen + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
  };
}"""


def assert_fits_narrow_screen(page) -> None:
    """At 375 px wide nothing pushes the page sideways: wide tables scroll inside their own
    wrapper. The page is laid out again at that width, measured, and put back."""
    wide = page.viewport_size
    page.set_viewport_size({"width": NARROW, "height": wide["height"]})
    try:
        measured = page.evaluate(MEASURE_WIDTH)
    finally:
        page.set_viewport_size(wide)
    assert measured["scroll"] <= NARROW, (
        f"{page.url} is {measured['scroll']} px wide at {NARROW} px: "
        + ", ".join(measured["culprits"])
    )


@dataclass
class Visit:
    """Visits pages, runs axe on each, and remembers where it has been."""

    page: object
    seen: list[str] = field(default_factory=list)

    def check(self, heading: str | None = None) -> None:
        # After a click the URL can change before the new document has loaded: wait for it,
        # or a busy machine reads the page half-built.
        self.page.wait_for_load_state("load")
        if heading is not None:
            h1 = self.page.locator("h1")
            assert h1.count() == 1, f"{self.page.url} has {h1.count()} h1 headings"
            assert heading in h1.inner_text(), f"{self.page.url}: h1 is {h1.inner_text()!r}"
        assert_accessible(self.page)
        assert_fits_narrow_screen(self.page)
        self.seen.append(self.page.url)

    def go(self, path: str, heading: str | None = None, *, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response.status == status, f"{path} answered {response.status}"
        self.check(heading)


class CspWatch:
    """Collects CSP violations (from the page's own event and from the console) and uncaught
    script errors of a page in a context that enforces the CSP."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(WATCH_CSP)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.console.append(text)

    def assert_clean(self) -> None:
        in_page = self.page.evaluate("window.__cspViolations || []")
        problems = [*in_page, *self.console, *(f"script error: {e}" for e in self.errors)]
        assert not problems, f"{self.page.url}:\n" + "\n".join(problems)
