"""Who may do what in probation recovery, and the one table of the steps a request to hold
back, step back or move forward may take (core.workflow).

- Everyone on the probation side, and the oversight roles, read the steps within their scope: a
  region its own region and its PDUs, a PDU head their PDU (and the step of its region).
- Only the probation centre (the Probation Business Recovery Programme) records the ministers'
  gateway decisions, decides regions' requests and sets the risk-assessment period.
- Only a region asks, for itself or one of its PDUs.
- Only the head of a PDU records its offices' capacity and risk assessments."""

from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import register
from recovery.core.workflow import Workflow, transition
from recovery.probation.constants import RequestStatus as S

VIEW_STEPS = "probation.view_steps"
OPEN_STEP = "probation.open_step"
REQUEST_STEP_CHANGE = "probation.request_step_change"
DECIDE_STEP_REQUEST = "probation.decide_step_request"
VIEW_CAPACITY = "probation.view_capacity"
RECORD_CAPACITY = "probation.record_capacity"
SETTINGS = "probation.settings"

READERS = {
    Role.PDU_HEAD,
    Role.PROBATION_REGION,
    Role.PROBATION_CENTRE,
    Role.VIEWER,
    Role.ADMINISTRATOR,
}

register(
    VIEW_STEPS,
    READERS,
    unit_kinds={UnitKind.NATION, UnitKind.PROBATION_REGION, UnitKind.PDU},
    description="Read probation steps, gateway decisions and step requests in your scope",
)
register(
    OPEN_STEP,
    {Role.PROBATION_CENTRE},
    unit_kinds={UnitKind.NATION},
    description="Record ministers' gateway decision opening a probation step nationally",
)
register(
    REQUEST_STEP_CHANGE,
    {Role.PROBATION_REGION},
    unit_kinds={UnitKind.PROBATION_REGION, UnitKind.PDU},
    description="Ask to hold back, step back or move forward, for your region or its PDUs",
)
register(
    DECIDE_STEP_REQUEST,
    {Role.PROBATION_CENTRE},
    unit_kinds={UnitKind.PROBATION_REGION, UnitKind.PDU},
    description="Agree or refuse a region's request to hold back, step back or move forward",
)
register(
    VIEW_CAPACITY,
    READERS,
    unit_kinds={UnitKind.PDU, UnitKind.OFFICE},
    description="Read the face-to-face capacity and risk assessments of offices in your scope",
)
register(
    RECORD_CAPACITY,
    {Role.PDU_HEAD},
    unit_kinds={UnitKind.OFFICE},
    description="Record your offices' capacity and their office and individual risk assessments",
)
register(
    SETTINGS,
    {Role.PROBATION_CENTRE},
    unit_kinds={UnitKind.NATION},
    description="Set how long an office risk assessment stays current",
)

STEP_REQUEST_WORKFLOW = Workflow(
    "step request",
    S,
    [
        transition(
            "agree",
            S.REQUESTED,
            S.AGREED,
            permission=DECIDE_STEP_REQUEST,
            label="Agree",
            past="agreed",
        ),
        transition(
            "refuse",
            S.REQUESTED,
            S.REFUSED,
            permission=DECIDE_STEP_REQUEST,
            label="Refuse",
            past="refused",
        ),
    ],
    noun="request",
)

# Steps and governance
page("probation:steps", VIEW_STEPS)
page("probation:gateway", OPEN_STEP)
page("probation:settings", SETTINGS)
page("probation:government-step", OPEN_STEP)
page("probation:region", VIEW_STEPS, "region")
page("probation:request-new", REQUEST_STEP_CHANGE, "region")
page("probation:request", VIEW_STEPS, "region")
page("probation:request-decide", DECIDE_STEP_REQUEST, "region")
# Office capacity and risk assessments
page("probation:pdu", VIEW_CAPACITY, "pdu")
page("probation:office", VIEW_CAPACITY, "office")
page("probation:office-capacity", RECORD_CAPACITY, "office")
page("probation:office-risk", RECORD_CAPACITY, "office")
page("probation:individual-risk", RECORD_CAPACITY, "office")
from recovery.probation.caseload_rules import *  # noqa: E402,F401,F403  (caseload and allocation)
from recovery.probation.ministers_rules import *  # noqa: E402,F401,F403  (reports to ministers)
from recovery.probation.staffing_rules import *  # noqa: E402,F401,F403  (staffing hierarchy)
from recovery.probation.workstream_rules import *  # noqa: E402,F401,F403  (workstreams)
