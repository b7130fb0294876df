"""The national-scale demo estate and the demo accounts, as data.

`build_demo_estate()` returns the same `EstateData` every time (a fixed random seed): 124
establishments in 21 prison groups (one closed, one holding two categories, two immigration
removal centres, one of them with its population not known), 12 probation regions with 110
PDUs and 2 to 4 offices each.
Every place name is invented from syllables (and checked against real prison names); no name
belongs to a real person. `DEMO_ACCOUNTS` lists one demo person per role, all with the password
`DEMO_PASSWORD`; the README and the browser tests read it from here. The `seed_demo` command
loads both through the actions, so every unit and account has its audit event."""

import datetime
import random
import re
from dataclasses import dataclass

from recovery.core.constants import Role, UnitKind
from recovery.estate.constants import Category, EstablishmentStatus, EstablishmentType, Operator
from recovery.estate.importer import NATION_CODE, NATION_NAME, EstateData, UnitRow

SEED = 2026
DEMO_PASSWORD = "demo-password-2026"
DEMO_SOURCE = "the demo data"

PREFIXES = tuple(
    """
    Abber Aldry Bramble Brack Cresh Chell Dunnet Dray Eskel Farr Felk Garra
    Gorm Hask Harl Ivers Jarl Kester Kell Lorn Lisk Marl Mawl Nettle
    Norl Orrin Ostel Pell Polt Quarren Rask Rook Scarl Selk Tarn Tull
    Umber Varn Wend Wrex Yarl Zell
    """.split()  # noqa: SIM905 - a word list reads best as words
)
SUFFIXES = tuple(
    """
    by combe dale den fold garth hallow holme hurst ington mere moor
    stead thwaite ton wick worth ley marsh brook cott
    """.split()  # noqa: SIM905
)
STREETS = ("Street", "Road", "Lane", "Place", "House", "Court", "Way")

# Real prisons and young offender institutions, lower case: a generated name that matches one
# is skipped, so no demo prison is mistaken for a real one.
REAL_PRISON_NAMES = frozenset(
    """
    altcourse ashfield askham aylesbury bedford belmarsh berwyn birmingham brinsford bristol
    brixton bronzefield buckley bullingdon bure cardiff channings chelmsford coldingley
    cookham dartmoor deerbolt doncaster dovegate downview drake durham eastwood elmley erlestoke
    exeter featherstone feltham ford forest foston frankland garth gartree grendon guys
    haverigg hewell highdown highpoint hindley hollesley holme humber huntercombe isis kirkham
    kirklevington lancaster leeds leicester lewes leyhill lincoln lindholme littlehey liverpool
    lowdham maidstone manchester medway millsike moorland morton newhall northumberland norwich
    nottingham oakhill oakwood onley parc pentonville peterborough portland prescoed preston
    rainsbrook ranby risley rochester rye send springhill stafford standford stocken stoke styal
    sudbury swaleside swansea swinfen thameside thorn usk wakefield wandsworth warren wayland
    wealstun werrington wetherby whatton whitemoor winchester woodhill wormwood wymott fosse
    five
    """.split()  # noqa: SIM905
)

