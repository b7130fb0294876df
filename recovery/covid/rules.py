"""Who may read and record an establishment's Covid controls.

The establishment (its editors and Governor) records its own outbreaks, coverage, PPE stock and
plan review; everyone who reads its plan reads them; the PGD and the centre read them for their
scope."""

from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import register

VIEW_COVID = "covid.view"
EDIT_COVID = "covid.edit"

register(
    VIEW_COVID,
    {
        Role.ESTABLISHMENT_EDITOR,
        Role.GOVERNOR,
        Role.TRADE_UNION_REP,
        Role.PGD,
        Role.CENTRAL_PANEL,
        Role.FRAMEWORK_AUTHOR,
        Role.VIEWER,
        Role.ADMINISTRATOR,
    },
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Read the Covid controls and outbreak register of establishments in your scope",
)
register(
    EDIT_COVID,
    {Role.ESTABLISHMENT_EDITOR, Role.GOVERNOR},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Record your establishment's outbreaks, coverage, PPE stock and plan review",
)

page("covid:controls", VIEW_COVID, "establishment")
page("covid:declare", EDIT_COVID, "establishment")
page("covid:end", EDIT_COVID, "establishment")
page("covid:edit", EDIT_COVID, "establishment")
page("covid:ppe", EDIT_COVID, "establishment")
page("covid:import", EDIT_COVID, "establishment")

page("api:GET /api/v1/covid", VIEW_COVID)
page("api:GET /api/v1/covid/{code}", VIEW_COVID, "establishment")
page("api:POST /api/v1/covid/{code}/outbreaks", EDIT_COVID, "establishment", method="POST")
