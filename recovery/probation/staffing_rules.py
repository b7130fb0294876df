"""Who may do what with the staffing hierarchy (loaded by recovery.probation.rules).

- A PDU's head records their own PDU's weeks: the hours needed and the hours each rung gives.
- Everyone on the probation side, and the oversight roles, read the weeks within their scope:
  a PDU head their PDU, a region its PDUs (and the region's totals by rung), the centre and
  oversight every PDU and region.
- The national totals by rung are read by those who hold the centre's or oversight's role for
  the whole country."""

from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import register

VIEW_STAFFING = "probation.view_staffing"
RECORD_STAFFING = "probation.record_staffing"
VIEW_NATIONAL_STAFFING = "probation.view_national_staffing"

register(
    VIEW_STAFFING,
    {Role.PDU_HEAD, Role.PROBATION_REGION, Role.PROBATION_CENTRE, Role.VIEWER, Role.ADMINISTRATOR},
    unit_kinds={UnitKind.PROBATION_REGION, UnitKind.PDU},
    description="Read the staff hours needed and covered by each rung of the staffing hierarchy",
)
register(
    RECORD_STAFFING,
    {Role.PDU_HEAD},
    unit_kinds={UnitKind.PDU},
    description="Record your PDU's staff hours needed and available from each rung, by week",
)
register(
    VIEW_NATIONAL_STAFFING,
    {Role.PROBATION_CENTRE, Role.VIEWER, Role.ADMINISTRATOR},
    unit_kinds={UnitKind.NATION},
    description="Read the national staff hours covered by each rung of the staffing hierarchy",
)

# The staffing hierarchy
page("probation:staffing-national", VIEW_NATIONAL_STAFFING)
page("probation:staffing-region", VIEW_STAFFING, "region")
page("probation:staffing", VIEW_STAFFING, "pdu")
page("probation:staffing-week", RECORD_STAFFING, "pdu")
