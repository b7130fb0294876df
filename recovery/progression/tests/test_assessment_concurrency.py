"""Two people taking steps on one assessment at the same moment (PostgreSQL: the row lock is
real there): one wins, the other is told the assessment has moved on, and only one step is
recorded."""

import threading

import pytest
from django.db import connection, connections

from recovery.core.constants import Role
from recovery.core.errors import DomainError
from recovery.progression import actions
from recovery.progression.constants import AssessmentStatus as A
from recovery.progression.factories import assessment_in
from recovery.progression.models import ReadinessAssessment

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    # Emptied afterwards, then the reference data that migrations load (the stage ladder) put
    # back for the next test, as every transactional test of the suite does.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def audit_emptied_after(transactional_db):
    yield
    from recovery.audit.models import AuditEvent
    from recovery.core.append_only import empty_for_tests

    empty_for_tests(AuditEvent)


def test_two_pgds_at_once_one_endorses_the_other_is_told(
    audit_emptied_after, small_estate, person_with_role
):
    site = small_estate.establishment_1
    assessment = assessment_in(A.AWAITING_PGD, site)
    first = person_with_role(Role.PGD, first_name="Pat", last_name="First")
    second = person_with_role(Role.PGD, first_name="Sam", last_name="Second")
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(name, call):
        try:
            start.wait()
            call()
            outcomes[name] = "done"
        except DomainError as error:
            outcomes[name] = error.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=act,
            args=("endorse", lambda: actions.do_endorse_assessment(assessment, acting_user=first)),
        ),
        threading.Thread(
            target=act,
            args=(
                "return",
                lambda: actions.do_return_assessment(
                    assessment, reasons="Not yet", acting_user=second
                ),
            ),
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert list(outcomes.values()).count("done") == 1
    refused = next(v for v in outcomes.values() if v != "done")
    assert "Nothing was changed" in refused
    again = ReadinessAssessment.objects.get(pk=assessment.pk)
    assert again.status in (A.AWAITING_PANEL, A.RETURNED)
    assert again.sign_offs.filter(step__in=["endorsed", "returned"]).count() == 1
