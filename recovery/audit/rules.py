"""Who may read the whole audit trail. A person may read one object's history wherever they may
read the object (each object page links to its own history)."""

from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import register

register(
    "audit.view_trail",
    {Role.ADMINISTRATOR},
    unit_kinds={UnitKind.NATION},
    description="Read the whole audit trail",
)

page("audit:trail", "audit.view_trail")