# (type, category, capacity range, share of private operators)
PROFILES = {
    EstablishmentType.LOCAL: (Category.B, (450, 1600), 0.15),
    EstablishmentType.CAT_B: (Category.B, (500, 1200), 0.2),
    EstablishmentType.CAT_C: (Category.C, (300, 1400), 0.15),
    EstablishmentType.OPEN: (Category.D, (200, 650), 0.0),
    EstablishmentType.HIGH_SECURITY: (Category.A, (450, 900), 0.0),
    EstablishmentType.WOMENS: (Category.CLOSED, (120, 550), 0.15),
    EstablishmentType.YOI: (Category.C, (250, 700), 0.0),
    EstablishmentType.YCS_YOI: (Category.YOUTH, (60, 250), 0.0),
    EstablishmentType.STC: (Category.YOUTH, (60, 90), 0.5),
    EstablishmentType.SCH: (Category.YOUTH, (60, 80), 0.0),
    EstablishmentType.IRC: (Category.CLOSED, (100, 650), 0.0),
}
# 94 establishments spread over 17 geographic groups, and three groups for special estates.
GEOGRAPHIC_MIX = {
    EstablishmentType.LOCAL: 30,
    EstablishmentType.CAT_B: 9,
    EstablishmentType.CAT_C: 40,
    EstablishmentType.OPEN: 10,
    EstablishmentType.YOI: 5,
}
GEOGRAPHIC_GROUPS = 17
SPECIAL_GROUPS = (
    ("High security estate", {EstablishmentType.HIGH_SECURITY: 5}),
    ("Women's estate", {EstablishmentType.WOMENS: 12}),
    (
        "Youth custody estate",
        {EstablishmentType.YCS_YOI: 4, EstablishmentType.STC: 2, EstablishmentType.SCH: 3},
    ),
)
PDUS_PER_REGION = (18, 5, 9, 11, 7, 10, 12, 8, 6, 9, 8, 7)  # 110 in all


