"""Demo data for readiness, stage progression and Covid controls: every open establishment gets
a plan, Covid controls and PPE stock, and a plausible year of stage history; about 55 of them
are in outbreak now; this week's closed panel sitting approved 11 sites to move from stage 4 to
3; and readiness assessments wait at every step of the route, those of the demo governor's
establishment and the demo PGD's group waiting for those demo people.

The same story every run (random choices seeded by establishment code), told relative to the
day it is first loaded so "this week" is this week. A second run changes nothing. The history
is written through the models in bulk (a year of rows for 120 sites, loaded in seconds); the
recent work waiting for the demo people is the same shape the service functions leave."""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from recovery.accounts.models import User
from recovery.covid.models import Outbreak
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.demo import DEMO_ACCOUNTS
from recovery.estate.models import Establishment, OrganisationUnit
from recovery.frameworks.models import Stage
from recovery.plans.demo import DEMO_STAGE, build_demo_plans
from recovery.plans.models import Plan
from recovery.progression import queries
from recovery.progression.constants import (
    AssessmentStatus,
    ChangeKind,
    ChangeStatus,
    ReviewOutcome,
    ReviewStatus,
    SittingStatus,
    Step,
    UnionPosition,
)
from recovery.progression.models import (
    PanelSitting,
    ProgressReview,
    ReadinessAssessment,
    SignOff,
    StageChange,
)
from recovery.progression.signing import take_snapshot_in_transaction

PANEL = "National Recovery Committee"
A = AssessmentStatus

# What happened to each establishment outside the demo PGD's group, and how many of each
# (116 in all on the demo estate; the rest of the shuffled list takes the last story).
STORIES = (
    ("approved_this_week", 11),
    ("awaiting_panel", 5),
    ("deferred", 2),
    ("rejected_this_week", 1),
    ("awaiting_pgd", 3),
    ("awaiting_union", 3),
    ("draft", 3),
    ("returned", 2),
    ("lockdown_outbreak", 4),
    ("regressed", 6),
    ("stage3_outbreak", 14),
    ("stage2", 10),
    ("stage3", 21),
    ("stage4_outbreak", 0),  # the rest
)
NEEDS_PLAN = {
    "approved_this_week",
    "awaiting_panel",
    "deferred",
    "rejected_this_week",
    "awaiting_pgd",
    "awaiting_union",
    "draft",
    "returned",
}
# The route's steps up to each state.
ROUTE = {
    A.DRAFT: (),
    A.AWAITING_UNION: (Step.SUBMITTED,),
    A.AWAITING_PGD: (Step.SUBMITTED, Step.CONSULTED),
    A.RETURNED: (Step.SUBMITTED, Step.CONSULTED, Step.RETURNED),
    A.AWAITING_PANEL: (Step.SUBMITTED, Step.CONSULTED, Step.ENDORSED),
    A.DEFERRED: (Step.SUBMITTED, Step.CONSULTED, Step.ENDORSED, Step.DEFERRED),
    A.APPROVED: (Step.SUBMITTED, Step.CONSULTED, Step.ENDORSED, Step.APPROVED),
    A.REJECTED: (Step.SUBMITTED, Step.CONSULTED, Step.ENDORSED, Step.REJECTED),
}
COMMENTS = {
    Step.SUBMITTED: "Submitted with the plan and the local risk assessments.",
    Step.CONSULTED: "Consulted at the local joint meeting.",
    Step.ENDORSED: "Endorsed: staffing and PPE checked with the establishment.",
    Step.RETURNED: "Returned: the staffing attestation does not cover weekends; the "
    "contingency plan needs a review date.",
    Step.APPROVED: "Approved to commence.",
    Step.DEFERRED: "Deferred for two weeks: await the local testing results.",
    Step.REJECTED: "Rejected: staffing below the safe level for the stage 3 regime.",
}


@dataclass
class Story:
    """What is being written, collected for bulk creation, and the rungs of the ladder it
    uses, read from the ladder: the lockdown stage and the one after it (where the nation
    moved a year ago), the stage the demo plans are for (`target`), the ones before it
    (`before`, `two_back`) and the one beyond it."""

    today: datetime.date
    users: dict
    lockdown: Stage
    step_down: Stage
    target: Stage
    before: Stage
    two_back: Stage
    beyond: Stage
    changes: list = field(default_factory=list)
    outbreaks: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    routes: list = field(default_factory=list)  # Route, written after the history


