"""Words every domain shares: the kinds of organisation unit and the roles people hold at them.

Importable without models."""

from django.db import models


class UnitKind(models.TextChoices):
    NATION = "nation", "National"
    PRISON_GROUP = "prison_group", "Prison group"
    ESTABLISHMENT = "establishment", "Establishment"
    PROBATION_REGION = "probation_region", "Probation region"
    PDU = "pdu", "Probation delivery unit"
    OFFICE = "office", "Probation office"


PRISON_UNIT_KINDS = frozenset({UnitKind.PRISON_GROUP, UnitKind.ESTABLISHMENT})
PROBATION_UNIT_KINDS = frozenset({UnitKind.PROBATION_REGION, UnitKind.PDU, UnitKind.OFFICE})


class Role(models.TextChoices):
    ESTABLISHMENT_EDITOR = "establishment_editor", "Establishment editor"
    GOVERNOR = "governor", "Governor or Director"
    TRADE_UNION_REP = "trade_union_rep", "Trade union representative"
    PGD = "pgd", "Prison Group Director or regional Silver"
    CENTRAL_PANEL = "central_panel", "National Recovery Committee (central panel)"
    FRAMEWORK_AUTHOR = "framework_author", "Framework author"
    PDU_HEAD = "pdu_head", "Head of probation delivery unit"
    PROBATION_REGION = "probation_region", "Probation region"
    PROBATION_CENTRE = "probation_centre", "Probation centre (Business Recovery Programme)"
    VIEWER = "viewer", "Read-only viewer"
    ADMINISTRATOR = "administrator", "Administrator"


# Where each role may be held. A role is always held *at* an organisation unit.
ROLE_UNIT_KINDS: dict[str, frozenset[str]] = {
    Role.ESTABLISHMENT_EDITOR: frozenset({UnitKind.ESTABLISHMENT}),
    Role.GOVERNOR: frozenset({UnitKind.ESTABLISHMENT}),
    Role.TRADE_UNION_REP: frozenset({UnitKind.ESTABLISHMENT}),
    Role.PGD: frozenset({UnitKind.PRISON_GROUP}),
    Role.CENTRAL_PANEL: frozenset({UnitKind.NATION}),
    Role.FRAMEWORK_AUTHOR: frozenset({UnitKind.NATION}),
    Role.PDU_HEAD: frozenset({UnitKind.PDU}),
    Role.PROBATION_REGION: frozenset({UnitKind.PROBATION_REGION}),
    Role.PROBATION_CENTRE: frozenset({UnitKind.NATION}),
    Role.VIEWER: frozenset({UnitKind.NATION, UnitKind.PRISON_GROUP, UnitKind.PROBATION_REGION}),
    Role.ADMINISTRATOR: frozenset({UnitKind.NATION}),
}

PRISON_ROLES = frozenset(
    {
        Role.ESTABLISHMENT_EDITOR,
        Role.GOVERNOR,
        Role.TRADE_UNION_REP,
        Role.PGD,
        Role.CENTRAL_PANEL,
        Role.FRAMEWORK_AUTHOR,
    }
)
PROBATION_ROLES = frozenset({Role.PDU_HEAD, Role.PROBATION_REGION, Role.PROBATION_CENTRE})
ALL_ROLES = frozenset(Role.values)
