"""The caseload: reading it from a spreadsheet or CSV file, and the roadmap's categories.

Format (one sheet, "Caseload"; or a CSV file with the same columns; headings in the first row,
in any order and case):

===============================  =============================================================
column                           what to enter
===============================  =============================================================
Case reference                   the pseudonymised reference, e.g. X123456 (letters and digits,
                                 at least one digit): never a name
PDU code                         the PDU the case belongs to, e.g. R01-P01
RoSH level                       Low, Medium, High or Very high
Domestic abuse                   Yes or No (concerns of domestic abuse)
Child safeguarding               Yes or No (child safeguarding concerns)
Contact mode                     Doorstep, Audio, Video or Face to face (the current mode)
Lives with victim                Yes or No
Lives with children at risk      Yes or No
===============================  =============================================================

Refused as a whole, with row, column and reason, nothing written:
- any column that could hold a name or a date of birth (a heading such as Name, First name,
  Surname, DOB, Date of birth): "pseudonymised references only", and no data row is read;
- an unknown risk level or contact mode, a reference twice in the file, a PDU that does not
  exist or is not the importer's (a PDU head loads their own PDU; the probation centre loads
  any PDU, nationally).

An import replaces the whole caseload of each PDU the file names (PDUs it does not name are
unchanged): it states the current position, so it creates no review task.

Categories (the roadmap's Step Two, "prioritised for a return to face to face supervision"):
1 = very high or high RoSH with domestic abuse and/or child safeguarding concerns; 2 = other
very high or high RoSH; 3 = medium RoSH with domestic abuse and/or child safeguarding
concerns; 4 = everyone else."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from recovery.core.constants import UnitKind
from recovery.core.imports import Column, ProblemList, SheetSpec, Unique, UploadedWorkbook, text
from recovery.core.xlsx import Sheet
from recovery.estate.models import OrganisationUnit
from recovery.probation.caseload_constants import ContactMode, Rosh
from recovery.probation.caseload_models import REFERENCE_MAX

SHEET = "Caseload"
REFERENCE, PDU = "Case reference", "PDU code"
# A national caseload: about 250,000 cases.
MAX_CASES = 400_000
PSEUDONYMISED_ONLY = (
    "This column could hold a name or a date of birth: the caseload holds pseudonymised "
    "references only. Remove the column and load the file again"
)
REFERENCE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{2,19}")


def category_of(rosh: str, domestic_abuse: bool, child_safeguarding: bool) -> int:
    """The roadmap's category of a case."""
    concerns = domestic_abuse or child_safeguarding
    if rosh in (Rosh.HIGH, Rosh.VERY_HIGH):
        return 1 if concerns else 2
    if rosh == Rosh.MEDIUM and concerns:
        return 3
    return 4


# --- Personal data: the headings refused outright ----------------------------------------------

NAME_WORDS = {
    "name",
    "names",
    "forename",
    "forenames",
    "firstname",
    "surname",
    "lastname",
    "fullname",
    "givenname",
    "middlename",
    "familyname",
    "alias",
}
BIRTH_WORDS = {"dob", "birth", "born", "birthday", "birthdate", "dateofbirth"}


