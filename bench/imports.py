"""Benchmark: the import engine (recovery/core/imports.py) against openpyxl's own read-only read.

Usage (PostgreSQL, as in production; the same database as bench/plans.py):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_plans"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_plans
    .venv/bin/python bench/imports.py                # everything, side by side; markdown tables
    .venv/bin/python bench/imports.py --only engine-read --rows 250000   # one step, once
    .venv/bin/python bench/imports.py --only raw-read --rows 250000

The baseline of every comparison ("raw read") opens the same bytes exactly as the import does,
`load_workbook(read_only=True)`, and reads every row of every sheet as values. Then, taking
turns round by round (the ratio taken run by run, its median quoted):

- plan: `do_import_plan` of the large benchmark plan (10 EDMs x 120 baselines, 1,200 rows, built
  by bench/plans.py the first time) with 100 rows edited, against the raw read of that file
  (target: at most 1.5 x);
- estate: `do_import_estate` of a workbook adding 10,000 establishments (in 100 prison groups),
  each round with new codes so that each round creates them all, against the raw read of that
  file (target: at most 2 x);
- engine: a synthetic 250,000-row establishments sheet through the engine's reader and every
  check of the estate's spec (no writes), against the raw read (target: at most 1.5 x); and the
  peak memory of each, as a whole process, at 25,000 and 250,000 rows (target: flat);
- corpus: every file of the generated bad-input corpus (recovery/core/tests/bad_uploads.py)
  through `do_import_estate`: the worst refused in at most 2 s and 100 MB more memory.

Figures go to docs/performance.md."""

import argparse
import contextlib
import dataclasses
import io
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import plans as plan_bench  # noqa: E402  (bench/plans.py: sets Django up, builds the plans)
from openpyxl import Workbook, load_workbook  # noqa: E402

from recovery.core.errors import InvalidUpload  # noqa: E402
from recovery.core.imports import ProblemList, UploadedWorkbook  # noqa: E402
from recovery.core.scope import COMMAND_LINE  # noqa: E402
from recovery.estate.actions import do_import_estate  # noqa: E402
from recovery.estate.importer import SHEETS  # noqa: E402

Step, Timing, interleaved, ratio = (
    plan_bench.Step,
    plan_bench.Timing,
    plan_bench.interleaved,
    plan_bench.ratio,
)
ESTABLISHMENTS = 10_000
SYNTHETIC_ROWS = 250_000
TARGETS = {"plan": 1.5, "estate": 2.0, "engine": 1.5}
CORPUS_SECONDS, CORPUS_MB = 2.0, 100
ESTABLISHMENT_SPEC = SHEETS[1].spec


