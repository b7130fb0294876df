"""The public status page needs no permission: it is open to everyone and shows only what is
published (see recovery.public.views and docs/access-policy.yaml `public:`). Writing what it
publishes does: the Governor publishes their establishment's note for families."""

from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page, public
from recovery.core.scope import register

EDIT_NOTE = "public.edit_note"

register(
    EDIT_NOTE,
    {Role.GOVERNOR},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Publish your establishment's note for families on its public status page",
)

public("public:index", "public:establishment")
page("public:note", EDIT_NOTE, "establishment")
