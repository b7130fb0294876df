"""The national panel: who may decide (the central panel, not the submitter, not an earlier
signer), what a decision needs (reasons to defer or reject; a date and an order to approve), a
stale decision refused, the commencement it appends to the stage history, the queue oldest
first with each assessment at a glance, ratification in a sitting, and the sitting's decision
record as a page, a PDF and a spreadsheet."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed
from recovery.estate.factories import EstablishmentFactory
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import answer, response_for
from recovery.progression import queries
from recovery.progression.actions import (
    do_close_sitting,
    do_decide_assessment,
    do_open_sitting,
)
from recovery.progression.constants import AssessmentStatus, ChangeKind, ChangeStatus, Step
from recovery.progression.models import ReadinessAssessment, SignOff, StageChange
from recovery.progression.panel import AlreadyDecided
from recovery.progression.signing import latest_snapshot
from recovery.progression.tests.panel_factories import (
    awaiting_panel,
    open_sitting,
    panel_member,
    person,
    to_be_ratified,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEXT_WEEK = TODAY + datetime.timedelta(days=7)


@pytest.fixture
def pat(small_estate):
    return panel_member(small_estate.nation, "Pat", "Panelist")


@pytest.fixture
def quinn(small_estate):
    return panel_member(small_estate.nation, "Quinn", "Quorum")


@pytest.fixture
def assessment(small_estate):
    return awaiting_panel(small_estate.establishment_1)


@pytest.fixture
def sitting(small_estate, pat, quinn):
    return open_sitting(small_estate.nation, members=[pat, quinn])


def decide(assessment, user, decision="approve", **kwargs):
    assessment.refresh_from_db()
    kwargs.setdefault("reasons", "Ready to move" if decision == "approve" else "Not yet ready")
    if decision == "approve":
        kwargs.setdefault("commencement_date", NEXT_WEEK)
    return do_decide_assessment(
        assessment,
        decision=decision,
        expected_version=kwargs.pop("expected_version", assessment.version),
        acting_user=user,
        **kwargs,
    )


# --- Approving commencement -------------------------------------------------------------------


def test_approval_records_the_date_order_and_sign_off_pinned_to_the_snapshot(
    assessment, sitting, pat
):
    decided = decide(assessment, pat, sitting=sitting)

    assert decided.status == AssessmentStatus.APPROVED
    assert (decided.commencement_date, decided.panel_order, decided.sitting) == (
        NEXT_WEEK,
        1,
        sitting,
    )
    assert decided.decided_at is not None
    sign_off = SignOff.objects.get(assessment=assessment, step=Step.APPROVED)
    assert sign_off.by == pat
    assert sign_off.by_name == "Pat Panelist"
    assert sign_off.snapshot == latest_snapshot(assessment)
    assert (sign_off.sitting, sign_off.commencement_date, sign_off.panel_order) == (
        sitting,
        NEXT_WEEK,
        1,
    )
    assert sign_off.comments == "Ready to move"


def test_approval_moves_the_establishment_up_on_the_commencement_date(assessment, sitting, pat):
    site = assessment.establishment

    decide(assessment, pat, sitting=sitting)

    change = StageChange.objects.get(establishment=site, kind=ChangeKind.COMMENCEMENT)
    assert (change.stage.number, change.previous_stage.number) == (3, 4)
    assert change.effective_from == NEXT_WEEK
    assert change.assessment == assessment
    assert change.status == ChangeStatus.IN_EFFECT
    assert queries.current_stage(site).number == 4
    assert queries.current_stage(site, on=NEXT_WEEK - datetime.timedelta(days=1)).number == 4
    assert queries.current_stage(site, on=NEXT_WEEK).number == 3


def test_sites_approved_in_one_sitting_take_the_next_place_unless_told(small_estate, sitting, pat):
    sites = [EstablishmentFactory(parent=small_estate.group_1) for _ in range(3)]
    first, second, third = (awaiting_panel(s) for s in sites)

    decide(first, pat, sitting=sitting)
    decide(second, pat, sitting=sitting)
    decide(third, pat, sitting=sitting, panel_order=5)

    orders = dict(
        ReadinessAssessment.objects.filter(sitting=sitting).values_list("pk", "panel_order")
    )
    assert orders == {first.pk: 1, second.pk: 2, third.pk: 5}


def test_an_order_already_taken_in_the_sitting_is_refused(small_estate, sitting, pat):
    first = awaiting_panel(small_estate.establishment_1)
    second = awaiting_panel(EstablishmentFactory(parent=small_estate.group_1, name="HMP Cedars"))
    decide(first, pat, sitting=sitting)

    with pytest.raises(DomainError) as refused:
        decide(second, pat, sitting=sitting, panel_order=1)

    assert refused.value.message == (
        "HMP Ashgrove is already number 1 among the sites approved in this sitting: choose "
        "another place (the next free one is 2)"
    )
    second.refresh_from_db()
    assert second.status == AssessmentStatus.AWAITING_PANEL
    assert not SignOff.objects.filter(assessment=second, step=Step.APPROVED).exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"commencement_date": None}, "Enter the date commencement is approved from"),
        (
            {"commencement_date": TODAY - datetime.timedelta(days=1)},
            "The commencement date must be today or in the future",
        ),
        ({"panel_order": 0}, "The order must be 1 or more"),
    ],
)
def test_an_approval_without_a_good_date_or_order_is_refused(assessment, pat, kwargs, message):
    with pytest.raises(DomainError, match=message):
        decide(assessment, pat, **kwargs)

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.AWAITING_PANEL
    assert not StageChange.objects.filter(kind=ChangeKind.COMMENCEMENT).exists()


@pytest.mark.parametrize("decision", ["defer", "reject"])
def test_deferring_or_rejecting_needs_reasons(assessment, pat, decision):
    with pytest.raises(DomainError, match=f"Give the reasons to {decision} the assessment"):
        decide(assessment, pat, decision, reasons="   ")

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.AWAITING_PANEL


def test_a_rejection_records_its_reasons_and_changes_no_stage(assessment, sitting, pat):
    decided = decide(
        assessment, pat, "reject", reasons="Staffing below the regime", sitting=sitting
    )

    assert decided.status == AssessmentStatus.REJECTED
    assert decided.commencement_date is None and decided.panel_order is None
    sign_off = SignOff.objects.get(assessment=assessment, step=Step.REJECTED)
    assert (sign_off.comments, sign_off.sitting) == ("Staffing below the regime", sitting)
    assert not StageChange.objects.filter(kind=ChangeKind.COMMENCEMENT).exists()


def test_a_deferred_assessment_can_be_approved_later_even_by_who_deferred_it(assessment, pat):
    decide(assessment, pat, "defer", reasons="Wait for the outbreak to end")

    decided = decide(assessment, pat)

    assert decided.status == AssessmentStatus.APPROVED


def test_a_closed_sitting_takes_no_decision(assessment, sitting, pat):
    do_close_sitting(sitting, acting_user=pat)

    with pytest.raises(DomainError, match="is closed: decisions are recorded in an open sitting"):
        decide(assessment, pat, sitting=sitting)


# --- Who may decide ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        Role.GOVERNOR,
        Role.ESTABLISHMENT_EDITOR,
        Role.TRADE_UNION_REP,
        Role.PGD,
        Role.FRAMEWORK_AUTHOR,
        Role.VIEWER,
        Role.ADMINISTRATOR,
    ],
)
def test_only_the_central_panel_decides(assessment, person_with_role, role):
    user = person_with_role(role)

    with pytest.raises(NotAllowed):
        decide(assessment, user)

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.AWAITING_PANEL


def test_nobody_decides_for_no_one(assessment):
    with pytest.raises(NotAllowed):
        decide(assessment, None)


def test_a_panel_member_who_submitted_it_cannot_decide_it(small_estate, pat):
    # Pat also holds the Governor role at the establishment and submitted the assessment.
    from recovery.accounts.factories import RoleAssignmentFactory

    RoleAssignmentFactory(user=pat, role=Role.GOVERNOR, unit=small_estate.establishment_1)
    assessment = awaiting_panel(small_estate.establishment_1, governor=pat)

    with pytest.raises(
        NotAllowed, match="You submitted this assessment, so you cannot sign a later step of it"
    ):
        decide(assessment, pat)


def test_a_panel_member_who_signed_an_earlier_step_cannot_decide_it(small_estate, pat):
    assessment = awaiting_panel(small_estate.establishment_1, pgd=pat)

    with pytest.raises(NotAllowed, match="You have already signed a step of this assessment"):
        decide(assessment, pat)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.AWAITING_PANEL


# --- Two decisions at once --------------------------------------------------------------------


def test_a_decision_on_an_assessment_decided_since_it_was_opened_is_refused(assessment, pat, quinn):
    opened_at = assessment.version
    decide(assessment, quinn, "defer", reasons="Wait a week")

    with pytest.raises(AlreadyDecided) as refused:
        decide(assessment, pat, expected_version=opened_at)

    assert refused.value.message.startswith(
        "This assessment was already decided since you opened it: deferred by Quinn Quorum on "
    )
    assert refused.value.message.endswith("Your decision was not recorded.")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DEFERRED
    assert list(
        SignOff.objects.filter(
            assessment=assessment, step__in=["approved", "deferred"]
        ).values_list("by__first_name", flat=True)
    ) == ["Quinn"]


# --- E-mails ----------------------------------------------------------------------------------


def test_the_governor_and_the_pgd_are_told_of_the_decision(
    small_estate, pat, django_capture_on_commit_callbacks
):
    governor = person(Role.GOVERNOR, small_estate.establishment_1, "Gil", "Governor")
    pgd = person(Role.PGD, small_estate.group_1, "Pia", "Director")
    other_pgd = person(Role.PGD, small_estate.group_2, "Oz", "Elsewhere")
    assessment = awaiting_panel(small_estate.establishment_1, governor=governor, pgd=pgd)

    with django_capture_on_commit_callbacks(execute=True):
        decide(assessment, pat, reasons="A strong plan")

    told = sorted(address for m in mail.outbox for address in m.to)
    assert told == sorted([governor.email, pgd.email])
    assert other_pgd.email not in told
    message = mail.outbox[0]
    assert message.subject == "HMP Ashgrove: move to stage 3 approved"
    assert f"commencing on {NEXT_WEEK:%-d %B %Y}" in message.body
    assert "Reasons: A strong plan" in message.body


# --- Sittings ---------------------------------------------------------------------------------


def test_only_central_panel_people_sit(small_estate, pat):
    governor = person(Role.GOVERNOR, small_estate.establishment_1, "Gil", "Governor")

    with pytest.raises(DomainError, match="Gil Governor cannot sit: only members of the central"):
        do_open_sitting(sits_on=TODAY, members=[pat, governor], title="", acting_user=pat)


def test_a_pgd_cannot_open_a_sitting(small_estate, pat, person_with_role):
    with pytest.raises(NotAllowed):
        do_open_sitting(
            sits_on=TODAY, members=[pat], title="", acting_user=person_with_role(Role.PGD)
        )


# --- Pages ------------------------------------------------------------------------------------


def _texts(response) -> str:
    return response.content.decode()


def test_the_queue_lists_the_oldest_submission_first_with_each_at_a_glance(
    client, small_estate, pat
):
    now = timezone.now()
    newest = awaiting_panel(
        EstablishmentFactory(parent=small_estate.group_1, name="HMP Newbury"),
        submitted_at=now - datetime.timedelta(days=1),
    )
    oldest = awaiting_panel(
        EstablishmentFactory(parent=small_estate.group_2, name="HMP Oldcastle"),
        submitted_at=now - datetime.timedelta(days=20),
    )
    middle = awaiting_panel(
        EstablishmentFactory(parent=small_estate.group_1, name="HMP Middleton"),
        submitted_at=now - datetime.timedelta(days=9),
    )
    decide(middle, pat, "defer", reasons="Wait for stock")  # deferred ones stay in the queue
    approved = awaiting_panel(
        EstablishmentFactory(parent=small_estate.group_1, name="HMP Gone Ahead"),
        submitted_at=now - datetime.timedelta(days=30),
    )
    decide(approved, pat)
    snapshot = latest_snapshot(oldest)
    snapshot.content["prerequisites"] = [
        {"key": "ppe", "title": "PPE stock at or above need", "kind": "known", "met": True,
         "why": "Stock at need", "evidence": []},
        {"key": "outbreak", "title": "No open outbreak", "kind": "known", "met": False,
         "why": "In outbreak since 2 December 2026", "evidence": []},
        {"key": "staffing", "title": "Staffing", "kind": "attested", "met": True,
         "why": "Attested", "evidence": []},
    ]  # fmt: skip
    snapshot.save()
    client.force_login(pat)

    page = _texts(client.get(reverse("progression:panel-queue")))

    positions = [page.index(n) for n in ("HMP Oldcastle", "HMP Middleton", "HMP Newbury")]
    assert positions == sorted(positions)
    assert "HMP Gone Ahead" not in page
    assert "2 of 3 met; <strong>1 failing</strong>" in page
    assert "No open outbreak: In outbreak since 2 December 2026" in page
    assert "Deferred by Pat Panelist" in page and "Wait for stock" in page
    assert "Agreed with concerns in writing (Una Union" in page
    assert "Endorsed by Pia Director" in page
    assert newest.pk != oldest.pk


def test_the_queue_says_when_the_plan_changed_since_the_endorsement(client, assessment, pat):
    client.force_login(pat)
    assert "Plan changed since endorsement" not in _texts(
        client.get(reverse("progression:panel-queue"))
    )

    answer(response_for(assessment.plan, "1.1"), status=ResponseStatus.MET)
    page = _texts(client.get(reverse("progression:panel-queue")))

    assert "Plan changed since endorsement" in page
    assert "EDM 970 baseline 1.1: changed; Status: not_started → met" in page


def test_a_decision_from_the_sitting_page(client, assessment, sitting, pat):
    client.force_login(pat)
    page = _texts(client.get(reverse("progression:panel-sitting", args=[sitting.pk])))
    assert "HMP Ashgrove" in page and "Record the decision" in page

    response = client.post(
        reverse("progression:panel-decide", args=[assessment.pk]),
        {
            "version": assessment.version,
            "decision": "approve",
            "reasons": "",
            "commencement_day": NEXT_WEEK.day,
            "commencement_month": NEXT_WEEK.month,
            "commencement_year": NEXT_WEEK.year,
            "panel_order": "",
            "sitting": sitting.pk,
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("progression:panel-sitting", args=[sitting.pk])
    assert (
        f"HMP Ashgrove: commencement of stage 3 approved from {NEXT_WEEK:%-d %B %Y} (number 1)."
        in _texts(response)
    )


def test_a_stale_decision_form_is_refused_with_who_decided(client, assessment, pat, quinn):
    opened = assessment.version
    decide(assessment, quinn, "reject", reasons="Not ready")
    client.force_login(pat)

    response = client.post(
        reverse("progression:panel-decide", args=[assessment.pk]),
        {"version": opened, "decision": "approve", "commencement_day": NEXT_WEEK.day,
         "commencement_month": NEXT_WEEK.month, "commencement_year": NEXT_WEEK.year},
    )  # fmt: skip

    assert response.status_code == 200
    assert "already decided since you opened it: rejected by Quinn Quorum" in _texts(response)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.REJECTED


def test_the_decide_page_shows_the_words_of_each_refusal(client, assessment, pat):
    client.force_login(pat)
    url = reverse("progression:panel-decide", args=[assessment.pk])

    page = _texts(client.post(url, {"version": assessment.version, "decision": "defer"}))
    assert "Give the reasons to defer the assessment" in page

    page = _texts(
        client.post(
            url,
            {
                "version": assessment.version,
                "decision": "approve",
                "commencement_day": "31",
                "commencement_month": "2",
                "commencement_year": "2027",
            },
        )  # fmt: skip
    )
    assert "The commencement date must be a real date" in page
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.AWAITING_PANEL


def test_opening_a_sitting_by_its_form(client, small_estate, pat, quinn):
    client.force_login(pat)
    url = reverse("progression:panel-sitting-new")

    page = _texts(client.post(url, {"sits_on_day": "", "title": "Weekly"}))
    assert "Enter the date of the sitting" in page
    assert "Choose the members of the panel who sit" in page

    response = client.post(
        url,
        {"sits_on_day": "8", "sits_on_month": "12", "sits_on_year": "2026",
         "members": [pat.pk, quinn.pk], "title": "Weekly sitting"},
    )  # fmt: skip
    sitting = pat.panel_sittings.get()
    assert response["Location"] == reverse("progression:panel-sitting", args=[sitting.pk])
    assert sitting.sits_on == datetime.date(2026, 12, 8)
    assert set(sitting.members.all()) == {pat, quinn}


def test_a_move_to_be_ratified_is_ratified_in_a_sitting(client, small_estate, sitting, pat):
    change = to_be_ratified(small_estate.establishment_2)
    client.force_login(pat)
    assert "Outbreak declared: moved back at once" in _texts(
        client.get(reverse("progression:panel-queue"))
    )

    client.post(
        reverse("progression:panel-ratify", args=[sitting.pk]),
        {"change": change.pk, "note": "Agreed at the sitting"},
    )

    change.refresh_from_db()
    assert change.status == ChangeStatus.IN_EFFECT
    assert (change.ratified_in, change.ratified_by) == (sitting, pat)
    assert change.ratification_note == "Agreed at the sitting"


# --- The decision record ----------------------------------------------------------------------


@pytest.fixture
def decided_sitting(small_estate, sitting, pat, quinn):
    """In one sitting: Ashgrove approved first, Cedars second; Birchwood rejected; a move of
    Birchwood ratified."""
    ashgrove = awaiting_panel(small_estate.establishment_1)
    cedars = awaiting_panel(EstablishmentFactory(parent=small_estate.group_1, name="HMP Cedars"))
    birchwood = awaiting_panel(small_estate.establishment_2)
    decide(cedars, pat, sitting=sitting, panel_order=2, reasons="")
    decide(ashgrove, quinn, sitting=sitting, panel_order=1, reasons="Strong plan")
    decide(birchwood, pat, "reject", sitting=sitting, reasons="Staffing below the regime")
    from recovery.progression.actions import do_ratify_stage_change

    change = to_be_ratified(EstablishmentFactory(parent=small_estate.group_2, name="HMP Dunmore"))
    do_ratify_stage_change(change, note="Agreed", acting_user=pat, sitting=sitting)
    return sitting


def test_the_decision_record_page(client, decided_sitting, pat):
    client.force_login(pat)

    page = _texts(client.get(reverse("progression:panel-record", args=[decided_sitting.pk])))

    assert "Decision record: Weekly sitting" in page
    assert "Pat Panelist, Quinn Quorum" in page
    assert page.index("HMP Ashgrove") < page.index("HMP Cedars") < page.index("HMP Birchwood")
    assert "Staffing below the regime" in page
    assert "HMP Dunmore" in page


def test_the_decision_record_as_a_pdf(client, decided_sitting, pat):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("recovery.core.pdf")
    client.force_login(pat)

    response = client.get(reverse("progression:panel-record-pdf", args=[decided_sitting.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    text = " ".join(text.split())
    assert "Decision record: Weekly sitting" in text
    assert "Pat Panelist, Quinn Quorum" in text
    for words in ("HMP Ashgrove", "HMP Cedars", "HMP Birchwood", "Rejected", "HMP Dunmore"):
        assert words in text
    assert f"{NEXT_WEEK:%-d %B %Y}" in text
    assert text.index("HMP Ashgrove") < text.index("HMP Cedars") < text.index("HMP Birchwood")


def test_the_decision_record_as_a_spreadsheet(client, decided_sitting, pat):
    client.force_login(pat)

    response = client.get(reverse("progression:panel-record-xlsx", args=[decided_sitting.pk]))

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Sitting", "Decisions", "Ratifications"]
    sitting_row = [c.value for c in workbook["Sitting"][2]]
    assert sitting_row[0] == "Weekly sitting"
    assert sitting_row[2] == "Pat Panelist, Quinn Quorum"
    decisions = [[c.value for c in row][:8] for row in workbook["Decisions"].iter_rows(min_row=2)]
    week = datetime.datetime.combine(NEXT_WEEK, datetime.time())
    assert decisions == [
        [1, "HMP Ashgrove", "EST1", "Stage 4: " + _stage_name(4), "Stage 3: " + _stage_name(3),
         "Approved", week, "Strong plan"],
        [2, "HMP Cedars", decisions[1][2], "Stage 4: " + _stage_name(4),
         "Stage 3: " + _stage_name(3), "Approved", week, None],
        [None, "HMP Birchwood", "EST2", "Stage 4: " + _stage_name(4),
         "Stage 3: " + _stage_name(3), "Rejected", None, "Staffing below the regime"],
    ]  # fmt: skip
    ratified = [c.value for c in workbook["Ratifications"][2]]
    assert ratified[0] == "HMP Dunmore"
    assert ratified[6] == "Agreed"
    assert ratified[7] == "Pat Panelist"


def _stage_name(number: int) -> str:
    from recovery.frameworks.models import Stage

    return Stage.objects.get(number=number).name


def test_the_record_marks_an_approval_whose_plan_changed_since(client, assessment, sitting, pat):
    decide(assessment, pat, sitting=sitting)
    client.force_login(pat)
    url = reverse("progression:panel-record", args=[sitting.pk])
    assert "Plan changed since" not in _texts(client.get(url))

    answer(response_for(assessment.plan, "1.2"), status=ResponseStatus.IN_PROGRESS)

    page = _texts(client.get(url))
    assert "Plan changed since" in page
    assert "EDM 970 baseline 1.2 changed (Status: not_started → in_progress)" in page
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("progression:panel-record-xlsx", args=[sitting.pk])).content)
    )
    assert workbook["Decisions"]["K2"].value == "EDM 970 baseline 1.2 changed"


# --- From which states, and all or nothing ------------------------------------------------------

ALLOWED_FROM = {
    "approve": {AssessmentStatus.AWAITING_PANEL, AssessmentStatus.DEFERRED},
    "defer": {AssessmentStatus.AWAITING_PANEL},
    "reject": {AssessmentStatus.AWAITING_PANEL, AssessmentStatus.DEFERRED},
}
RESULT = {
    "approve": AssessmentStatus.APPROVED,
    "defer": AssessmentStatus.DEFERRED,
    "reject": AssessmentStatus.REJECTED,
}


@pytest.mark.parametrize("decision", sorted(ALLOWED_FROM))
@pytest.mark.parametrize("state", AssessmentStatus.values)
def test_each_decision_is_taken_only_from_the_states_the_route_allows(
    assessment, pat, decision, state
):
    ReadinessAssessment.objects.filter(pk=assessment.pk).update(status=state)

    if state in ALLOWED_FROM[decision]:
        assert decide(assessment, pat, decision).status == RESULT[decision]
        return
    with pytest.raises(DomainError, match="Nothing was changed"):
        decide(assessment, pat, decision)
    assessment.refresh_from_db()
    assert assessment.status == state
    assert not SignOff.objects.filter(
        assessment=assessment, step__in=[Step.APPROVED, Step.DEFERRED, Step.REJECTED]
    ).exists()


def test_an_approval_that_fails_half_way_writes_nothing(assessment, pat, monkeypatch):
    from recovery.audit.models import AuditEvent
    from recovery.progression import panel

    def fail(*args, **kwargs):
        raise RuntimeError("the stage history could not be written")

    monkeypatch.setattr(panel, "record_change_in_transaction", fail)
    events = AuditEvent.objects.count()

    with pytest.raises(RuntimeError):
        decide(assessment, pat)

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.AWAITING_PANEL
    assert assessment.decided_at is None and assessment.commencement_date is None
    assert not SignOff.objects.filter(assessment=assessment, step=Step.APPROVED).exists()
    assert AuditEvent.objects.count() == events


def test_the_queue_reads_in_the_same_number_of_queries_however_many_wait(client, small_estate, pat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_the_queue() -> int:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("progression:panel-queue"))
        assert page.status_code == 200
        return len(ctx.captured_queries)

    awaiting_panel(EstablishmentFactory(parent=small_estate.group_1))
    client.force_login(pat)
    client.get(reverse("progression:panel-queue"))  # warm the session and the scopes
    with_one = queries_for_the_queue()
    for _ in range(3):
        awaiting_panel(EstablishmentFactory(parent=small_estate.group_1))
    with_four = queries_for_the_queue()

    # Each waiting assessment's plan is compared with its endorsed snapshot ("plan changed since
    # endorsement"): the plans are read all at once, not one by one.
    assert with_four == with_one
    assert with_one <= 14


def test_the_navigation_offers_the_panel_to_its_members_only(client, pat, person_with_role):
    client.force_login(pat)
    assert 'href="/progression/panel/"' in _texts(client.get(reverse("progression:panel-queue")))

    client.force_login(person_with_role(Role.VIEWER))
    assert 'href="/progression/panel/"' not in _texts(client.get("/"))


def test_only_members_of_a_sitting_decide_in_it(small_estate, assessment, pat):
    sitting = open_sitting(small_estate.nation, members=[pat])
    rex = panel_member(small_estate.nation, "Rex", "Absent")

    with pytest.raises(DomainError, match="You do not sit on Weekly sitting: only its members"):
        decide(assessment, rex, sitting=sitting)

    assert decide(assessment, rex).status == AssessmentStatus.APPROVED  # outside a sitting


def test_after_a_change_the_decide_form_decides_on_the_assessment_as_it_is_now(
    client, assessment, pat, quinn
):
    opened = assessment.version
    ReadinessAssessment.objects.filter(pk=assessment.pk).update(version=opened + 1)
    client.force_login(pat)
    url = reverse("progression:panel-decide", args=[assessment.pk])
    sent = {"version": opened, "decision": "defer", "reasons": "Wait for stock"}

    page = _texts(client.post(url, sent))
    assert "This assessment has changed since you opened it" in page
    assert f'name="version" value="{opened + 1}"' in page

    client.post(url, {**sent, "version": opened + 1})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DEFERRED
