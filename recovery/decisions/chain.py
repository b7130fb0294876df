"""The hash chain of a decision log: the canonical content of an entry, its hash, and the walk
that verifies every log.

Canonical content (format 1), the bytes hashed with SHA-256: a JSON object with its keys
sorted, no spaces (separators "," and ":"), non-ASCII characters as themselves, encoded in
UTF-8, of

    format, log (the establishment's code), sequence, title, decision, rationale,
    options_considered, risks_accepted, concerns_kind, priority, metric_id, baseline_id,
    concerns_other, concerns_label, decided_by_id, decided_by, decided_on (YYYY-MM-DD),
    supersedes (null, or {"sequence": n, "hash": "..."} of the entry it corrects),
    recorded_at (UTC, ISO 8601 with microseconds), recorded_by_id, recorded_by, previous_hash

where empty values are "" and missing references null. An inspector can recompute any entry's
hash from an export with nothing but a JSON library and SHA-256 (docs/decisions/0015)."""

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from recovery.decisions.constants import GENESIS_HASH

FORMAT = 1

# The columns the walk reads, in this order (values_list of DecisionEntry).
COLUMNS = (
    "pk",
    "establishment_id",
    "sequence",
    "title",
    "decision",
    "rationale",
    "options_considered",
    "risks_accepted",
    "concerns_kind",
    "priority",
    "metric_id",
    "baseline_id",
    "concerns_other",
    "concerns_label",
    "decided_by_id",
    "decided_by_name",
    "decided_on",
    "supersedes_id",
    "recorded_at",
    "recorded_by_id",
    "recorded_by_name",
    "previous_hash",
    "hash",
)


