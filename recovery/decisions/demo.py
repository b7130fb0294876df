"""Demo decision logs: a dozen recorded entries for the demo Governor's prison and two others,
one of them superseded, through the actions (so every chain verifies). Running it again adds
nothing to a log that already has entries."""

import datetime

from recovery.accounts.models import User
from recovery.core.constants import Role
from recovery.core.scope import DEMO_DATA
from recovery.decisions.actions import (
    do_create_decision_draft,
    do_record_decision,
    do_supersede_decision,
)
from recovery.decisions.constants import ConcernKind, Priority
from recovery.decisions.models import DecisionEntry
from recovery.estate.demo import DEMO_ACCOUNTS
from recovery.estate.models import Establishment

START = datetime.date(2026, 6, 1)
DECISIONS = [
    (
        "Pause C&R refresher training for four weeks",
        Priority.STAFF,
        "Detailing shows 82% of the hours the regime needs.",
        "Fewer staff in date for C&R.",
    ),
    (
        "Keep visits to two sessions a day",
        Priority.PRISONERS,
        "The visits hall holds 12 at 2 m.",
        "Longer waits for a visit.",
    ),
    (
        "Prioritise OASys reviews for people due for release",
        Priority.PROGRESSION,
        "Release dates cannot move; other reviews can.",
        "Other reviews fall further behind.",
    ),
    (
        "Move key work to wing offices",
        Priority.PRISONERS,
        "Interview rooms are needed for legal visits.",
        "Less privacy in key work sessions.",
    ),
    (
        "Run the ACCT refresher online",
        Priority.STAFF,
        "Trainers cannot travel this month.",
        "Less practice than a classroom session.",
    ),
    (
        "Offer annual leave carried over in quiet weeks first",
        Priority.STAFF,
        "Carry-over averages 3.2 days a person.",
        "Some leave is taken later than staff wish.",
    ),
    (
        "Restart education in cohorts of six",
        Priority.PROGRESSION,
        "Classrooms hold six at 2 m.",
        "Fewer learners reach accreditation this term.",
    ),
    (
        "Keep video calls alongside visits",
        Priority.REFORM,
        "Families far away use them most.",
        "Equipment needs replacing sooner.",
    ),
    (
        "Target OBP places at high-risk men first",
        Priority.PROGRESSION,
        "The waiting list exceeds places this year.",
        "Lower-risk referrals wait longer.",
    ),
    (
        "Open the gym to one spur at a time",
        Priority.PRISONERS,
        "Cleaning between groups takes 20 minutes.",
        "Shorter sessions for each spur.",
    ),
    (
        "Second a POELT trainer from the group",
        Priority.STAFF,
        "Twelve new officers await their course.",
        "The group has one fewer trainer.",
    ),
    (
        "Keep the wing-based regime timetable",
        Priority.REFORM,
        "Violence fell with smaller groups.",
        "Less association than before the pandemic.",
    ),
]


def _logs() -> list[tuple[str, str]]:
    """(establishment code, email of its demo decider) for three demo establishments."""
    wanted = {
        "governor@demo.example": Role.GOVERNOR,
        "multi@demo.example": Role.GOVERNOR,
        "ycs-editor@demo.example": Role.ESTABLISHMENT_EDITOR,
    }
    logs = []
    for account in DEMO_ACCOUNTS:
        for role in account.roles:
            if wanted.get(account.email) == role.role and role.unit_code not in dict(logs):
                logs.append((role.unit_code, account.email))
    return logs


def load_demo() -> str:
    written = 0
    for code, email in _logs():
        establishment = Establishment.objects.filter(code=code).first()
        person = User.objects.filter(email=email).first()
        if establishment is None or person is None:
            continue
        if DecisionEntry.objects.filter(establishment=establishment).exists():
            continue
        entries = []
        for number, (title, priority, rationale, risk) in enumerate(DECISIONS):
            content = {
                "title": title,
                "decision": f"{title}.",
                "rationale": rationale,
                "options_considered": "Carry on as now; do more at once.",
                "risks_accepted": risk,
                "concerns_kind": ConcernKind.PRIORITY,
                "priority": priority,
                "decided_by_id": person.pk,
                "decided_on": START + datetime.timedelta(days=12 * number),
            }
            draft = do_create_decision_draft(establishment, content=content, acting_user=DEMO_DATA)
            entries.append(
                do_record_decision(draft, expected_version=draft.version, acting_user=DEMO_DATA)
            )
            written += 1
        do_supersede_decision(
            entries[0],
            content={
                "title": "Resume C&R refresher training",
                "decision": "Resume C&R refreshers, two courses a month.",
                "rationale": "Detailing recovered to 95% of need.",
                "options_considered": "Wait another month.",
                "risks_accepted": "Two officers a day off the wings for training.",
                "concerns_kind": ConcernKind.PRIORITY,
                "priority": Priority.STAFF,
                "decided_by_id": person.pk,
                "decided_on": START + datetime.timedelta(days=150),
            },
            acting_user=DEMO_DATA,
        )
        written += 1
    return f"Decision logs: {written} entries recorded."
