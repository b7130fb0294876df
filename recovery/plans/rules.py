"""Who may read and write Regime Recovery Plans. Declared once; the scope engine and the
permission-matrix test both read it.

An establishment (its editors and Governor) writes only its own plan; the trade-union
representative reads it; the PGD reads every plan of their group; the centre reads them all.
Reading a plan includes every answer in full (the answer page, its evidence and history):
the readers are the people who sign plans off."""

from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import register

VIEW_PLAN = "plans.view_plan"
EDIT_PLAN = "plans.edit_plan"
VIEW_GROUP = "plans.view_group_plans"
VIEW_NATIONAL = "plans.view_national_plans"
MOVE_PLANS = "plans.move_plans"
SEND_REMINDERS = "plans.send_reminders"

CENTRE = {Role.CENTRAL_PANEL, Role.FRAMEWORK_AUTHOR, Role.ADMINISTRATOR}

register(
    VIEW_PLAN,
    {
        Role.ESTABLISHMENT_EDITOR,
        Role.GOVERNOR,
        Role.TRADE_UNION_REP,
        Role.PGD,
        Role.VIEWER,
        *CENTRE,
    },
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Read the Regime Recovery Plans of establishments within your scope",
)
register(
    EDIT_PLAN,
    {Role.ESTABLISHMENT_EDITOR, Role.GOVERNOR},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Start your establishment's Regime Recovery Plan and answer its baselines",
)
register(
    VIEW_GROUP,
    {Role.PGD, Role.VIEWER, *CENTRE},
    unit_kinds={UnitKind.PRISON_GROUP},
    description="See the plan progress of every establishment in a prison group",
)
register(
    VIEW_NATIONAL,
    {Role.VIEWER, *CENTRE},
    unit_kinds={UnitKind.NATION},
    description="See the plan progress of every establishment in the country",
)
register(
    MOVE_PLANS,
    {Role.FRAMEWORK_AUTHOR, Role.ADMINISTRATOR},
    unit_kinds={UnitKind.NATION},
    description="Move every plan that answers an EDM version to its newer version",
)

register(
    SEND_REMINDERS,
    {Role.ADMINISTRATOR},
    unit_kinds={UnitKind.NATION},
    description="Send the reminders of baselines' target dates (run daily by the system)",
)

page("plans:index", VIEW_PLAN)
page("plans:plan", VIEW_PLAN, "establishment")
page("plans:start", EDIT_PLAN, "establishment", method="POST")
# Reading an answer needs only the plan (reviewers sign plans off); sending it needs EDIT_PLAN.
page("plans:response", VIEW_PLAN, "establishment")
page("plans:evidence-add", EDIT_PLAN, "establishment", method="POST")
page("plans:evidence-remove", EDIT_PLAN, "establishment", method="POST")
page("plans:evidence-download", VIEW_PLAN, "establishment")
page("plans:export", VIEW_PLAN, "establishment")
page("plans:report", VIEW_PLAN, "establishment")
page("plans:import", EDIT_PLAN, "establishment")
page("plans:group", VIEW_GROUP, "group")
page("plans:national", VIEW_NATIONAL, "nation")

page("api:GET /api/v1/plans", VIEW_PLAN)
page("api:GET /api/v1/plans/{code}", VIEW_PLAN, "establishment")
page("api:PATCH /api/v1/plans/{code}/responses", EDIT_PLAN, "establishment", method="PATCH")
