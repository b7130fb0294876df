"""Two people declaring an outbreak at the same establishment at the same moment: one wins, the
other is told the establishment is already in outbreak. Needs PostgreSQL (row locks)."""

import datetime
import threading

import pytest
from django.db import connection

from recovery.core.constants import Role
from recovery.core.errors import DomainError
from recovery.covid.actions import do_declare_outbreak
from recovery.covid.models import Outbreak

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.fixture(autouse=True)
def _audit_emptied_before_flush(transactional_db):
    """The test's data is committed (each thread has its own connection); afterwards its
    audit rows are removed the one way the append-only guard allows, so the flush can empty
    every table (as tests/browser/conftest.py does)."""
    yield
    from recovery.audit.models import AuditEvent
    from recovery.core.append_only import empty_for_tests

    empty_for_tests(AuditEvent)


def test_two_declarations_at_once_one_wins(small_estate, person_with_role):
    people = [person_with_role(Role.ESTABLISHMENT_EDITOR) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def declare(person, day):
        start.wait()
        try:
            do_declare_outbreak(small_estate.establishment_1, declared_on=day, acting_user=person)
            outcomes.append("declared")
        except DomainError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=declare, args=(p, datetime.date(2021, 3, 1))) for p in people
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("declared") == 1
    refused = next(o for o in outcomes if o != "declared")
    assert refused.startswith("HMP Ashgrove is already in outbreak (declared on 1 March 2021")
    assert Outbreak.objects.filter(establishment=small_estate.establishment_1).count() == 1
