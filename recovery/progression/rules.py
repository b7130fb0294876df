"""Who may take each step of readiness and stage progression, and the one table of the steps
an assessment, a proposed stage change and a progress review may take (core.workflow).

Segregation of duties is an object rule of the signing permissions: nobody consults on,
endorses or decides an assessment they submitted, and nobody signs two steps of one
assessment."""

from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import not_an_earlier_signer, not_submitted_by_actor, register
from recovery.core.workflow import Workflow, transition
from recovery.progression.constants import (
    AssessmentStatus as A,
)
from recovery.progression.constants import (
    ChangeStatus as C,
)
from recovery.progression.constants import (
    ReviewStatus as R,
)

VIEW_PROGRESSION = "progression.view"
PREPARE = "progression.prepare_assessment"
SUBMIT = "progression.submit_assessment"
CONSULT = "progression.consult_union"
ENDORSE = "progression.endorse"
DECIDE = "progression.decide"
MANAGE_SITTINGS = "progression.manage_sittings"
REPORT_PROGRESS = "progression.report_progress"
FORWARD_PROGRESS = "progression.forward_progress"
REVIEW_PROGRESS = "progression.review_progress"
CONFIRM_MOVE = "progression.confirm_stage_move"
RATIFY = "progression.ratify"
VIEW_GROUP = "progression.view_group"
VIEW_NATIONAL = "progression.view_national"
SETTINGS = "progression.settings"

CENTRE_READERS = {Role.CENTRAL_PANEL, Role.FRAMEWORK_AUTHOR, Role.VIEWER, Role.ADMINISTRATOR}


def _signers(assessment) -> set[int]:
    return assessment.signer_ids()


NOT_SUBMITTER = not_submitted_by_actor(
    message="You submitted this assessment, so you cannot sign a later step of it."
)
NOT_EARLIER_SIGNER = not_an_earlier_signer(
    _signers, message="You have already signed a step of this assessment: another person must."
)

register(
    VIEW_PROGRESSION,
    {
        Role.ESTABLISHMENT_EDITOR,
        Role.GOVERNOR,
        Role.TRADE_UNION_REP,
        Role.PGD,
        *CENTRE_READERS,
    },
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Read an establishment's stage history, readiness assessments and reviews",
)
register(
    PREPARE,
    {Role.ESTABLISHMENT_EDITOR, Role.GOVERNOR},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Start and edit your establishment's readiness assessment",
)
register(
    SUBMIT,
    {Role.GOVERNOR},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Submit (or withdraw) your establishment's readiness assessment",
)
register(
    CONSULT,
    {Role.TRADE_UNION_REP},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Record the local trade union's consultation on a readiness assessment",
    object_rules=[NOT_SUBMITTER, NOT_EARLIER_SIGNER],
)
register(
    ENDORSE,
    {Role.PGD},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Endorse or return the readiness assessments of your group's establishments",
    object_rules=[NOT_SUBMITTER, NOT_EARLIER_SIGNER],
)
register(
    DECIDE,
    {Role.CENTRAL_PANEL},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Approve commencement, defer or reject a readiness assessment",
    object_rules=[NOT_SUBMITTER, NOT_EARLIER_SIGNER],
)
register(
    MANAGE_SITTINGS,
    {Role.CENTRAL_PANEL},
    unit_kinds={UnitKind.NATION},
    description="Open and close panel sittings and see the queue awaiting a national decision",
)
register(
    REPORT_PROGRESS,
    {Role.GOVERNOR},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Report your establishment's progress after commencement",
)
register(
    FORWARD_PROGRESS,
    {Role.PGD},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Forward a progress report of your group's establishment with your view",
)
register(
    REVIEW_PROGRESS,
    {Role.CENTRAL_PANEL},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Decide a progress review: progress, remain, slow or regress",
)
register(
    CONFIRM_MOVE,
    {Role.PGD, Role.CENTRAL_PANEL},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Confirm or dismiss a proposed emergency move back a stage",
)
register(
    RATIFY,
    {Role.CENTRAL_PANEL},
    unit_kinds={UnitKind.ESTABLISHMENT},
    description="Ratify a regression or emergency move that took effect at once",
)
register(
    VIEW_GROUP,
    {Role.PGD, *CENTRE_READERS},
    unit_kinds={UnitKind.PRISON_GROUP},
    description="See the stage picture of a prison group",
)
register(
    VIEW_NATIONAL,
    CENTRE_READERS,
    unit_kinds={UnitKind.NATION},
    description="See the national stage picture",
)
register(
    SETTINGS,
    {Role.CENTRAL_PANEL},
    unit_kinds={UnitKind.NATION},
    description="Set the readiness thresholds (contingency review period, testing coverage)",
)

