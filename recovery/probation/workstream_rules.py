"""Who may do what with the 15 recovery workstreams (loaded by recovery.probation.rules).

- The probation centre (the Probation Business Recovery Programme, which runs the Recovery
  Programme Board) records each workstream's lead, its status updates (RAG and summary), its
  milestones and its issues.
- Everyone else on the probation side (regions, PDU heads) and the oversight roles read the
  Board and each workstream: the workstreams are national, so a region or a PDU head reads all
  fifteen. A read-only viewer held at a prison group is on the prison side of their scope and
  reads none; nobody on the prison side does."""

from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import is_system, matching_scopes, register

VIEW_WORKSTREAMS = "probation.view_workstreams"
MANAGE_WORKSTREAMS = "probation.manage_workstreams"

# The kinds of unit a reader holds their role at: the probation side of the estate, or the
# nation (the centre and the oversight roles).
READ_AT = frozenset({UnitKind.NATION, UnitKind.PROBATION_REGION, UnitKind.PDU})

register(
    VIEW_WORKSTREAMS,
    {Role.PDU_HEAD, Role.PROBATION_REGION, Role.PROBATION_CENTRE, Role.VIEWER, Role.ADMINISTRATOR},
    unit_kinds=READ_AT,
    description="Read the Recovery Programme Board: the 15 workstreams' status, milestones and "
    "issues",
)
register(
    MANAGE_WORKSTREAMS,
    {Role.PROBATION_CENTRE},
    unit_kinds={UnitKind.NATION},
    description="Record the workstreams' leads, status updates, milestones and issues",
)


def reads_workstreams(user) -> bool:
    """May `user` read the Board? They hold the permission at the nation, a probation region or
    a PDU (not a viewer of a prison group)."""
    return is_system(user) or any(
        s.unit_kind in READ_AT for s in matching_scopes(user, VIEW_WORKSTREAMS)
    )


def manages_workstreams(user) -> bool:
    return is_system(user) or any(
        s.unit_kind == UnitKind.NATION for s in matching_scopes(user, MANAGE_WORKSTREAMS)
    )


# The Recovery Programme Board and its workstreams
page("probation:workstreams", VIEW_WORKSTREAMS)
page("probation:workstream", VIEW_WORKSTREAMS)
page("probation:workstream-lead", MANAGE_WORKSTREAMS)
page("probation:workstream-update", MANAGE_WORKSTREAMS)
page("probation:workstream-milestone-new", MANAGE_WORKSTREAMS)
page("probation:workstream-milestone", MANAGE_WORKSTREAMS)
page("probation:workstream-milestone-done", MANAGE_WORKSTREAMS)
page("probation:workstream-issue-new", MANAGE_WORKSTREAMS)
page("probation:workstream-issue", MANAGE_WORKSTREAMS)
page("probation:workstream-issue-close", MANAGE_WORKSTREAMS)
