"""Decision logs for tests, written through the actions (so every entry is a real link of its
chain, with its audit event)."""

import datetime
from typing import Any

from recovery.core.scope import TEST_DATA
from recovery.decisions.actions import (
    do_create_decision_draft,
    do_record_decision,
    do_supersede_decision,
)
from recovery.decisions.constants import ConcernKind, Priority


def content(decided_by, **overrides) -> dict[str, Any]:
    """A valid decision about the staff priority, decided by `decided_by` on 1 March 2021."""
    return {
        "title": "Pause C&R refresher training for four weeks",
        "decision": "Run no C&R refreshers until the detail recovers.",
        "rationale": "Staffing at 82% of the regime's need.",
        "options_considered": "Run refreshers at weekends; pause them.",
        "risks_accepted": "Fewer staff in date for C&R for a month.",
        "concerns_kind": ConcernKind.PRIORITY,
        "priority": Priority.STAFF,
        "decided_by_id": decided_by.pk,
        "decided_on": datetime.date(2021, 3, 1),
        **overrides,
    }


def draft(establishment, decided_by, *, acting_user=TEST_DATA, **overrides):
    return do_create_decision_draft(
        establishment, content=content(decided_by, **overrides), acting_user=acting_user
    )


def recorded(establishment, decided_by, *, acting_user=TEST_DATA, **overrides):
    made = draft(establishment, decided_by, acting_user=acting_user, **overrides)
    return do_record_decision(made, expected_version=made.version, acting_user=acting_user)


def superseding(entry, decided_by, *, acting_user=TEST_DATA, **overrides):
    return do_supersede_decision(
        entry, content=content(decided_by, **overrides), acting_user=acting_user
    )
