"""Benchmark: verifying a decision log set of N entries (default 1,000,000) against raw
SHA-256 over the same canonical bytes in a hashlib loop (issue 10, "Performance").

Usage (PostgreSQL, its own database):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_decisions"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_decisions
    .venv/bin/python bench/decision_log.py --entries 1000000 --logs 120

The entries are made once (a valid chain per establishment, inserted with bulk_create in batches
of 10,000: INSERT is what the append-only guard allows, and the guard stays in place while
verification is measured). Reported: the wall time of `verify_logs()` (what
`manage.py verify_decision_log` runs: read every row, rebuild its canonical JSON, SHA-256, check
the links and the ends) and of hashlib.sha256 over the same bytes, prepared in memory beforehand.
"""

import argparse
import datetime
import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from recovery.decisions.chain import COLUMNS, canonical_bytes  # noqa: E402
from recovery.decisions.constants import GENESIS_HASH  # noqa: E402
from recovery.decisions.models import DecisionChainHead, DecisionEntry  # noqa: E402
from recovery.decisions.queries import verify_logs  # noqa: E402

BATCH = 10_000


def build(entries: int, logs: int) -> None:
    from recovery.estate.factories import EstablishmentFactory, NationFactory, PrisonGroupFactory

    if DecisionEntry.objects.count() == entries:
        return
    if DecisionEntry.objects.exists():
        sys.exit("The database holds another decision log set: use a fresh database.")
    nation = NationFactory()
    group = PrisonGroupFactory(parent=nation, code="BGRP", name="Bench group")
    sites = [
        EstablishmentFactory(parent=group, code=f"B{n:03}", name=f"HMP Bench {n:03}")
        for n in range(logs)
    ]
    per_log = entries // logs
    moment = timezone.now()
    for number, site in enumerate(sites):
        count = per_log + (1 if number < entries % logs else 0)
        previous, batch = GENESIS_HASH, []
        for sequence in range(1, count + 1):
            entry = DecisionEntry(
                establishment=site,
                sequence=sequence,
                title=f"Decision {sequence}",
                decision="Run no C&R refreshers until the detail recovers.",
                rationale="Staffing at 82% of the regime's need.",
                options_considered="Weekends; pause.",
                risks_accepted="Fewer staff in date.",
                concerns_kind="priority",
                priority="staff",
                concerns_label="Recovery priority",
                decided_by_name="Bench Governor",
                decided_on=datetime.date(2021, 3, 1),
                recorded_at=moment,
                recorded_by_name="Bench",
                previous_hash=previous,
            )
            row = {name: getattr(entry, name) for name in COLUMNS}
            entry.hash = hashlib.sha256(
                canonical_bytes(row, log=site.code, supersedes=None)
            ).hexdigest()
            previous = entry.hash
            batch.append(entry)
            if len(batch) == BATCH:
                DecisionEntry.objects.bulk_create(batch)
                batch = []
        DecisionEntry.objects.bulk_create(batch)
        DecisionChainHead.objects.create(establishment=site, length=count, last_hash=previous)
    call_command("migrate", verbosity=0)  # nothing to do; keeps the guard as migrated


def raw_bytes() -> list[bytes]:
    codes = dict(DecisionChainHead.objects.values_list("establishment_id", "establishment__code"))
    rows = DecisionEntry.objects.order_by("establishment_id", "sequence").values_list(*COLUMNS)
    return [
        canonical_bytes(dict(zip(COLUMNS, v, strict=True)), log=codes[v[1]], supersedes=None)
        for v in rows.iterator(chunk_size=BATCH)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--logs", type=int, default=120)
    args = parser.parse_args()
    build(args.entries, args.logs)
    started = time.perf_counter()
    verification = verify_logs()
    verify_seconds = time.perf_counter() - started
    assert verification.intact and verification.entries == args.entries, verification.broken[:1]
    data = raw_bytes()
    started = time.perf_counter()
    for item in data:
        hashlib.sha256(item).hexdigest()
    hash_seconds = time.perf_counter() - started
    print(f"entries: {args.entries:,} in {args.logs} logs")
    print(
        f"verify_logs(): {verify_seconds:.2f} s "
        f"({verify_seconds / args.entries * 1e6:.1f} µs/entry)"
    )
    print(f"hashlib.sha256 over the same bytes: {hash_seconds:.2f} s")
    print(f"ratio: {verify_seconds / hash_seconds:.1f}x")


if __name__ == "__main__":
    main()
