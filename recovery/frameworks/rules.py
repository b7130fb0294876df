"""Who may read and write the framework library. Declared once; the scope engine and the
permission-matrix test both read it."""

from recovery.core.constants import PRISON_ROLES, Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import register
from recovery.core.workflow import Workflow, transition
from recovery.frameworks.constants import EdmStatus

register(
    "frameworks.view_library",
    PRISON_ROLES | {Role.VIEWER, Role.ADMINISTRATOR},
    description="Read the published EDMs, the stage ladder and the regime elements",
)
register(
    "frameworks.author",
    {Role.FRAMEWORK_AUTHOR},
    unit_kinds={UnitKind.NATION},
    description=(
        "Upload, build, publish and withdraw EDMs; keep the stage ladder and regime elements"
    ),
)

# The life of an EDM version (docs/decisions/0014-workflows.md): a draft is published once, a
# published version may be withdrawn, a withdrawn one stays for history. Each step has its own
# action in actions.py, which locks the version and calls `EDM_WORKFLOW.move`.
EDM_WORKFLOW = Workflow(
    "EDM version",
    EdmStatus,
    [
        transition(
            "publish",
            EdmStatus.DRAFT,
            EdmStatus.PUBLISHED,
            permission="frameworks.author",
            label="Publish",
            past="published",
            only_when="a draft",
        ),
        transition(
            "withdraw",
            EdmStatus.PUBLISHED,
            EdmStatus.WITHDRAWN,
            permission="frameworks.author",
            label="Withdraw",
            past="withdrawn",
        ),
    ],
    noun="EDM version",
    subject=lambda v: f"EDM {v.edm.number} version {v.version_number}",
)

page("frameworks:library", "frameworks.view_library")
page("frameworks:edm", "frameworks.view_library")
page("frameworks:version", "frameworks.view_library")
page("frameworks:diff", "frameworks.view_library")
page("frameworks:export", "frameworks.view_library")
page("frameworks:upload", "frameworks.author")
page("frameworks:publish", "frameworks.author", method="POST")
# A confirmation page (GET) that lists the plans answering the version, then the withdrawal.
page("frameworks:withdraw", "frameworks.author")
page("frameworks:stages", "frameworks.view_library")
page("frameworks:stage-edit", "frameworks.author")
page("frameworks:elements", "frameworks.view_library")
page("frameworks:element-new", "frameworks.author")
# Building a draft in the service. Opened on a version that is not a draft, each sends the
# author back to the version with a message saying it cannot be changed.
page("frameworks:draft-new", "frameworks.author")
page("frameworks:version-new", "frameworks.author")
page("frameworks:draft-details", "frameworks.author")
page("frameworks:area-new", "frameworks.author")
page("frameworks:area-edit", "frameworks.author")
page("frameworks:area-remove", "frameworks.author")
page("frameworks:baseline-new", "frameworks.author")
page("frameworks:baseline-edit", "frameworks.author")
page("frameworks:baseline-remove", "frameworks.author")

page("api:GET /api/v1/edms", "frameworks.view_library")
page("api:GET /api/v1/edms/{number}/versions", "frameworks.view_library")
page("api:GET /api/v1/edms/{number}/versions/{version}", "frameworks.view_library")
page("api:GET /api/v1/edms/{number}/versions/{version}/diff", "frameworks.view_library")
