"""Two decisions recorded in the same log at the same moment still form one chain: the head of
the chain is locked while an entry is appended, so the second recording waits for the first,
then is numbered after it and links to it. Needs PostgreSQL (row locks).

The second recording is started at the worst moment, not left to chance: from the seam
`after_chain_head_read`, after the first has read the head and before it writes the entry
after it. Without the lock the second would read the same head, append the same entry number
and commit first, and the first would fail (in a log with entries; the first recording of all
also makes the head row, and its unique index alone makes the second wait there)."""

import threading
import time

import pytest
from django.db import connection

from recovery.core.constants import Role
from recovery.decisions import actions
from recovery.decisions.actions import do_record_decision
from recovery.decisions.factories import draft
from recovery.decisions.models import DecisionEntry
from recovery.decisions.queries import verify_logs

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks (it locks the whole database to write)",
    ),
]

WAIT_SECONDS = 10


@pytest.fixture(autouse=True)
def _guarded_tables_emptied_before_flush(transactional_db):
    """The test's rows are committed (each thread has its own connection); afterwards the
    guarded tables are emptied the one way their guard allows, so the flush can run."""
    yield
    from recovery.audit.models import AuditEvent
    from recovery.core.append_only import empty_for_tests

    empty_for_tests(DecisionEntry)
    empty_for_tests(AuditEvent)


def _blocked(pid: int) -> bool:
    """Whether the backend `pid` is waiting for a lock another transaction holds (pg_locks is
    read live, not from the transaction's snapshot)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("first_in_the_log", [True, False], ids=["empty-log", "log-with-entries"])
def test_a_recording_made_while_another_is_appending_waits_and_follows_it(
    small_estate, person_with_role, monkeypatch, first_in_the_log
):
    site = small_estate.establishment_1
    gia = person_with_role(Role.GOVERNOR, site, first_name="Gia", last_name="One")
    ed = person_with_role(Role.ESTABLISHMENT_EDITOR, site, first_name="Ed", last_name="Two")
    if not first_in_the_log:
        earlier = draft(site, gia, title="Earlier")
        do_record_decision(earlier, expected_version=1, acting_user=gia)
    first, second = draft(site, gia, title="By Gia"), draft(site, ed, title="By Ed")

    errors: list[Exception] = []
    second_pid: list[int] = []
    second_done = threading.Event()
    seen = {"second_waited": False}

    def record_second():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                second_pid.append(cursor.fetchone()[0])
            do_record_decision(second, expected_version=second.version, acting_user=ed)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            second_done.set()
            connection.close()

    other = threading.Thread(target=record_second)

    def between_read_and_write(establishment, head):
        if threading.current_thread() is other:
            return
        other.start()
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and not second_done.is_set():
            if second_pid and _blocked(second_pid[0]):
                seen["second_waited"] = True
                return
            time.sleep(0.02)

    monkeypatch.setattr(actions, "after_chain_head_read", between_read_and_write)
    try:
        do_record_decision(first, expected_version=first.version, acting_user=gia)
    except Exception as error:  # noqa: BLE001 - reported by the assertion below
        errors.append(error)
    other.join(WAIT_SECONDS)

    assert errors == []
    assert seen["second_waited"], "the second recording did not wait for the first"
    offset = 0 if first_in_the_log else 1
    entries = list(DecisionEntry.objects.filter(establishment=site).order_by("sequence"))
    assert [(e.sequence, e.title) for e in entries[offset:]] == [
        (1 + offset, "By Gia"),
        (2 + offset, "By Ed"),
    ]
    assert entries[-1].previous_hash == entries[-2].hash
    verification = verify_logs([site])
    assert verification.intact and verification.entries == 2 + offset
