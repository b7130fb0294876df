"""Who may read and keep Local Recovery Plans, returns, data calls and releases.

The establishment (its editors and Governor) keeps its own plan and returns; everyone who reads
its plan reads them; the PGD reads the group's, the centre the nation's. The centre keeps the
metric catalogue and the return settings and sends data calls. Published releases are read by
everyone who reads national or group figures."""

from recovery.backlogs.constants import DataCallStatus
from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import register
from recovery.core.workflow import Workflow, transition

VIEW_BACKLOGS = "backlogs.view"
EDIT_RETURNS = "backlogs.edit_returns"
EDIT_LRP = "backlogs.edit_lrp"
VIEW_GROUP_BACKLOGS = "backlogs.view_group"
VIEW_NATIONAL_BACKLOGS = "backlogs.view_national"
MANAGE_CATALOGUE = "backlogs.manage_catalogue"
MANAGE_DATA_CALLS = "backlogs.manage_data_calls"

CENTRE_READERS = {Role.CENTRAL_PANEL, Role.FRAMEWORK_AUTHOR, Role.VIEWER, Role.ADMINISTRATOR}
ESTABLISHMENT_KEEPERS = {Role.ESTABLISHMENT_EDITOR, Role.GOVERNOR}

register(
    VIEW_BACKLOGS,
    {*ESTABLISHMENT_KEEPERS, Role.TRADE_UNION_REP, Role.PGD, *CENTRE_READERS},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Read the Local Recovery Plan, returns and backlog dashboard of establishments "
    "in your scope",
)
register(
    EDIT_RETURNS,
    ESTABLISHMENT_KEEPERS,
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Enter, upload and correct your establishment's returns",
)
register(
    EDIT_LRP,
    ESTABLISHMENT_KEEPERS,
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Keep your establishment's Local Recovery Plan (baselines, targets, owners)",
)
register(
    VIEW_GROUP_BACKLOGS,
    {Role.PGD, *CENTRE_READERS},
    unit_kinds={UnitKind.PRISON_GROUP},
    description="See the backlog dashboard of a prison group",
)
register(
    VIEW_NATIONAL_BACKLOGS,
    CENTRE_READERS,
    unit_kinds={UnitKind.NATION},
    description="See the national backlog dashboard, data calls and releases",
)
register(
    MANAGE_CATALOGUE,
    {Role.CENTRAL_PANEL, Role.FRAMEWORK_AUTHOR},
    unit_kinds={UnitKind.NATION},
    description="Keep the backlog metric catalogue and the return settings",
)
register(
    MANAGE_DATA_CALLS,
    {Role.CENTRAL_PANEL},
    unit_kinds={UnitKind.NATION},
    description="Send data calls to establishments and remind those who have not answered",
)

# --- Pages: the catalogue, settings, Local Recovery Plans and returns (backlogs) ---------------

page("backlogs:index", VIEW_BACKLOGS)
page("backlogs:catalogue", MANAGE_CATALOGUE)
page("backlogs:metric-new", MANAGE_CATALOGUE)
page("backlogs:metric-edit", MANAGE_CATALOGUE)
page("backlogs:metric-retire", MANAGE_CATALOGUE)
page("backlogs:settings", MANAGE_CATALOGUE)
page("backlogs:plan", VIEW_BACKLOGS, "establishment")
page("backlogs:plan-line", EDIT_LRP, "establishment")
page("backlogs:returns", VIEW_BACKLOGS, "establishment")
page("backlogs:returns-upload", EDIT_RETURNS, "establishment")
page("backlogs:return", EDIT_RETURNS, "establishment")
page("backlogs:figure-history", VIEW_BACKLOGS, "establishment")
page("api:GET /api/v1/establishments/{code}/returns", VIEW_BACKLOGS, "establishment")
page("api:POST /api/v1/establishments/{code}/returns", EDIT_RETURNS, "establishment", method="POST")
# Dashboards and comparisons (figures)
page("backlogs:dashboard", VIEW_BACKLOGS, "establishment")
page("backlogs:metric", VIEW_BACKLOGS, "establishment")
page("backlogs:group-dashboard", VIEW_GROUP_BACKLOGS, "group")
page("backlogs:national-dashboard", VIEW_NATIONAL_BACKLOGS, "nation")
page("backlogs:compare", VIEW_BACKLOGS)
# --- Data calls, releases and feeds (releases engineer) ------------------------------------
PUBLISH_RELEASES = "backlogs.publish_releases"

register(
    PUBLISH_RELEASES,
    {Role.CENTRAL_PANEL},
    unit_kinds={UnitKind.NATION},
    description="Publish a release of national and group backlog figures (done on schedule by "
    "the service itself)",
)

DATA_CALL_WORKFLOW = Workflow(
    "Data call",
    DataCallStatus,
    [
        transition(
            "close",
            DataCallStatus.OPEN,
            DataCallStatus.CLOSED,
            permission=MANAGE_DATA_CALLS,
            label="Close the data call",
            past="closed",
        ),
    ],
    noun="data call",
)

# Releases: read by everyone who reads group or national figures (a PGD sees the nation and
# their own group's figures, the centre every group's); the feed likewise.
page("backlogs:releases", VIEW_GROUP_BACKLOGS)
page("backlogs:release-latest", VIEW_GROUP_BACKLOGS)
page("backlogs:release", VIEW_GROUP_BACKLOGS)
page("backlogs:feed", VIEW_GROUP_BACKLOGS)
page("backlogs:feeds", VIEW_GROUP_BACKLOGS)
# Data calls: the centre's business.
page("backlogs:data-calls", VIEW_NATIONAL_BACKLOGS)
page("backlogs:data-call-new", MANAGE_DATA_CALLS)
page("backlogs:data-call", VIEW_NATIONAL_BACKLOGS, "nation")
page("backlogs:data-call-remind", MANAGE_DATA_CALLS, "nation", method="POST")
page("backlogs:data-call-close", MANAGE_DATA_CALLS, "nation", method="POST")
