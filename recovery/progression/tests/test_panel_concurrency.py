"""Two panel members deciding at once, on PostgreSQL with a connection each: one decision wins,
the other is told it was already decided; two approvals in one sitting take different places.

Each decision is slowed down while it holds its locks, so that without the row locks both
would read the same version (or the same highest order) and both would be recorded."""

import threading
import time

import pytest
from django.db import connection

from recovery.progression import panel
from recovery.progression.actions import do_decide_assessment
from recovery.progression.constants import AssessmentStatus, Step
from recovery.progression.models import ReadinessAssessment, SignOff
from recovery.progression.tests.panel_factories import awaiting_panel, open_sitting, panel_member
from recovery.progression.tests.test_panel import NEXT_WEEK

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def _audit_truncate_allowed():
    """A transactional test ends by emptying every table, which the audit table's append-only
    guard refuses while it holds rows: they are first deleted with the guard lifted for that one
    statement (as tests/browser/conftest.py does)."""
    yield
    from recovery.audit.models import AuditEvent
    from recovery.core.append_only import empty_for_tests

    empty_for_tests(AuditEvent)


@pytest.fixture
def slow_decisions(monkeypatch):
    """Hold each decision's locks a little longer, while it checks what it decides."""
    check = panel.check_decision

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return check(*args, **kwargs)

    monkeypatch.setattr(panel, "check_decision", slow)


def at_once(*calls):
    """Run each call in its own thread (and database connection), starting together; return
    what each returned or raised."""
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i, call):
        try:
            start.wait()
            outcomes[i] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_two_members_deciding_at_once_one_wins_the_other_is_told(
    small_estate, slow_decisions, _audit_truncate_allowed
):
    pat = panel_member(small_estate.nation, "Pat", "Panelist")
    quinn = panel_member(small_estate.nation, "Quinn", "Quorum")
    assessment = awaiting_panel(small_estate.establishment_1)
    opened = assessment.version

    outcomes = at_once(
        lambda: do_decide_assessment(
            ReadinessAssessment.objects.get(pk=assessment.pk),
            decision="approve",
            reasons="Ready",
            commencement_date=NEXT_WEEK,
            expected_version=opened,
            acting_user=pat,
        ),
        lambda: do_decide_assessment(
            ReadinessAssessment.objects.get(pk=assessment.pk),
            decision="reject",
            reasons="Not ready",
            expected_version=opened,
            acting_user=quinn,
        ),
    )

    refused = [o for o in outcomes if isinstance(o, panel.AlreadyDecided)]
    won = [o for o in outcomes if isinstance(o, ReadinessAssessment)]
    assert len(won) == 1 and len(refused) == 1, outcomes
    assert "already decided since you opened it" in refused[0].message
    assessment.refresh_from_db()
    assert assessment.status == won[0].status
    assert assessment.status in (AssessmentStatus.APPROVED, AssessmentStatus.REJECTED)
    decisions = SignOff.objects.filter(
        assessment=assessment, step__in=[Step.APPROVED, Step.REJECTED]
    )
    assert decisions.count() == 1


def test_two_approvals_at_once_in_one_sitting_take_the_next_two_places(
    small_estate, slow_decisions, _audit_truncate_allowed
):
    pat = panel_member(small_estate.nation, "Pat", "Panelist")
    quinn = panel_member(small_estate.nation, "Quinn", "Quorum")
    sitting = open_sitting(small_estate.nation, members=[pat, quinn])
    first = awaiting_panel(small_estate.establishment_1)
    second = awaiting_panel(small_estate.establishment_2)

    def approve(assessment, user):
        return lambda: do_decide_assessment(
            ReadinessAssessment.objects.get(pk=assessment.pk),
            decision="approve",
            reasons="",
            commencement_date=NEXT_WEEK,
            sitting=sitting,
            expected_version=assessment.version,
            acting_user=user,
        )

    outcomes = at_once(approve(first, pat), approve(second, quinn))

    assert all(isinstance(o, ReadinessAssessment) for o in outcomes), outcomes
    orders = sorted(
        ReadinessAssessment.objects.filter(sitting=sitting).values_list("panel_order", flat=True)
    )
    assert orders == [1, 2]