def _day(today: datetime.date, days_ago: int) -> datetime.date:
    return today - datetime.timedelta(days=days_ago)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


def _demo_users() -> dict:
    by_email = {u.email: u for u in User.objects.filter(email__endswith="@demo.example")}
    return {a.email.split("@")[0]: by_email.get(a.email) for a in DEMO_ACCOUNTS}


def _home_codes() -> tuple[str, str]:
    """The demo governor's establishment and the second one of the two-site governor."""
    roles = {a.email.split("@")[0]: a.roles for a in DEMO_ACCOUNTS}
    home = roles["governor"][0].unit_code
    other = next(r.unit_code for r in roles["multi"] if r.unit_code != home)
    return home, other


def load_demo() -> str:
    """Called by `seed_demo` after the plans' demo."""
    if StageChange.objects.exists():
        return "Stage progression: already loaded, nothing changed"
    sites = list(
        Establishment.objects.filter(status=EstablishmentStatus.OPEN)
        .select_related("parent")
        .order_by("code")
    )
    if not sites or not queries.ladder():
        return "Stage progression: no estate or no stage ladder, nothing loaded"
    plans_started = build_demo_plans(sites)
    with transaction.atomic():
        counts = build_story(sites)
    return (
        f"Stage progression: {plans_started} more plans started; {counts['changes']} stage "
        f"changes, {counts['outbreaks']} outbreaks ({counts['open']} open), "
        f"{counts['assessments']} readiness assessments, {counts['reviews']} progress reviews"
    )


# --- Stage histories ---------------------------------------------------------------------------


def build_story(sites) -> dict:
    target = Stage.objects.get(number=DEMO_STAGE)
    before = queries.next_stage_back(target)
    story = Story(
        today=timezone.localdate(),
        users=_demo_users(),
        lockdown=queries.lockdown_stage(),
        step_down=queries.next_stage_up(queries.lockdown_stage()),
        target=target,
        before=before,
        two_back=queries.next_stage_back(before) or before,
        beyond=queries.next_stage_up(target) or target,
    )
    plans = {
        p.establishment_id: p
        for p in Plan.objects.filter(stage=story.target, establishment__in=sites)
    }
    sitting = _sitting(story)
    home, other = _home_codes()
    group_code = next(s for s in sites if s.code == home).parent.code
    own_group = [s for s in sites if s.parent.code == group_code]
    rest = [s for s in sites if s.parent.code != group_code]
    # Every site starts at lockdown a year ago and moved to the next stage with the nation.
    for site in sites:
        rng = random.Random(f"demo-stage-{site.code}")
        _change(
            story,
            site,
            story.lockdown,
            375,
            ChangeKind.INITIAL,
            "National lockdown: every establishment at the lockdown stage.",
        )
        _change(
            story,
            site,
            story.step_down,
            330 - rng.randint(0, 20),
            ChangeKind.COMMENCEMENT,
            "Moved with the national step down agreed by the Recovery Committee.",
        )
    # The demo PGD's group: work waiting for each demo person.
    _own_group(story, own_group, home, plans, sitting)
    # Everyone else: the stories, shuffled the same way every run.
    rng = random.Random("demo-progression")
    with_plan = [s for s in rest if s.pk in plans and s.code != other]
    without = [s for s in rest if s.pk not in plans and s.code != other]
    rng.shuffle(with_plan)
    _returned_to_two_site_governor(story, next(s for s in rest if s.code == other), plans)
    queue = with_plan
    for name, count in STORIES:
        if name not in NEEDS_PLAN and without:
            queue = queue + without
            without = []
        chosen = queue[:count] if count else queue
        queue = queue[len(chosen) :]
        for position, site in enumerate(chosen):
            STORY_WRITERS[name](story, site, plans.get(site.pk), sitting, position)
    return _save(story, sitting)


def _change(story, site, stage, days_ago, kind, reason, **fields) -> StageChange:
    previous = next(
        (
            c.stage
            for c in reversed(story.changes)
            if c.establishment_id == site.pk
            and c.status in (ChangeStatus.IN_EFFECT, ChangeStatus.TO_BE_RATIFIED)
        ),
        None,
    )
    fields.setdefault("status", ChangeStatus.IN_EFFECT)
    fields.setdefault("decided_by_name", PANEL)
    change = StageChange(
        establishment=site,
        stage=stage,
        previous_stage=previous,
        effective_from=_day(story.today, days_ago),
        kind=kind,
        reason=reason,
        **fields,
    )
    story.changes.append(change)
    return change


