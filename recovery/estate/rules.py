"""Who may do what with the estate. Declared once; the scope engine and the permission-matrix
test both read it."""

from recovery.core.constants import PRISON_ROLES, PROBATION_ROLES, Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import register

OVERSIGHT = {Role.VIEWER, Role.ADMINISTRATOR}

register(
    "estate.view_prison_estate",
    PRISON_ROLES | OVERSIGHT,
    unit_kinds={UnitKind.NATION, UnitKind.PRISON_GROUP, UnitKind.ESTABLISHMENT},
    description="See the prison estate within your scope",
)
register(
    "estate.view_probation_estate",
    PROBATION_ROLES | OVERSIGHT,
    unit_kinds={UnitKind.NATION, UnitKind.PROBATION_REGION, UnitKind.PDU, UnitKind.OFFICE},
    description="See the probation estate within your scope",
)
register(
    "estate.change_establishment",
    {Role.GOVERNOR, Role.ADMINISTRATOR},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Correct an establishment's details, capacity and population",
)
register(
    "estate.change_office",
    {Role.PDU_HEAD, Role.ADMINISTRATOR},
    unit_kinds={UnitKind.OFFICE},
    description="Correct a probation office's rooms and opening hours",
)
register(
    "estate.import_estate",
    {Role.ADMINISTRATOR},
    unit_kinds={UnitKind.NATION},
    description="Load the estate from a spreadsheet",
)

page("estate:nation", "estate.view_prison_estate", "nation")
page("estate:establishments", "estate.view_prison_estate")
page("estate:group", "estate.view_prison_estate", "group")
page("estate:establishment", "estate.view_prison_estate", "establishment")
page("estate:establishment-edit", "estate.change_establishment", "establishment")
page("estate:unit-history", "estate.view_prison_estate", "establishment")
page("estate:probation", "estate.view_probation_estate", "nation")
page("estate:region", "estate.view_probation_estate", "region")
page("estate:pdu", "estate.view_probation_estate", "pdu")
page("estate:office", "estate.view_probation_estate", "office")
page("estate:office-edit", "estate.change_office", "office")
page("estate:import", "estate.import_estate")