class _Names:
    """Invented place names, each used once."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def any(self) -> str:
        """A name that may have been used before (street names)."""
        # "Tull" + "ley" reads "Tulley", not "Tullley".
        return re.sub(r"(.)\1\1", r"\1\1", self.rng.choice(PREFIXES) + self.rng.choice(SUFFIXES))

    def place(self) -> str:
        while True:
            name = self.any()
            if name not in self.used and name.lower() not in REAL_PRISON_NAMES:
                self.used.add(name)
                return name


def _establishment_name(kind: str, place: str) -> str:
    return {
        EstablishmentType.YOI: f"HMP & YOI {place}",
        EstablishmentType.YCS_YOI: f"HMYOI {place}",
        EstablishmentType.STC: f"{place} Secure Training Centre",
        EstablishmentType.SCH: f"{place} Secure Children's Home",
        EstablishmentType.IRC: f"{place} Immigration Removal Centre",
    }.get(kind, f"HMP {place}")


def _three_letter_code(place: str, used: set[str]) -> str:
    letters = [c for c in place.upper() if c.isalpha()]
    candidates = [
        letters[0] + a + b for i, a in enumerate(letters[1:], 1) for b in letters[i + 1 :]
    ]
    candidates += [letters[0] + a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "XYZ"]
    code = next(c for c in candidates if c not in used)
    used.add(code)
    return code


def _round_to(value: float, step: int) -> int:
    return max(step, int(round(value / step) * step))


def _establishment(rng, names, codes, group_code: str, kind: str, row: int) -> UnitRow:
    category, (low, high), private_share = PROFILES[kind]
    place = names.place()
    capacity = _round_to(rng.uniform(low, high), 5 if high < 200 else 10)
    population = min(capacity, round(capacity * rng.uniform(0.85, 1.0)))
    if kind == EstablishmentType.WOMENS and rng.random() < 0.2:
        category = Category.OPEN
    operator = Operator.PRIVATE if rng.random() < private_share else Operator.PUBLIC
    return UnitRow(
        kind=UnitKind.ESTABLISHMENT,
        code=_three_letter_code(place, codes),
        name=_establishment_name(kind, place),
        parent_code=group_code,
        details={
            "establishment_type": kind,
            "status": EstablishmentStatus.OPEN,
            "categories": [category],
            "operator": operator,
            "operational_capacity": capacity,
            "population": population,
        },
        sheet="Establishments",
        row=row,
    )


def _office(rng, names, pdu_code: str, town: str, number: int, row: int) -> UnitRow:
    street = f"{names.any()} {rng.choice(STREETS)}"
    opens = rng.choice([datetime.time(8, 0), datetime.time(8, 30), datetime.time(9, 0)])
    extended = rng.random() < 0.2
    closes = (
        datetime.time(20, 0)
        if extended
        else rng.choice([datetime.time(17, 0), datetime.time(17, 30)])
    )
    days = 6 if extended or rng.random() < 0.1 else 5
    return UnitRow(
        kind=UnitKind.OFFICE,
        code=f"{pdu_code}-O{number}",
        name=f"{town}, {street}",
        parent_code=pdu_code,
        details={
            "interview_rooms": rng.randint(2, 14),
            "opens_at": opens,
            "closes_at": closes,
            "days_open": days,
        },
        sheet="Offices",
        row=row,
    )


def build_demo_estate() -> EstateData:
    """The demo estate: the same units, codes, names and figures on every call."""
    rng = random.Random(SEED)
    names = _Names(rng)
    codes: set[str] = set()
    groups: list[UnitRow] = []
    establishments: list[UnitRow] = []

    def group(number: int, name: str) -> str:
        code = f"G{number:02d}"
        groups.append(
            UnitRow(UnitKind.PRISON_GROUP, code, name, None, {}, "Prison groups", len(groups) + 2)
        )
        return code

    geographic = [
        group(n, f"{names.place()} and {names.place()}") for n in range(1, GEOGRAPHIC_GROUPS + 1)
    ]
    # Every geographic group gets one local prison first (the demo editor's is in G01), then
    # the rest of the mix is shuffled and dealt round the groups.
    mix = [kind for kind, count in GEOGRAPHIC_MIX.items() for _ in range(count)]
    mix.remove(EstablishmentType.LOCAL)
    locals_first = [EstablishmentType.LOCAL] * (GEOGRAPHIC_GROUPS - 1)
    for _ in locals_first:
        mix.remove(EstablishmentType.LOCAL)
    rest = mix
    rng.shuffle(rest)
    dealt = [EstablishmentType.LOCAL, *locals_first, *rest]
    plan = [(geographic[i % GEOGRAPHIC_GROUPS], kind) for i, kind in enumerate(dealt)]
    for n, (name, mix_of_group) in enumerate(SPECIAL_GROUPS, start=GEOGRAPHIC_GROUPS + 1):
        code = group(n, name)
        plan += [(code, kind) for kind, count in mix_of_group.items() for _ in range(count)]
    for group_code, kind in sorted(plan, key=lambda p: p[0]):
        establishments.append(
            _establishment(rng, names, codes, group_code, kind, len(establishments) + 2)
        )

    irc_group = f"G{GEOGRAPHIC_GROUPS + len(SPECIAL_GROUPS) + 1:02d}"

    regions: list[UnitRow] = []
    pdus: list[UnitRow] = []
    offices: list[UnitRow] = []
    for r, pdu_count in enumerate(PDUS_PER_REGION, start=1):
        region_code = f"R{r:02d}"
        regions.append(
            UnitRow(
                UnitKind.PROBATION_REGION,
                region_code,
                f"{names.place()} and {names.place()}",
                None,
                {},
                "Probation regions",
                r + 1,
            )
        )
        for p in range(1, pdu_count + 1):
            pdu_code = f"{region_code}-P{p:02d}"
            town = names.place()
            name = f"{town} and {names.place()}" if rng.random() < 0.3 else town
            pdus.append(
                UnitRow(UnitKind.PDU, pdu_code, name, region_code, {}, "PDUs", len(pdus) + 2)
            )
            for o in range(1, rng.randint(2, 4) + 1):
                offices.append(_office(rng, names, pdu_code, town, o, len(offices) + 2))
    groups.append(
        UnitRow(
            UnitKind.PRISON_GROUP,
            irc_group,
            "Immigration removal estate",
            None,
            {},
            "Prison groups",
            len(groups) + 2,
        )
    )
    # Establishments that show the real register's awkward cases, made after everything else
    # so that the rest of the estate is the same as before they were added.
    awkward: list[tuple[str, str, dict]] = [
        # A closed prison: its history and plans stay, it leaves counts and lists.
        ("G02", EstablishmentType.CAT_C, {"status": EstablishmentStatus.CLOSED, "population": 0}),
        # A training prison holding two categories.
        ("G03", EstablishmentType.CAT_C, {"categories": [Category.B, Category.C]}),
        # Immigration removal centres have no security category; one has not reported its
        # population.
        (irc_group, EstablishmentType.IRC, {"categories": [], "operator": Operator.PRIVATE}),
        (irc_group, EstablishmentType.IRC, {"categories": [], "population": None}),
    ]
    for group_code, kind, overrides in awkward:
        unit = _establishment(rng, names, codes, group_code, kind, len(establishments) + 2)
        establishments.append(
            UnitRow(
                unit.kind,
                unit.code,
                unit.name,
                unit.parent_code,
                {**unit.details, **overrides},
                unit.sheet,
                unit.row,
            )
        )
    return EstateData(groups + establishments + regions + pdus + offices)


# --- The demo accounts -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoRole:
    role: str
    unit_code: str
    unit_name: str

    @property
    def label(self) -> str:
        return f"{Role(self.role).label} at {self.unit_name}"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    job_title: str
    roles: tuple[DemoRole, ...]

    @property
    def description(self) -> str:
        return "; ".join(r.label for r in self.roles)


def _demo_accounts(estate: EstateData) -> tuple[DemoAccount, ...]:
    units = {u.code: u for u in estate.units}
    nation = (NATION_CODE, NATION_NAME)

    def first(kind: str, group: str | None = None, skip: str | None = None) -> UnitRow:
        return next(
            u
            for u in estate.of_kind(UnitKind.ESTABLISHMENT)
            if u.details["establishment_type"] == kind
            and (group is None or u.parent_code == group)
            and u.code != skip
        )

    home = first(EstablishmentType.LOCAL, "G01")
    other = first(EstablishmentType.LOCAL, "G02")
    ycs = first(EstablishmentType.YCS_YOI)
    group = units[home.parent_code]
    region = estate.of_kind(UnitKind.PROBATION_REGION)[0]
    pdu = next(u for u in estate.of_kind(UnitKind.PDU) if u.parent_code == region.code)

    def at(role: str, unit) -> DemoRole:
        code, name = (unit.code, unit.name) if isinstance(unit, UnitRow) else unit
        return DemoRole(role, code, name)

    def account(local: str, last: str, title: str, *roles: DemoRole) -> DemoAccount:
        return DemoAccount(f"{local}@demo.example", "Demo", last, title, roles)

    return (
        account("editor", "Editor", "Head of Regime", at(Role.ESTABLISHMENT_EDITOR, home)),
        account("governor", "Governor", "Governing Governor", at(Role.GOVERNOR, home)),
        account(
            "tu-rep", "Union-Rep", "Trade union representative", at(Role.TRADE_UNION_REP, home)
        ),
        account("pgd", "Group-Director", "Prison Group Director", at(Role.PGD, group)),
        account("centre", "Panel", "Recovery Committee member", at(Role.CENTRAL_PANEL, nation)),
        account("author", "Author", "Framework author", at(Role.FRAMEWORK_AUTHOR, nation)),
        account("pdu-head", "Pdu-Head", "Head of PDU", at(Role.PDU_HEAD, pdu)),
        account(
            "region", "Region", "Regional Probation Director", at(Role.PROBATION_REGION, region)
        ),
        account(
            "probation-centre",
            "Probation-Centre",
            "Business Recovery Programme lead",
            at(Role.PROBATION_CENTRE, nation),
        ),
        account("viewer", "Viewer", "Inspector (read only)", at(Role.VIEWER, nation)),
        account("admin", "Administrator", "Service administrator", at(Role.ADMINISTRATOR, nation)),
        account(
            "multi",
            "Two-Sites",
            "Governor of two establishments",
            at(Role.GOVERNOR, home),
            at(Role.GOVERNOR, other),
        ),
        account(
            "ycs-editor",
            "Youth-Editor",
            "Head of Regime (youth custody)",
            at(Role.ESTABLISHMENT_EDITOR, ycs),
        ),
    )


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = _demo_accounts(build_demo_estate())