def _outbreak(story, site, declared_ago, ended_ago=None) -> Outbreak:
    rng = random.Random(f"demo-outbreak-{site.code}-{declared_ago}")
    outbreak = Outbreak(
        establishment=site,
        declared_on=_day(story.today, declared_ago),
        declared_by_name=f"Health protection lead, {site.name}",
        ended_on=_day(story.today, ended_ago) if ended_ago is not None else None,
        ended_by_name=f"Health protection lead, {site.name}" if ended_ago is not None else "",
        cases_staff=rng.randint(1, 25),
        cases_prisoners=rng.randint(2, 60),
        notes="Confirmed by the local health protection team.",
    )
    story.outbreaks.append(outbreak)
    return outbreak


def _emergency(story, site, outbreak, back_to, *, status, days_ago, dismissed=False):
    """The move back an outbreak proposed: confirmed (to be ratified, or ratified) or
    dismissed by the group's PGD."""
    reason = (
        f"Outbreak declared on {outbreak.declared_on:%-d %B %Y}: proposed move back to stage "
        f"{back_to.number}"
    )
    if dismissed:
        reason += (
            "\n\nDismissed: outbreak confined to one wing; the regime there is already restricted."
        )
    fields = {
        "status": status,
        "outbreak": outbreak,
        "decided_by_name": outbreak.declared_by_name,
    }
    if status in (ChangeStatus.TO_BE_RATIFIED, ChangeStatus.IN_EFFECT):
        fields["confirmed_at"] = _at(_day(story.today, days_ago))
    if status == ChangeStatus.IN_EFFECT:
        fields["ratified_at"] = _at(_day(story.today, max(days_ago - 7, 0)))
        fields["ratification_note"] = "Ratified at the weekly panel."
    return _change(story, site, back_to, days_ago, ChangeKind.EMERGENCY, reason, **fields)


def _review(story, site, stage, reported_ago, outcome="", *, status=ReviewStatus.DECIDED):
    """A progress review reported `reported_ago` days ago, forwarded 3 days later and decided
    8 days later (as far as `status` goes)."""
    review = ProgressReview(
        establishment=site,
        stage=stage,
        status=status,
        report="Visits, education and work running to the stage's regime; no new cases; "
        "staffing at the planned level.",
        pgd_view="Agree with the report." if status != ReviewStatus.REPORTED else "",
        outcome=outcome,
        reasons={
            ReviewOutcome.PROGRESS: "Ready to move on: the plan's next stage baselines are met.",
            ReviewOutcome.REMAIN: "Remain at this stage: progress is steady.",
            ReviewOutcome.SLOW: "Slow: two mandatory baselines are behind their target dates.",
            ReviewOutcome.REGRESS: "Regress: staffing fell below the safe level for weeks.",
        }.get(outcome, ""),
    )
    review.demo_reported = _at(_day(story.today, reported_ago))
    if status != ReviewStatus.REPORTED:
        review.forwarded_at = _at(_day(story.today, reported_ago - 3))
    if status == ReviewStatus.DECIDED:
        review.decided_at = _at(_day(story.today, reported_ago - 8))
    story.reviews.append(review)
    return review


# --- Readiness assessments --------------------------------------------------------------------


@dataclass
class Route:
    """An assessment and its steps, written after the stage history."""

    assessment: ReadinessAssessment
    steps: list  # (step, user or None, name, day)


