"""Who may do what with caseloads and allocation (loaded by recovery.probation.rules).

- Everyone on the probation side, and the oversight roles, read caseload figures within their
  scope: a PDU head their PDU, a region its PDUs, the centre and oversight every PDU. Figures
  only: references appear on the wave pages of the PDU itself.
- A PDU head loads their own PDU's caseload, makes its waves and records their reviews.
- The probation centre loads the caseload nationally and allocates nationally (background jobs,
  whose pages it and the oversight roles see)."""

from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import register

VIEW_CASELOAD = "probation.view_caseload"
IMPORT_CASELOAD = "probation.import_caseload"
ALLOCATE_WAVE = "probation.allocate_wave"
NATIONAL_CASELOAD = "probation.national_caseload"

register(
    VIEW_CASELOAD,
    {Role.PDU_HEAD, Role.PROBATION_REGION, Role.PROBATION_CENTRE, Role.VIEWER, Role.ADMINISTRATOR},
    unit_kinds={UnitKind.NATION, UnitKind.PDU},
    description="Read caseload categories, waves and review tasks of the PDUs in your scope",
)
register(
    IMPORT_CASELOAD,
    {Role.PDU_HEAD},
    unit_kinds={UnitKind.PDU},
    description="Load your PDU's caseload (pseudonymised references only)",
)
register(
    ALLOCATE_WAVE,
    {Role.PDU_HEAD},
    unit_kinds={UnitKind.PDU},
    description="Move a wave of your PDU's cases to face-to-face supervision and review it",
)
register(
    NATIONAL_CASELOAD,
    {Role.PROBATION_CENTRE},
    unit_kinds={UnitKind.NATION},
    description="Load the caseload nationally and allocate face-to-face capacity nationally",
)

# Case prioritisation and allocation
page("probation:caseloads", VIEW_CASELOAD)
page("probation:caseload", VIEW_CASELOAD, "pdu")
page("probation:caseload-import", IMPORT_CASELOAD, "pdu")
page("probation:allocation", ALLOCATE_WAVE, "pdu")
page("probation:wave", VIEW_CASELOAD, "pdu")
page("probation:wave-review", ALLOCATE_WAVE, "pdu")
page("probation:wave-tasks", ALLOCATE_WAVE, "pdu", method="POST")
page("probation:caseload-national-import", NATIONAL_CASELOAD)
page("probation:allocation-national", NATIONAL_CASELOAD)
page("probation:job", VIEW_CASELOAD, "nation")
