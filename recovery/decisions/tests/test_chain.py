"""The chain: each kind of tampering is caught, and named as the first broken link; an intact
log verifies. Tampering is done with raw SQL after lifting the database's guard with DDL, as
only the tables' owner could (recovery.core.append_only.guard_lifted_for_tests)."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command

from recovery.core.append_only import guard_lifted_for_tests
from recovery.decisions.factories import recorded, superseding
from recovery.decisions.models import DecisionChainHead, DecisionEntry
from recovery.decisions.queries import verify_logs

pytestmark = pytest.mark.django_db

TABLE = DecisionEntry._meta.db_table


@pytest.fixture
def log(small_estate, governor):
    """Three entries in HMP Ashgrove's log, the third superseding the first."""
    first = recorded(small_estate.establishment_1, governor, title="First")
    recorded(small_estate.establishment_1, governor, title="Second")
    superseding(first, governor, title="Third")
    return small_estate.establishment_1


def verify(establishment=None) -> tuple[int, str]:
    """(exit status, output) of `verify_decision_log`."""
    import io

    out = io.StringIO()
    args = ["--establishment", establishment.code] if establishment else []
    try:
        call_command("verify_decision_log", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def tamper(sql: str, params=()) -> None:
    with guard_lifted_for_tests(DecisionEntry) as cursor:
        cursor.execute(sql, params)


def test_an_intact_log_verifies_and_exits_0(log):
    status, output = verify(log)
    assert status == 0
    assert "HMP Ashgrove (EST1): 3 entries, chain intact" in output


def test_each_hash_is_sha256_of_the_documented_canonical_json(log, governor):
    """Recomputed by hand from the stored values, as an inspector would."""
    entry = DecisionEntry.objects.get(establishment=log, sequence=2)
    first = DecisionEntry.objects.get(establishment=log, sequence=1)
    content = {
        "format": 1,
        "log": "EST1",
        "sequence": 2,
        "title": "Second",
        "decision": "Run no C&R refreshers until the detail recovers.",
        "rationale": "Staffing at 82% of the regime's need.",
        "options_considered": "Run refreshers at weekends; pause them.",
        "risks_accepted": "Fewer staff in date for C&R for a month.",
        "concerns_kind": "priority",
        "priority": "staff",
        "metric_id": None,
        "baseline_id": None,
        "concerns_other": "",
        "concerns_label": "Recovery priority: Staff confidence, capability and wellbeing",
        "decided_by_id": governor.pk,
        "decided_by": "Gwen Governor",
        "decided_on": "2021-03-01",
        "supersedes": None,
        "recorded_at": entry.recorded_at.astimezone(__import__("datetime").UTC).strftime(
            "%Y-%m-%dT%H:%M:%S.%f+00:00"
        ),
        "recorded_by_id": None,
        "recorded_by": "System (test data)",
        "previous_hash": first.hash,
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert entry.hash == hashlib.sha256(text.encode()).hexdigest()
    assert entry.previous_hash == first.hash


def test_an_edited_field_is_caught(log):
    tamper(f"UPDATE {TABLE} SET rationale = 'Changed later' WHERE sequence = 2")

    status, output = verify(log)

    assert status == 1
    assert "Entry #2 has been changed since it was recorded" in output


def test_a_deleted_entry_is_caught(log):
    tamper(f"DELETE FROM {TABLE} WHERE sequence = 2")

    status, output = verify(log)

    assert status == 1
    assert "Entry #2 is missing: the log goes from #1 to #3." in output


def test_a_reordering_is_caught(log):
    tamper(f"UPDATE {TABLE} SET sequence = 99 WHERE sequence = 2")
    tamper(f"UPDATE {TABLE} SET sequence = 2 WHERE sequence = 3")
    tamper(f"UPDATE {TABLE} SET sequence = 3 WHERE sequence = 99")

    status, output = verify(log)

    assert status == 1
    assert "Entry #2 does not follow the entry before it" in output


def test_a_removed_last_entry_is_caught_by_the_head_record(log):
    tamper(f"DELETE FROM {TABLE} WHERE sequence = 3")

    status, output = verify(log)

    assert status == 1
    assert (
        "The log ends at entry #2 but its head record says it has 3: entries have been removed "
        "from its end." in output
    )


def test_a_removed_last_entry_with_its_head_rewound_is_caught_by_the_audit_trail(log):
    second = DecisionEntry.objects.get(establishment=log, sequence=2)
    tamper(f"DELETE FROM {TABLE} WHERE sequence = 3")
    DecisionChainHead.objects.filter(establishment=log).update(length=2, last_hash=second.hash)

    status, output = verify(log)

    assert status == 1
    assert "the audit trail says it has 3" in output


def test_an_edit_with_its_hash_recomputed_is_caught_by_the_next_link(log):
    """Changing an entry and writing a matching hash breaks the entry after it."""
    entry = DecisionEntry.objects.get(establishment=log, sequence=1)
    tamper(f"UPDATE {TABLE} SET hash = %s WHERE id = %s", ["f" * 64, entry.pk])

    status, output = verify(log)

    assert status == 1
    assert "Entry #1 has been changed since it was recorded" in output


def test_only_the_broken_log_is_named_and_the_other_stays_intact(log, small_estate, other_governor):
    recorded(small_estate.establishment_2, other_governor, title="Elsewhere")
    tamper(
        f"UPDATE {TABLE} SET title = 'Renamed' WHERE sequence = 1 AND establishment_id = %s",
        [log.pk],
    )

    verification = verify_logs()

    assert [(c.code, c.intact, c.broken_at) for c in verification.chains] == [
        ("EST1", False, 1),
        ("EST2", True, None),
    ]
    assert verify(small_estate.establishment_2)[0] == 0


def test_an_unknown_establishment_is_refused(db):
    with pytest.raises(CommandError, match="There is no establishment with the code NOPE"):
        call_command("verify_decision_log", "--establishment", "NOPE")