def utc_text(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical_bytes(row: dict, *, log: str, supersedes: tuple[int, str] | None) -> bytes:
    """The bytes an entry's hash is taken over. `row` holds the entry's values by the names
    of COLUMNS; `supersedes` is (sequence, hash) of the entry it corrects, if any."""
    content = {
        "format": FORMAT,
        "log": log,
        "sequence": row["sequence"],
        "title": row["title"],
        "decision": row["decision"],
        "rationale": row["rationale"],
        "options_considered": row["options_considered"],
        "risks_accepted": row["risks_accepted"],
        "concerns_kind": row["concerns_kind"],
        "priority": row["priority"],
        "metric_id": row["metric_id"],
        "baseline_id": row["baseline_id"],
        "concerns_other": row["concerns_other"],
        "concerns_label": row["concerns_label"],
        "decided_by_id": row["decided_by_id"],
        "decided_by": row["decided_by_name"],
        "decided_on": row["decided_on"].isoformat(),
        "supersedes": (
            None if supersedes is None else {"sequence": supersedes[0], "hash": supersedes[1]}
        ),
        "recorded_at": utc_text(row["recorded_at"]),
        "recorded_by_id": row["recorded_by_id"],
        "recorded_by": row["recorded_by_name"],
        "previous_hash": row["previous_hash"],
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def hash_of(row: dict, *, log: str, supersedes: tuple[int, str] | None) -> str:
    return hashlib.sha256(canonical_bytes(row, log=log, supersedes=supersedes)).hexdigest()


@dataclass
class ChainResult:
    """What the walk found in one establishment's log: intact, or the first broken link."""

    establishment_id: int
    code: str
    name: str
    entries: int = 0
    broken_at: int | None = None  # the entry number where the chain first breaks
    problem: str = ""
    last_hash: str = GENESIS_HASH

    @property
    def intact(self) -> bool:
        return not self.problem

    def describe(self) -> str:
        if self.intact:
            return (
                f"{self.name} ({self.code}): {self.entries} "
                f"entr{'y' if self.entries == 1 else 'ies'}, chain intact"
            )
        return f"{self.name} ({self.code}): BROKEN. {self.problem}"


@dataclass
class Verification:
    chains: list[ChainResult] = field(default_factory=list)
    checked_at: datetime.datetime | None = None

    @property
    def intact(self) -> bool:
        return all(c.intact for c in self.chains)

    @property
    def entries(self) -> int:
        return sum(c.entries for c in self.chains)

    @property
    def broken(self) -> list[ChainResult]:
        return [c for c in self.chains if not c.intact]


class _Walk:
    """Walks one log entry by entry, in order of entry number."""

    def __init__(self, result: ChainResult):
        self.result = result
        self.seen: dict[int, tuple[int, str]] = {}  # pk -> (sequence, hash)
        self.expected_sequence = 1
        self.previous_hash = GENESIS_HASH

    def fail(self, sequence: int | None, problem: str) -> None:
        self.result.broken_at = sequence
        self.result.problem = problem

    def step(self, row: dict) -> None:
        if not self.result.intact:
            return
        sequence = row["sequence"]
        if sequence != self.expected_sequence:
            if sequence > self.expected_sequence:
                missing = (
                    f"#{self.expected_sequence}"
                    if sequence == self.expected_sequence + 1
                    else f"#{self.expected_sequence} to #{sequence - 1}"
                )
                self.fail(
                    self.expected_sequence,
                    f"Entry {missing} is missing: the log goes from "
                    f"#{self.expected_sequence - 1} to #{sequence}.",
                )
            else:
                self.fail(sequence, f"Entry #{sequence} appears twice.")
            return
        if row["previous_hash"] != self.previous_hash:
            self.fail(
                sequence,
                f"Entry #{sequence} does not follow the entry before it (its previous hash is "
                f"not the hash of #{sequence - 1}): entries were reordered, removed or changed.",
            )
            return
        supersedes = None
        if row["supersedes_id"] is not None:
            supersedes = self.seen.get(row["supersedes_id"])
            if supersedes is None:
                self.fail(
                    sequence,
                    f"Entry #{sequence} supersedes an entry that is not earlier in this log.",
                )
                return
        computed = hash_of(row, log=self.result.code, supersedes=supersedes)
        if computed != row["hash"]:
            self.fail(
                sequence,
                f"Entry #{sequence} has been changed since it was recorded: its content no longer "
                "matches its hash.",
            )
            return
        self.seen[row["pk"]] = (sequence, row["hash"])
        self.previous_hash = row["hash"]
        self.expected_sequence += 1
        self.result.entries += 1
        self.result.last_hash = row["hash"]

    def finish(self, head_length: int | None, head_hash: str | None, recorded: tuple | None):
        """Compare the end of the chain with its head row and with the audit trail's record of
        the last recording (sequence, hash), so that entries removed from the end are noticed."""
        if not self.result.intact:
            return
        for source, length, last in (
            ("its head record", head_length, head_hash),
            ("the audit trail", *(recorded or (None, None))),
        ):
            if length is None:
                if self.result.entries and source == "its head record":
                    self.fail(None, "The log has entries but no head record.")
                continue
            if length != self.result.entries or (length and last != self.result.last_hash):
                if length > self.result.entries:
                    self.fail(
                        self.result.entries + 1,
                        f"The log ends at entry #{self.result.entries} but {source} says it "
                        f"has {length}: entries have been removed from its end.",
                    )
                elif length < self.result.entries:
                    self.fail(
                        length + 1,
                        f"The log goes on to entry #{self.result.entries} but {source} says it "
                        f"ends at #{length}: entries have been added without being recorded.",
                    )
                else:
                    self.fail(
                        length,
                        f"The log's last entry (#{length}) is not the one {source} records: it "
                        "has been replaced.",
                    )
                return


def verify_rows(
    rows: Iterable[tuple],
    *,
    logs: dict[int, tuple[str, str]],
    heads: dict[int, tuple[int, str]],
    recorded: dict[int, tuple[int, str]],
) -> list[ChainResult]:
    """Walk `rows` (tuples in COLUMNS order, by establishment then entry number). `logs`:
    establishment id -> (code, name) of every log to report (a row of another establishment is
    skipped); `heads`: establishment id -> (length, last hash) of its head record; `recorded`:
    establishment id -> (sequence, hash) of its last recording in the audit trail."""
    walks = {
        establishment_id: _Walk(ChainResult(establishment_id, code, name))
        for establishment_id, (code, name) in logs.items()
    }
    walk = None
    for values in rows:
        row = dict(zip(COLUMNS, values, strict=True))
        if walk is None or walk.result.establishment_id != row["establishment_id"]:
            walk = walks.get(row["establishment_id"])
            if walk is None:
                continue
        walk.step(row)
    for establishment_id, each in walks.items():
        head = heads.get(establishment_id)
        each.finish(
            head[0] if head else None, head[1] if head else None, recorded.get(establishment_id)
        )
    return sorted((w.result for w in walks.values()), key=lambda r: r.name)
