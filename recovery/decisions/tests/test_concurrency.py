"""Two decisions recorded in the same log at the same moment still form one chain: the head of
the chain is locked while an entry is appended, so they are numbered 1 and 2 and the second
links to the first. Needs PostgreSQL (row locks)."""

import threading

import pytest
from django.db import connection

from recovery.core.constants import Role
from recovery.decisions.actions import do_record_decision
from recovery.decisions.factories import draft
from recovery.decisions.models import DecisionEntry
from recovery.decisions.queries import verify_logs

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.fixture(autouse=True)
def _guarded_tables_emptied_before_flush(transactional_db):
    """The test's rows are committed (each thread has its own connection); afterwards the
    guarded tables are emptied the one way their guard allows, so the flush can run."""
    yield
    from recovery.audit.models import AuditEvent
    from recovery.core.append_only import empty_for_tests

    empty_for_tests(DecisionEntry)
    empty_for_tests(AuditEvent)


@pytest.mark.parametrize("first_in_the_log", [True, False], ids=["empty-log", "log-with-entries"])
def test_two_recordings_at_once_form_one_chain(small_estate, person_with_role, first_in_the_log):
    site = small_estate.establishment_1
    people = [
        person_with_role(Role.GOVERNOR, site, first_name="Gia", last_name="One"),
        person_with_role(Role.ESTABLISHMENT_EDITOR, site, first_name="Ed", last_name="Two"),
    ]
    if not first_in_the_log:
        earlier = draft(site, people[0], title="Earlier")
        do_record_decision(earlier, expected_version=1, acting_user=people[0])
    drafts = [draft(site, p, title=f"By {p.first_name}") for p in people]
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def record(person, made):
        start.wait()
        try:
            do_record_decision(made, expected_version=made.version, acting_user=person)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=record, args=pair) for pair in zip(people, drafts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    offset = 0 if first_in_the_log else 1
    entries = list(DecisionEntry.objects.filter(establishment=site).order_by("sequence"))
    assert [e.sequence for e in entries] == list(range(1, 3 + offset))
    assert sorted(e.title for e in entries[offset:]) == ["By Ed", "By Gia"]
    assert entries[-1].previous_hash == entries[-2].hash
    verification = verify_logs([site])
    assert verification.intact and verification.entries == len(entries)