def _assessment(
    story,
    site,
    plan,
    status,
    last_ago,
    *,
    signers=None,
    sitting=None,
    commencement=None,
    order=None,
    justification="",
) -> ReadinessAssessment:
    signers = signers or {}
    steps = ROUTE[status]
    days = [last_ago + 5 * (len(steps) - 1 - i) for i in range(len(steps))]
    assessment = ReadinessAssessment(
        establishment=site,
        plan=plan,
        from_stage=story.before,
        to_stage=story.target,
        status=status,
        staffing="Staffing at 88% of the detailed regime; the resource calculator shows the "
        "stage 3 regime can run with two cohorts.",
        risk_assessments="Local risk assessments for visits, education and work reviewed.",
        safe_systems="Safe systems of work agreed with the local trade unions.",
        justification=justification,
        status_since=_at(_day(story.today, days[-1] if days else last_ago)),
        sitting=sitting,
        commencement_date=commencement,
        panel_order=order,
    )
    if steps:
        assessment.submitted_at = _at(_day(story.today, days[0]))
    if status in (A.APPROVED, A.REJECTED):
        assessment.decided_at = _at(_day(story.today, days[-1]), 11)
    named = []
    for step, day in zip(steps, days, strict=True):
        user, name = signers.get(step) or (None, _signer_name(step, site))
        named.append((step, user, name, day))
    story.routes.append(Route(assessment, named))
    return assessment


def _signer_name(step, site) -> str:
    if step == Step.SUBMITTED:
        return f"Governor, {site.name}"
    if step == Step.CONSULTED:
        return f"Trade union representative, {site.name}"
    if step in (Step.ENDORSED, Step.RETURNED):
        return f"Prison Group Director, {site.parent.name}"
    return PANEL


def _person(story, key):
    user = story.users.get(key)
    return (user, user.get_full_name()) if user else None


# --- The stories ------------------------------------------------------------------------------


def _own_group(story, sites, home, plans, sitting):
    """The demo PGD's group: the home site waits for the union; two wait for the PGD's
    endorsement; one for the panel (endorsed by the demo PGD); a stage 3 site's outbreak
    proposes a move back for the PGD to confirm; another's progress report waits to be
    forwarded."""
    governor, pgd = _person(story, "governor"), _person(story, "pgd")
    others = [s for s in sites if s.code != home]
    for site in sites:
        plan = plans.get(site.pk)
        if site.code == home:
            _assessment(
                story,
                site,
                plan,
                A.AWAITING_UNION,
                2,
                signers={Step.SUBMITTED: governor} if governor else None,
            )
        elif site in others[:2]:
            _assessment(
                story,
                site,
                plan,
                A.AWAITING_PGD,
                3 + others.index(site) * 4,
                justification=""
                if site == others[0]
                else "PPE short by one delivery; the order arrives before commencement.",
            )
        elif site == others[2]:
            _assessment(
                story,
                site,
                plan,
                A.AWAITING_PANEL,
                6,
                signers={Step.ENDORSED: pgd} if pgd else None,
            )
        elif site == others[3]:
            _approved_before(story, site, plan, 120)
            outbreak = _outbreak(story, site, 1)
            _emergency(
                story, site, outbreak, story.before, status=ChangeStatus.PROPOSED, days_ago=1
            )
        else:
            _approved_before(story, site, plan, 90)
            _review(story, site, story.target, 48, ReviewOutcome.REMAIN)
            _review(story, site, story.target, 2, status=ReviewStatus.REPORTED)


def _returned_to_two_site_governor(story, site, plans):
    multi = _person(story, "multi")
    _assessment(
        story,
        site,
        plans.get(site.pk),
        A.RETURNED,
        4,
        signers={Step.SUBMITTED: multi} if multi else None,
    )


def _approved_this_week(story, site, plan, sitting, position):
    start = sitting.sits_on + datetime.timedelta(days=position % 8)
    assessment = _assessment(
        story,
        site,
        plan,
        A.APPROVED,
        (story.today - sitting.sits_on).days,
        signers={Step.APPROVED: _person(story, "centre")} if story.users.get("centre") else None,
        sitting=sitting,
        commencement=start,
        order=position + 1,
    )
    _change(
        story,
        site,
        story.target,
        (story.today - start).days,
        ChangeKind.COMMENCEMENT,
        f"Readiness assessment approved at the sitting of {sitting.sits_on:%-d %B %Y}, "
        f"order {position + 1} among the sites approved together.",
        assessment=assessment,
    )


def _waiting(status, last_ago):
    def write(story, site, plan, sitting, position):
        fields = {}
        if status == A.DEFERRED:
            fields = {"sitting": sitting}
            last = (story.today - sitting.sits_on).days
        else:
            last = last_ago + 3 * position
        _assessment(story, site, plan, status, last, **fields)

    return write


def _rejected_this_week(story, site, plan, sitting, position):
    _assessment(
        story, site, plan, A.REJECTED, (story.today - sitting.sits_on).days, sitting=sitting
    )