ASSESSMENT_WORKFLOW = Workflow(
    "readiness assessment",
    A,
    [
        transition(
            "submit",
            [A.DRAFT, A.RETURNED],
            A.AWAITING_UNION,
            permission=SUBMIT,
            label="Submit",
            past="submitted",
        ),
        transition(
            "consult",
            A.AWAITING_UNION,
            A.AWAITING_PGD,
            permission=CONSULT,
            label="Record consultation",
            past="consulted on",
        ),
        transition(
            "endorse",
            A.AWAITING_PGD,
            A.AWAITING_PANEL,
            permission=ENDORSE,
            label="Endorse",
            past="endorsed",
        ),
        transition(
            "return",
            A.AWAITING_PGD,
            A.RETURNED,
            permission=ENDORSE,
            label="Return to the establishment",
            past="returned",
        ),
        transition(
            "approve",
            [A.AWAITING_PANEL, A.DEFERRED],
            A.APPROVED,
            permission=DECIDE,
            label="Approve commencement",
            past="approved",
        ),
        transition(
            "defer",
            A.AWAITING_PANEL,
            A.DEFERRED,
            permission=DECIDE,
            label="Defer",
            past="deferred",
        ),
        transition(
            "reject",
            [A.AWAITING_PANEL, A.DEFERRED],
            A.REJECTED,
            permission=DECIDE,
            label="Reject",
            past="rejected",
        ),
        transition(
            "withdraw",
            [A.DRAFT, A.RETURNED, A.AWAITING_UNION, A.AWAITING_PGD],
            A.WITHDRAWN,
            permission=SUBMIT,
            label="Withdraw",
            past="withdrawn",
        ),
    ],
    noun="readiness assessment",
)

STAGE_CHANGE_WORKFLOW = Workflow(
    "stage change",
    C,
    [
        transition(
            "confirm",
            C.PROPOSED,
            C.TO_BE_RATIFIED,
            permission=CONFIRM_MOVE,
            label="Confirm the move",
            past="confirmed",
        ),
        transition(
            "dismiss",
            C.PROPOSED,
            C.DISMISSED,
            permission=CONFIRM_MOVE,
            label="Dismiss the proposal",
            past="dismissed",
        ),
        transition(
            "ratify",
            C.TO_BE_RATIFIED,
            C.IN_EFFECT,
            permission=RATIFY,
            label="Ratify",
            past="ratified",
        ),
    ],
    noun="stage change",
)

REVIEW_WORKFLOW = Workflow(
    "progress review",
    R,
    [
        transition(
            "forward",
            R.REPORTED,
            R.FORWARDED,
            permission=FORWARD_PROGRESS,
            label="Forward to the centre",
            past="forwarded",
        ),
        transition(
            "decide",
            R.FORWARDED,
            R.DECIDED,
            permission=REVIEW_PROGRESS,
            label="Record the decision",
            past="decided",
        ),
    ],
    noun="progress review",
)

# Stage history, progress reviews and ratification
page("progression:stages", VIEW_PROGRESSION, "establishment")
page("progression:stage-record", RATIFY, "establishment", method="POST")
page("progression:stage-confirm", CONFIRM_MOVE, "establishment", method="POST")
page("progression:stage-dismiss", CONFIRM_MOVE, "establishment", method="POST")
page("progression:stage-ratify", RATIFY, "establishment", method="POST")
page("progression:progress-report", REPORT_PROGRESS, "establishment", method="POST")
page("progression:progress-forward", FORWARD_PROGRESS, "establishment", method="POST")
page("progression:progress-decide", REVIEW_PROGRESS, "establishment", method="POST")
# Readiness assessments and the sign-off chain (assessment_views.py). Each step's page needs
# that step's permission; the step's own check (state, segregation) answers with its reason.
page("progression:assessments", VIEW_PROGRESSION, "establishment")
page("progression:assessment", VIEW_PROGRESSION, "establishment")
page("progression:assessment-edit", PREPARE, "establishment")
page("progression:assessment-submit", SUBMIT, "establishment")
page("progression:assessment-consult", CONSULT, "establishment")
page("progression:assessment-endorse", ENDORSE, "establishment")
page("progression:assessment-return", ENDORSE, "establishment")
page("progression:assessment-withdraw", SUBMIT, "establishment")
# Pages: panel sittings and the panel queue
page("progression:panel-queue", MANAGE_SITTINGS)
page("progression:panel-sittings", MANAGE_SITTINGS)
page("progression:panel-sitting-new", MANAGE_SITTINGS)
page("progression:panel-sitting", MANAGE_SITTINGS, "nation")
page("progression:panel-sitting-close", MANAGE_SITTINGS, "nation", method="POST")
page("progression:panel-ratify", MANAGE_SITTINGS, "nation", method="POST")
page("progression:panel-record", VIEW_NATIONAL, "nation")
page("progression:panel-record-pdf", VIEW_NATIONAL, "nation")
page("progression:panel-record-xlsx", VIEW_NATIONAL, "nation")
page("progression:panel-decide", DECIDE, "establishment")
# The national and group stage views
page("progression:national", VIEW_NATIONAL, "nation")
page("progression:group", VIEW_GROUP, "group")