def personal_heading(heading: str) -> str | None:
    """Why a column of this heading may not be uploaded, or None."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", heading)
    words = set(re.findall(r"[a-z]+", spaced.casefold()))
    joined = "".join(re.findall(r"[a-z]+", heading.casefold()))
    if words & NAME_WORDS or words & BIRTH_WORDS or joined in NAME_WORDS | BIRTH_WORDS:
        return PSEUDONYMISED_ONLY
    if "dateofbirth" in joined or "birthdate" in joined:
        return PSEUDONYMISED_ONLY
    return None


# --- Cell readers ----------------------------------------------------------------------------


def _reference(cell: Any) -> str:
    value = text(cell).upper()
    if not REFERENCE_PATTERN.fullmatch(value) or not any(c.isdigit() for c in value):
        raise ValueError(
            f"'{text(cell)[:40]}' is not a pseudonymised case reference: use letters and digits "
            "with at least one digit, such as X123456, never a name"
        )
    return value


def _normal(word: str) -> str:
    return re.sub(r"[\s_-]+", " ", word).strip().casefold()


def _choice(names: dict[str, str], what: str) -> Callable[[Any], str]:
    """A parser of the words `names` (as shown -> stored value), ignoring case, spaces,
    hyphens and underscores."""
    lookup = {_normal(shown): value for shown, value in names.items()}
    lookup.update({_normal(value): value for value in names.values()})
    listed = "; ".join(names)

    def parse(cell: Any) -> str:
        given = text(cell)
        if _normal(given) not in lookup:
            raise ValueError(f"'{given[:40]}' is not {what}. Use one of: {listed}")
        return lookup[_normal(given)]

    return parse


ROSH_WORDS = {
    "Low": Rosh.LOW,
    "Medium": Rosh.MEDIUM,
    "High": Rosh.HIGH,
    "Very high": Rosh.VERY_HIGH,
}
MODE_WORDS = {
    "Doorstep": ContactMode.DOORSTEP,
    "Audio": ContactMode.AUDIO,
    "Video": ContactMode.VIDEO,
    "Face to face": ContactMode.FACE_TO_FACE,
}
_rosh = _choice(ROSH_WORDS, "a risk of serious harm level")
_mode = _choice(MODE_WORDS, "a contact mode")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


def _yes_no(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    given = text(cell).casefold()
    if given in YES:
        return True
    if given in NO:
        return False
    raise ValueError(f"'{text(cell)[:40]}' is not Yes or No")


def _code(cell: Any) -> str:
    return text(cell).upper()


SPEC = SheetSpec(
    SHEET,
    (
        Column(REFERENCE, key="reference", parse=_reference, plain=True, max_length=REFERENCE_MAX),
        Column(PDU, key="pdu", parse=_code, plain=True, max_length=20),
        Column("RoSH level", key="rosh", parse=_rosh),
        Column("Domestic abuse", key="domestic_abuse", parse=_yes_no),
        Column("Child safeguarding", key="child_safeguarding", parse=_yes_no),
        Column("Contact mode", key="contact_mode", parse=_mode),
        Column("Lives with victim", key="lives_with_victim", parse=_yes_no),
        Column("Lives with children at risk", key="lives_with_children_at_risk", parse=_yes_no),
    ),
    unique=(
        Unique(REFERENCE, "{value} appears twice (also on row {row}): give each case one row"),
    ),
    max_rows=MAX_CASES,
    refused_heading=personal_heading,
)
FIELDS = (
    "reference",
    "rosh",
    "domestic_abuse",
    "child_safeguarding",
    "contact_mode",
    "lives_with_victim",
    "lives_with_children_at_risk",
)


@dataclass
class CaseloadData:
    """A checked caseload: the cases of each PDU it names, as tuples in FIELDS order plus the
    category."""

    pdus: dict[str, OrganisationUnit] = field(default_factory=dict)
    cases: dict[str, list[tuple]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.cases.values())


def read_caseload(file, *, pdu=None, progress: Callable[[int], None] | None = None) -> CaseloadData:
    """Read and check a caseload (.xlsx or CSV). `pdu`: the one PDU the file may name (a PDU
    head's import); None: any PDU (the probation centre's national import). Raises
    InvalidUpload listing every problem; writes nothing. `progress(rows)` is told every 10,000
    rows read."""
    problems = ProblemList()
    rows: list[tuple[int, dict]] = []
    with UploadedWorkbook.open(file, csv_sheet=SHEET) as workbook:
        for count, row in enumerate(workbook.read(SPEC, problems), start=1):
            if row.ok:
                rows.append((row.number, row.values))
            if progress and count % 10_000 == 0:
                progress(count)
    codes = {values["pdu"] for _, values in rows}
    known = {u.code: u for u in OrganisationUnit.objects.filter(kind=UnitKind.PDU, code__in=codes)}
    data = CaseloadData()
    for number, values in rows:
        code = values["pdu"]
        if pdu is not None and code != pdu.code:
            problems.add(
                SHEET, number, PDU, f"This page loads the caseload of {pdu.name} ({pdu.code}) only"
            )
            continue
        if code not in known:
            problems.add(SHEET, number, PDU, f"There is no PDU with the code {code}")
            continue
        data.pdus[code] = known[code]
        values["category"] = category_of(
            values["rosh"], values["domestic_abuse"], values["child_safeguarding"]
        )
        data.cases.setdefault(code, []).append(values)
    problems.raise_if_any(
        order=lambda p: (
            p.row or 0,
            SPEC.headings.index(p.column) if p.column in SPEC.headings else 99,
        )
    )
    if not data.total:
        problems.add(SHEET, None, None, "The file has no cases: nothing to load")
        problems.raise_if_any()
    return data


def template_sheets(pdu=None) -> list[Sheet]:
    """The template: the columns, one example row (an invented reference), and guidance."""
    example = [
        ["X123456", pdu.code if pdu else "R01-P01", "High", "Yes", "No", "Doorstep", "Yes", "No"]
    ]
    guidance = [
        (
            REFERENCE,
            "The pseudonymised reference, such as X123456. Never a name or a date of birth",
        ),
        (PDU, "The PDU's code" + (f": {pdu.code} on this page" if pdu else "")),
        ("RoSH level", "Low, Medium, High or Very high"),
        ("Domestic abuse, Child safeguarding", "Yes or No: whether there are concerns"),
        ("Contact mode", "Doorstep, Audio, Video or Face to face: how the person is seen now"),
        ("Lives with victim, Lives with children at risk", "Yes or No"),
        ("(the file)", "Loading replaces the whole caseload of each PDU the file names"),
    ]
    return [
        Sheet(SHEET, SPEC.headings, example),
        Sheet("Guidance", ["Column", "What to enter"], guidance),
    ]