def _approved_before(story, site, plan, days_ago):
    """A past approval: the assessment (when the site has a plan) and its commencement."""
    assessment = None
    if plan is not None:
        assessment = _assessment(
            story, site, plan, A.APPROVED, days_ago + 7, commencement=_day(story.today, days_ago)
        )
    return _change(
        story,
        site,
        story.target,
        days_ago,
        ChangeKind.COMMENCEMENT,
        "Readiness assessment approved; the regime of the stage commenced on this date.",
        assessment=assessment,
    )


def _stage3(story, site, plan, sitting, position, *, outbreak=False):
    rng = random.Random(f"demo-s3-{site.code}")
    commenced = rng.randint(60, 250)
    _approved_before(story, site, plan, commenced)
    _review(
        story,
        site,
        story.target,
        commenced - 22,
        rng.choice((ReviewOutcome.REMAIN, ReviewOutcome.PROGRESS, ReviewOutcome.SLOW)),
    )
    if position < 2 and not outbreak:
        _review(story, site, story.target, 7, status=ReviewStatus.FORWARDED)
    if outbreak:
        found = _outbreak(story, site, rng.randint(2, 20))
        ago = (story.today - found.declared_on).days
        if position < 2:
            _emergency(
                story,
                site,
                found,
                story.before,
                status=ChangeStatus.TO_BE_RATIFIED,
                days_ago=max(ago - 1, 0),
            )
        else:
            _emergency(
                story,
                site,
                found,
                story.before,
                status=ChangeStatus.DISMISSED,
                days_ago=ago,
                dismissed=True,
            )


def _stage2(story, site, plan, sitting, position):
    rng = random.Random(f"demo-s2-{site.code}")
    commenced = rng.randint(150, 250)
    _approved_before(story, site, plan, commenced)
    moved = rng.randint(20, commenced - 60)
    review = _review(story, site, story.target, moved + 15, ReviewOutcome.PROGRESS)
    _change(
        story,
        site,
        story.beyond,
        moved,
        ChangeKind.COMMENCEMENT,
        "Approved by the national panel after its progress review.",
        review=review,
    )
    if position < 3:
        found = _outbreak(story, site, rng.randint(2, 15))
        _emergency(
            story,
            site,
            found,
            story.target,
            status=ChangeStatus.DISMISSED,
            days_ago=(story.today - found.declared_on).days,
            dismissed=True,
        )


def _regressed(story, site, plan, sitting, position):
    """Back a stage after an outbreak (or, for two, after a progress review), ratified; half
    are still in outbreak, the rest recovered and some moved up again."""
    rng = random.Random(f"demo-reg-{site.code}")
    commenced = rng.randint(200, 260)
    _approved_before(story, site, plan, commenced)
    back = rng.randint(60, commenced - 40)
    if position < 2:
        review = _review(story, site, story.target, back + 9, ReviewOutcome.REGRESS)
        _change(
            story,
            site,
            story.before,
            back,
            ChangeKind.REGRESSION,
            f"Progress review: regress. {review.reasons}",
            review=review,
            status=ChangeStatus.IN_EFFECT,
            ratified_at=_at(_day(story.today, back - 7)),
            ratification_note="Ratified at the weekly panel.",
        )
        return
    still_open = position < 4
    found = _outbreak(story, site, back + 1, None if still_open else back - 25)
    _emergency(story, site, found, story.before, status=ChangeStatus.IN_EFFECT, days_ago=back)
    if not still_open and position == 5:
        _change(
            story,
            site,
            story.target,
            back - 40,
            ChangeKind.COMMENCEMENT,
            "Approved again by the national panel after the outbreak ended.",
        )


def _lockdown_outbreak(story, site, plan, sitting, position):
    """At stage 4 when an outbreak came: moved back to lockdown, ratified in this week's
    sitting (or still to be ratified)."""
    rng = random.Random(f"demo-lock-{site.code}")
    found = _outbreak(story, site, rng.randint(8, 30))
    ago = (story.today - found.declared_on).days - 1
    change = _emergency(
        story,
        site,
        found,
        story.two_back,
        days_ago=ago,
        status=ChangeStatus.IN_EFFECT if position else ChangeStatus.TO_BE_RATIFIED,
    )
    if position:
        change.ratified_in = sitting
        change.ratified_at = _at(sitting.sits_on, 12)


