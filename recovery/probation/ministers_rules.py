"""Who makes and reads the fortnightly report to ministers (loaded by recovery.probation.rules).

- The probation centre (the Probation Business Recovery Programme) generates it: "We will send
  an update report to Ministers fortnightly".
- Probation regions read it: its national figures and their own region's rows, never another
  region's (as every probation role reads the steps within its scope); the oversight roles
  (ministers' offices and inspectors, administrators) read it whole when held nationally, a
  region's rows when held at a region.
- PDU heads do not: the report is the centre's account of the regions and the nation, and a
  PDU head's scope is their PDU (they read their own PDU's figures on its pages).
- The prison side nothing."""

from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import register

VIEW_MINISTERS_REPORTS = "probation.view_ministers_reports"
GENERATE_MINISTERS_REPORT = "probation.generate_ministers_report"

register(
    VIEW_MINISTERS_REPORTS,
    {Role.PROBATION_REGION, Role.PROBATION_CENTRE, Role.VIEWER, Role.ADMINISTRATOR},
    unit_kinds={UnitKind.NATION, UnitKind.PROBATION_REGION},
    description="Read the fortnightly reports to ministers (national figures and your regions)",
)
register(
    GENERATE_MINISTERS_REPORT,
    {Role.PROBATION_CENTRE},
    unit_kinds={UnitKind.NATION},
    description="Generate the fortnightly report to ministers",
)

# The fortnightly report to ministers. Every report is national: the pages name no unit, and
# each reader's rows are limited to the regions in their scope.
page("probation:reports", VIEW_MINISTERS_REPORTS)
page("probation:report", VIEW_MINISTERS_REPORTS)
page("probation:report-pdf", VIEW_MINISTERS_REPORTS)
page("probation:report-xlsx", VIEW_MINISTERS_REPORTS)
page("probation:report-generate", GENERATE_MINISTERS_REPORT, method="POST")