def raw_read(data: bytes) -> int:
    """openpyxl alone, opened exactly as the import opens a file (read-only): every row of
    every sheet, as values."""
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = 0
    for ws in workbook.worksheets:
        for _ in ws.iter_rows(values_only=True):
            rows += 1
    workbook.close()
    return rows


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def estate_file(prefix: str, count: int = ESTABLISHMENTS) -> bytes:
    """An estate workbook adding `count` establishments in count / 100 prison groups, and a
    small probation estate; codes start with `prefix`."""
    workbook = Workbook(write_only=True)
    groups = workbook.create_sheet("Prison groups")
    groups.append(SHEETS[0].headings)
    for g in range(count // 100):
        groups.append([f"{prefix}G{g}", f"Benchmark group {prefix} {g}"])
    establishments = workbook.create_sheet("Establishments")
    establishments.append(SHEETS[1].headings)
    for i in range(count):
        establishments.append(
            [
                f"{prefix}E{i}",
                f"HMP Benchmark {prefix} {i}",
                f"{prefix}G{i // 100}",
                "open",
                "local",
                "B",
                "public",
                600 + i % 300,
                550 + i % 280,
            ]
        )
    regions = workbook.create_sheet("Probation regions")
    regions.append(SHEETS[2].headings)
    regions.append([f"{prefix}R", f"Benchmark region {prefix}"])
    pdus = workbook.create_sheet("PDUs")
    pdus.append(SHEETS[3].headings)
    pdus.append([f"{prefix}P", f"Benchmark PDU {prefix}", f"{prefix}R"])
    offices = workbook.create_sheet("Offices")
    offices.append(SHEETS[4].headings)
    offices.append(
        [f"{prefix}O", f"Benchmark office {prefix}", f"{prefix}P", 4, "09:00", "17:00", 5]
    )
    return _save(workbook)


def synthetic_file(rows: int) -> bytes:
    """One Establishments sheet of `rows` good rows (kept in /tmp: building it is slow)."""
    path = Path(f"/tmp/engine-bench-{rows}.xlsx")
    if path.exists():
        return path.read_bytes()
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Establishments")
    ws.append(SHEETS[1].headings)
    for i in range(rows):
        ws.append(
            [
                f"S{i}",
                f"HMP Synthetic {i}",
                f"G{i % 97}",
                "open",
                "local",
                "B",
                "public",
                600,
                590 + i % 9,
            ]
        )
    data = _save(workbook)
    path.write_bytes(data)
    return data


def engine_read(data: bytes, rows: int) -> int:
    """The engine's reader and every check of the establishments spec; nothing written."""
    spec = dataclasses.replace(ESTABLISHMENT_SPEC, max_rows=rows)
    problems = ProblemList()
    seen = 0
    # A 250,000-row file is bigger than the 10 MB upload limit: give it room (4 x its size).
    with UploadedWorkbook.open(data, max_bytes=4 * len(data)) as workbook:
        for _ in workbook.read(spec, problems):
            seen += 1
    if problems:
        raise SystemExit(f"the synthetic sheet has problems: {problems.items[:3]}")
    return seen


def corpus_files() -> dict[str, bytes]:
    from recovery.estate.tests import test_bad_uploads as estate_corpus

    files = {name: build() for name, (build, _) in estate_corpus.CORPUS.items()}
    files["60,000 problems"] = estate_corpus._many_problems()
    return files


def refuse_seconds(data: bytes) -> float:
    started = time.perf_counter()
    with contextlib.suppress(InvalidUpload):
        do_import_estate(data, acting_user=COMMAND_LINE, source="bench")
    return time.perf_counter() - started


def refuse_megabytes(data: bytes) -> float:
    """The peak of Python's own allocations while `data` is refused (tracemalloc: slows the
    run, so timed apart), in MB."""
    tracemalloc.start()
    with contextlib.suppress(InvalidUpload):
        do_import_estate(data, acting_user=COMMAND_LINE, source="bench")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / (1024 * 1024)


def peak_rss_mb(step: str, rows: int) -> float:
    """Peak RSS of a whole process doing `step` once on the synthetic file of `rows` rows."""
    output = subprocess.run(
        [sys.executable, __file__, "--only", step, "--rows", str(rows)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["engine-read", "raw-read"])
    parser.add_argument("--rows", type=int, default=SYNTHETIC_ROWS)
    parser.add_argument("--repeats", type=int, default=int(os.environ.get("REPEATS", "5")))
    args = parser.parse_args()

    if args.only:
        data = synthetic_file(args.rows)
        if args.only == "engine-read":
            engine_read(data, args.rows)
        else:
            raw_read(data)
        # Peak resident memory of this whole process, in MB (Linux reports KiB).
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return

    plans = plan_bench.setup()
    large, user = plans[plan_bench.LARGE.code]
    plan_data = plan_bench.edited(large, 0)
    synthetic = synthetic_file(args.rows)
    rounds = iter(range(1_000))
    run_id = f"{os.getpid() % 1000}"
    estate_sample = estate_file(f"X{run_id}")

    steps = interleaved(
        [
            Step(
                f"Plan import, {plan_bench.EDITS} rows edited (do_import_plan, 1,200 rows)",
                lambda file: plan_bench.import_edited(large, user, file),
                prepare=lambda: plan_bench.edited(large, next(rounds) + 1),
            ),
            Step("Raw read of the plan file (read-only)", lambda: raw_read(plan_data)),
            Step(
                f"Estate import, {ESTABLISHMENTS:,} new establishments (do_import_estate)",
                lambda file: do_import_estate(file, acting_user=COMMAND_LINE, source="bench"),
                prepare=lambda: estate_file(f"B{run_id}N{next(rounds)}"),
            ),
            Step("Raw read of the estate file (read-only)", lambda: raw_read(estate_sample)),
            Step(
                f"Engine read and checks, {args.rows:,} rows (no writes)",
                lambda: engine_read(synthetic, args.rows),
            ),
            Step(f"Raw read, {args.rows:,} rows (read-only)", lambda: raw_read(synthetic)),
        ],
        args.repeats,
    )
    print(f"repeats: {args.repeats} after one warm-up, in turn")
    print()
    print("| step | median ms | max ms | CPU median ms |")
    print("|---|---:|---:|---:|")
    for timing in steps:
        print(
            f"| {timing.label} | {timing.median:.0f} | {timing.worst:.0f} | "
            f"{timing.cpu_median:.0f} |"
        )
    print()
    print("| target | figure (wall; CPU) | met |")
    print("|---|---:|---|")
    for name, (a, b) in {"plan": (0, 1), "estate": (2, 3), "engine": (4, 5)}.items():
        wall, cpu = ratio(steps[a].wall, steps[b].wall), ratio(steps[a].cpu, steps[b].cpu)
        print(
            f"| {steps[a].label} <= {TARGETS[name]:g} x raw read | {wall:.2f} x; {cpu:.2f} x | "
            f"{'yes' if wall <= TARGETS[name] else 'NO'} |"
        )

    print()
    print("| peak RSS, whole process (MB) | 25,000 rows | 250,000 rows |")
    print("|---|---:|---:|")
    for step in ("engine-read", "raw-read"):
        small, large_rss = peak_rss_mb(step, 25_000), peak_rss_mb(step, 250_000)
        print(f"| {step} | {small:.0f} | {large_rss:.0f} |")

    print()
    print("| bad file (estate import) | seconds | extra MB (Python peak) |")
    print("|---|---:|---:|")
    worst = (0.0, 0.0, "")
    for name, data in corpus_files().items():
        refuse_seconds(data)  # warm-up
        seconds = statistics.median(refuse_seconds(data) for _ in range(3))
        megabytes = refuse_megabytes(data)
        print(f"| {name} | {seconds:.2f} | {megabytes:.1f} |")
        worst = max(worst, (seconds, megabytes, name))
    print()
    met = worst[0] <= CORPUS_SECONDS and worst[1] <= CORPUS_MB
    print(
        f"worst: {worst[2]}, {worst[0]:.2f} s, {worst[1]:.1f} MB "
        f"(target <= {CORPUS_SECONDS:g} s, <= {CORPUS_MB} MB): {'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