def _stage4_outbreak(story, site, plan, sitting, position):
    rng = random.Random(f"demo-s4-{site.code}")
    found = _outbreak(story, site, rng.randint(1, 40))
    _emergency(
        story,
        site,
        found,
        story.two_back,
        status=ChangeStatus.DISMISSED,
        days_ago=(story.today - found.declared_on).days,
        dismissed=True,
    )


STORY_WRITERS = {
    "approved_this_week": _approved_this_week,
    "awaiting_panel": _waiting(A.AWAITING_PANEL, 2),
    "deferred": _waiting(A.DEFERRED, 0),
    "rejected_this_week": _rejected_this_week,
    "awaiting_pgd": _waiting(A.AWAITING_PGD, 3),
    "awaiting_union": _waiting(A.AWAITING_UNION, 1),
    "draft": _waiting(A.DRAFT, 5),
    "returned": _waiting(A.RETURNED, 6),
    "lockdown_outbreak": _lockdown_outbreak,
    "regressed": _regressed,
    "stage3_outbreak": lambda *a: _stage3(*a, outbreak=True),
    "stage2": _stage2,
    "stage3": _stage3,
    "stage4_outbreak": _stage4_outbreak,
}


# --- The sitting and saving ----------------------------------------------------------------------


def _sitting(story) -> PanelSitting:
    """This week's sitting (Monday, or today if that is later... Monday is never later)."""
    monday = story.today - datetime.timedelta(days=story.today.weekday())
    nation = OrganisationUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    centre = story.users.get("centre")
    sitting = PanelSitting.objects.create(
        sits_on=monday,
        title=f"Recovery Committee, week of {monday:%-d %B %Y}",
        status=SittingStatus.CLOSED,
        opened_by=centre,
        closed_at=_at(monday, 16),
        unit=nation,
    )
    if centre:
        sitting.members.add(centre)
    PanelSitting.objects.filter(pk=sitting.pk).update(opened_at=_at(monday, 9))
    return sitting


def _save(story, sitting) -> dict:
    ProgressReview.objects.bulk_create(story.reviews)
    for review in story.reviews:
        ProgressReview.objects.filter(pk=review.pk).update(reported_at=review.demo_reported)
    Outbreak.objects.bulk_create(story.outbreaks)
    assessments = [r.assessment for r in story.routes]
    ReadinessAssessment.objects.bulk_create(assessments)
    StageChange.objects.bulk_create(story.changes)
    _sign(story)
    return {
        "changes": len(story.changes),
        "outbreaks": len(story.outbreaks),
        "open": sum(1 for o in story.outbreaks if o.ended_on is None),
        "assessments": len(assessments),
        "reviews": len(story.reviews),
    }


def _sign(story) -> None:
    """Each submitted assessment's snapshot, and its steps pinned to it, on their days."""
    signoffs, when = [], []
    for route in story.routes:
        assessment = route.assessment
        ReadinessAssessment.objects.filter(pk=assessment.pk).update(
            created_at=_at(_day(story.today, (route.steps[0][3] if route.steps else 6) + 3))
        )
        if not route.steps:
            continue
        snapshot = take_snapshot_in_transaction(assessment)
        for step, user, name, day in route.steps:
            decision = step in (Step.APPROVED, Step.DEFERRED, Step.REJECTED)
            signoffs.append(
                SignOff(
                    assessment=assessment,
                    step=step,
                    union_position=UnionPosition.AGREED if step == Step.CONSULTED else "",
                    comments=COMMENTS[step],
                    by=user,
                    by_name=name,
                    snapshot=snapshot,
                    sitting=assessment.sitting if decision else None,
                    commencement_date=assessment.commencement_date
                    if step == Step.APPROVED
                    else None,
                    panel_order=assessment.panel_order if step == Step.APPROVED else None,
                )
            )
            when.append(_at(_day(story.today, day), 10 + len(when) % 6))
            if step == Step.SUBMITTED:
                assessment.submitted_by = user
        if assessment.submitted_by_id:
            ReadinessAssessment.objects.filter(pk=assessment.pk).update(
                submitted_by=assessment.submitted_by
            )
    SignOff.objects.bulk_create(signoffs)
    for signoff, at in zip(signoffs, when, strict=True):
        SignOff.objects.filter(pk=signoff.pk).update(at=at)
