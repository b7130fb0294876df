"""Who may read and write an establishment's defensible decision log.

The Governor and the establishment's editors (the Governor's delegates) write its log. The log
is for the establishment itself, its PGD and the centre's oversight (inspectors among the
viewers): the establishment's own roles (the trade union representative too) read it, the PGD
reads the logs of their group, and the central panel, viewers and administrators read the logs
in their scope (all of them, at the nation). Drafts are work in progress: only those who write
the log see them. Nobody else reads any log; a log out of scope answers 404."""

from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import register

VIEW_DECISIONS = "decisions.view"
WRITE_DECISIONS = "decisions.write"

register(
    VIEW_DECISIONS,
    {
        Role.ESTABLISHMENT_EDITOR,
        Role.GOVERNOR,
        Role.TRADE_UNION_REP,
        Role.PGD,
        Role.CENTRAL_PANEL,
        Role.VIEWER,
        Role.ADMINISTRATOR,
    },
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Read the defensible decision logs of establishments in your scope",
)
register(
    WRITE_DECISIONS,
    {Role.ESTABLISHMENT_EDITOR, Role.GOVERNOR},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Write, record and supersede decisions in your establishment's decision log",
)

# The defensible decision log (decisions)
page("decisions:index", VIEW_DECISIONS)
page("decisions:log", VIEW_DECISIONS, "establishment")
page("decisions:entry", VIEW_DECISIONS, "establishment")
page("decisions:export-pdf", VIEW_DECISIONS, "establishment")
page("decisions:export-xlsx", VIEW_DECISIONS, "establishment")
page("decisions:draft-new", WRITE_DECISIONS, "establishment")
page("decisions:draft", WRITE_DECISIONS, "establishment")
page("decisions:draft-delete", WRITE_DECISIONS, "establishment")
page("decisions:draft-record", WRITE_DECISIONS, "establishment")
page("decisions:supersede", WRITE_DECISIONS, "establishment")
