"""Demo Recovery Programme Board (called by recovery.probation.demo): each of the 15 workstreams
with a lead (a post, never a person's name), a status update every fortnight since the Board
first met on 26 June 2020 with its RAG changing as the months went (two at red and the latest
changes within the last fortnight, so the centre has something to act on), milestones from the
roadmap (most done, some overdue, some still to come) and issues (some open and red, some
closed). Everything through the actions, as "System (demo data)"; running it again adds
nothing."""

import datetime
import random

from recovery.core.scope import DEMO_DATA
from recovery.probation.queries import today
from recovery.probation.workstream_actions import (
    do_add_milestone,
    do_close_issue,
    do_complete_milestone,
    do_load_workstream_history,
    do_post_workstream_update,
    do_raise_issue,
    do_set_workstream_lead,
)
from recovery.probation.workstream_models import Workstream, WorkstreamUpdate

FIRST_BOARD = datetime.date(2020, 6, 26)
FORTNIGHT = datetime.timedelta(days=14)

# Each workstream's lead (a post), what its updates talk about, and its milestones: (title, weeks
# from the first Board, or None for one due a few weeks ago and not done).
PLAN = {
    1: (
        "Head of Public Protection, North",
        "face-to-face supervision restarting office by office",
        [("Capacity analysis done in every PDU", 6), ("Doorstep visits replaced in wave 1", 12)],
    ),
    2: (
        "Deputy Director, Courts and Sentencing",
        "sentencing advice and bail information as the courts reopen",
        [("Court staffing matched to the HMCTS recovery plan", 10), ("Court cover rota", None)],
    ),
    3: (
        "Head of Victim Services",
        "victim contact and liaison",
        [("Victim contact scheme back to normal timescales", 20)],
    ),
    4: (
        "Head of Interventions",
        "programmes one to one and remotely, then in small groups",
        [("Remote delivery of two programmes", 8), ("Group work restarted at step 3", None)],
    ),
    5: (
        "Head of Unpaid Work",
        "singleton placements, then larger work parties",
        [("Singleton placements in every region", 6), ("Unpaid work hours backlog halved", None)],
    ),
    6: (
        "Head of Approved Premises",
        "single occupancy and reopening premises",
        [("Premises closed for non-COVID reasons reopened", 16)],
    ),
    7: (
        "Head of Offender Management in Custody",
        "OMiC staff back into prisons with the prison regimes",
        [("OMiC staff redeployed back to prisons", 14)],
    ),
    8: (
        "Deputy Director, Public Protection",
        "MAPPA and high-risk cases through recovery",
        [("MAPPA meetings back in person where safe", 18)],
    ),
    9: ("Head of Health and Wellbeing", "testing, PPE and staff health", []),
    10: ("Director of Business Recovery", "HQ functions and recruitment", []),
    11: (
        "Head of Estates and Digital",
        "offices, screens, IT kit and PPE supply",
        [("Screens fitted in every open office", 8), ("Laptops for all remote staff", 12)],
    ),
    12: ("Head of Assurance", "assurance and HMI Probation's inspections", []),
    13: ("Head of Employee Relations", "consultation with the trade unions", []),
    14: ("Head of Communications", "messages to staff and partners", []),
    15: (
        "Head of Contingency Planning",
        "plans to step back at pace if infection rises",
        [("Step-back plan tested in two regions", 10), ("Winter contingency plan", 4 * 52)],
    ),
}

# Where each workstream's RAG ends up: red, amber or green (the rest drift).
LAST = {2: "red", 5: "red", 4: "amber", 1: "amber", 11: "amber", 9: "green", 14: "green"}
SAYS = {
    "red": "At risk: {theme} is behind plan and needs the Board's decision.",
    "amber": "Some risk: {theme} is moving, with problems the workstream is managing.",
    "green": "On track: {theme} is going to plan.",
}
NEXT = {
    "red": ["red", "amber"],
    "amber": ["amber", "amber", "green", "red"],
    "green": ["green", "green", "amber"],
}


