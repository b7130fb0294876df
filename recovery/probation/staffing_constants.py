"""The staffing hierarchy of the probation roadmap ("Staffing"): the resourcing options a
shortfall is covered from, in the roadmap's order. The order is the roadmap's, fixed: a later
rung is used only once every earlier one is exhausted. Importable without the models."""

from dataclasses import dataclass
from decimal import Decimal

# Hours are kept to a tenth of an hour (a 37.5-hour week).
HOURS_PLACES = Decimal("0.1")
MAX_HOURS = Decimal("99999.9")  # in one PDU in one week, for one rung or in all
# Weeks may be planned this far ahead of the current week.
WEEKS_AHEAD = 52
# The first week that may be recorded: probation's recovery planning started in 2020.
FIRST_WEEK_YEAR = 2020


@dataclass(frozen=True)
class Rung:
    key: str
    label: str  # short, for table headings
    roadmap: str  # in the roadmap's words

    @property
    def field(self) -> str:
        """The model field holding the hours available from this rung."""
        return f"{self.key}_hours"


RUNGS: tuple[Rung, ...] = (
    Rung("existing_staff", "Existing staff", "Existing staff establishments"),
    Rung("overtime", "Overtime", "Staff overtime"),
    Rung("agency", "Agency staff", "Agency staff"),
    Rung("redeployment", "Redeployment", "Redeployment of other HMP/PPS staff"),
    Rung("returners", "Returners", "Former staff identified as part of the 'returners work'"),
    Rung(
        "other_departments",
        "Other government departments",
        "Other Government Department offers/arrangements",
    ),
    Rung("third_sector", "Third sector", "Third Sector arrangements"),
)
RUNG_KEYS = tuple(r.key for r in RUNGS)
RUNG_FIELDS = tuple(r.field for r in RUNGS)