def load_demo_workstreams() -> str:
    if WorkstreamUpdate.objects.exists():
        return "workstreams already reported"
    day = today()
    dates = []
    reported = FIRST_BOARD
    while reported <= day:
        dates.append(reported)
        reported += FORTNIGHT
    updates = milestones = issues = 0
    for workstream in Workstream.objects.order_by("number"):
        lead, theme, plan = PLAN.get(workstream.number, ("", workstream.name.lower(), []))
        rng = random.Random(f"demo-workstream-{workstream.number}")
        if lead:
            do_set_workstream_lead(
                workstream,
                expected_version=workstream.version,
                changes={"lead": lead},
                acting_user=DEMO_DATA,
            )
        rag = "amber"
        history = []
        for index, reported_on in enumerate(dates):
            if index == len(dates) - 1 and workstream.number in LAST:
                rag = LAST[workstream.number]
            elif index == len(dates) - 2 and LAST.get(workstream.number) == "red":
                rag = "amber"  # turned red at the latest Board
            elif index > 0 and rng.random() < 0.2:
                rag = rng.choice(NEXT[rag])
            history.append((reported_on, rag, SAYS[rag].format(theme=theme[0].upper() + theme[1:])))
        # All but the latest as the Board's papers; the latest posted as the centre posts one.
        updates += do_load_workstream_history(workstream, history[:-1], acting_user=DEMO_DATA)
        if history:
            reported_on, rag, summary = history[-1]
            do_post_workstream_update(
                workstream, rag=rag, summary=summary, reported_on=reported_on, acting_user=DEMO_DATA
            )
            updates += 1
        for title, weeks in plan:
            due = (
                day - datetime.timedelta(days=rng.randint(10, 40))
                if weeks is None
                else FIRST_BOARD + datetime.timedelta(weeks=weeks)
            )
            milestone = do_add_milestone(workstream, title=title, due_on=due, acting_user=DEMO_DATA)
            milestones += 1
            if weeks is not None and due < day:
                do_complete_milestone(
                    milestone,
                    expected_version=milestone.version,
                    done_on=min(day, due + datetime.timedelta(days=rng.randint(-7, 14))),
                    acting_user=DEMO_DATA,
                )
        issues += _issues(workstream, theme, rng, day)
    # A milestone still to come, so the Board shows what is next.
    courts = Workstream.objects.filter(number=2).first()
    if courts is not None:
        do_add_milestone(
            courts,
            title="Pre-sentence reports within 15 working days again",
            due_on=day + datetime.timedelta(weeks=8),
            acting_user=DEMO_DATA,
        )
        milestones += 1
    return f"{updates:,} workstream updates, {milestones} milestones, {issues} issues"


ISSUES = {
    2: ("Court backlog outstripping report writers", "red", "Deputy Director, Courts"),
    5: ("Work party supervisors shielding", "red", "Head of Unpaid Work"),
    4: ("Programme rooms too small for distanced groups", "amber", "Head of Interventions"),
    11: ("Screens on back order for three regions", "amber", "Head of Estates and Digital"),
    1: ("Rooms short in two city offices", "green", "Head of Public Protection, North"),
}


def _issues(workstream, theme: str, rng: random.Random, day: datetime.date) -> int:
    made = 0
    # An early issue, closed.
    if workstream.number % 3 == 1:
        early = do_raise_issue(
            workstream,
            title=f"Staff absence slowing {theme.split(',')[0]}",
            rag="amber",
            raised_on=FIRST_BOARD + datetime.timedelta(days=rng.randint(7, 60)),
            owner="Workstream lead",
            acting_user=DEMO_DATA,
        )
        do_close_issue(
            early,
            expected_version=early.version,
            resolution="Cover arranged through overtime and agency staff, as the staffing "
            "hierarchy sets out.",
            closed_on=early.raised_on + datetime.timedelta(days=rng.randint(14, 60)),
            acting_user=DEMO_DATA,
        )
        made += 1
    if workstream.number in ISSUES:
        title, rag, owner = ISSUES[workstream.number]
        do_raise_issue(
            workstream,
            title=title,
            rag=rag,
            detail="Raised at the Board; the workstream reports on it at each meeting.",
            owner=owner,
            raised_on=day - datetime.timedelta(days=rng.randint(3, 30)),
            acting_user=DEMO_DATA,
        )
        made += 1
    return made
