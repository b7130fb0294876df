"""Benchmark: a large Regime Recovery Plan's page, and its spreadsheet export and import.

Usage (PostgreSQL, as in production):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE recovery_bench_plans"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery_bench_plans
    .venv/bin/python bench/plans.py                   # every step; prints a markdown table
    .venv/bin/python bench/plans.py --only export     # one step, once: for whole-process timing
    .venv/bin/python bench/plans.py --only page --repeats 20   # the plan pages and their targets

Migrates the database named by DATABASE_URL and, the first time, builds two plans through the
plans actions (invented content only): a large one answering 10 published EDMs of 120
baselines (1,200 responses) at HMP Benchmark Large, and a small one answering 2 EDMs of 60
baselines at HMP Benchmark Small. About 60% of the answers are given, through the action. Then:

- page: the plan page through Django's full stack (middleware, templates) as the establishment's
  editor: queries (target: at most 20, the same for both plans), server time (target: median
  at most 200 ms for the large plan), the server's CPU time (target: median at most 100 ms for
  the large plan) and the size of the HTML (target: at most 400 KiB for the large plan);
- export: `export_plan` of the large plan to .xlsx;
- import: `do_import_plan` of that file, unchanged (every row read and checked, nothing written);
- import-edits: the same with about 100 rows changed (owner and approach), which writes 100
  answers, each with its audit event (the export and edit before it are not timed);
- raw-read: openpyxl alone on the same file, opened exactly as the import opens it
  (`load_workbook(read_only=True)`), every row of every sheet (target: import at most
  1.5 x raw-read).

Each step runs REPEATS times (default 10; with --only, once) after one warm-up run and reports
the median and worst; the spreadsheet steps take turns, round by round, and the import is
compared with the raw read round by round. The exported file is kept at --file (default
/tmp/rrp-bench.xlsx), and `--only import` and `--only raw-read` read it (run `--only export`
first), so they can be timed as whole processes against each other and against
`--only setup` (the process's fixed cost).
Figures go to docs/performance.md.
"""

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.local")
os.environ.setdefault("DEBUG", "false")
warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from recovery.accounts.factories import RoleAssignmentFactory, UserFactory  # noqa: E402
from recovery.accounts.models import User  # noqa: E402
from recovery.core.constants import Role  # noqa: E402
from recovery.estate.constants import EstablishmentType  # noqa: E402
from recovery.estate.factories import (  # noqa: E402
    EstablishmentFactory,
    NationFactory,
    PrisonGroupFactory,
)
from recovery.estate.models import Establishment, OrganisationUnit  # noqa: E402
from recovery.frameworks.constants import Autonomy  # noqa: E402
from recovery.frameworks.models import Stage  # noqa: E402
from recovery.plans.actions import do_import_plan, do_start_plan, do_update_response  # noqa: E402
from recovery.plans.constants import ResponseStatus  # noqa: E402
from recovery.plans.factories import B, make_edm_version  # noqa: E402
from recovery.plans.models import Plan  # noqa: E402
from recovery.plans.spreadsheet import export_plan, read_plan_upload  # noqa: E402

STAGE = 3
EDITOR_EMAIL = "bench-editor@bench.example"
PAGE_QUERY_TARGET = 20
PAGE_MS_TARGET = 200
PAGE_CPU_MS_TARGET = 100
PAGE_KIB_TARGET = 400
IMPORT_RATIO_TARGET = 1.5
EDITS = 100


class Shape:
    """One benchmark plan: an establishment and the EDMs it answers."""

    def __init__(self, code, name, kind, first_edm, edms, baselines):
        self.code, self.name, self.kind = code, name, kind
        self.first_edm, self.edms, self.baselines = first_edm, edms, baselines

    @property
    def label(self) -> str:
        return f"{self.edms} EDMs x {self.baselines} baselines"


LARGE = Shape("BNL", "HMP Benchmark Large", EstablishmentType.LOCAL, 9101, 10, 120)
SMALL = Shape("BNS", "HMP Benchmark Small", EstablishmentType.OPEN, 9201, 2, 60)

OWNERS = (
    "Head of Residence",
    "Head of Reducing Reoffending",
    "Head of Safety",
    "Head of Learning and Skills",
    "Custodial Manager, Activities",
)
REQUIREMENT = "Keep part {number} of the EDM {edm} regime running safely at this stage"
MORE = (
    ", with the staffing, space and checks that the local risk assessment sets out",
    ", agreed with the trade unions and reviewed every four weeks by the regime management "
    "team, with any change to the risk recorded and shared with the Prison Group Director",
)


def _requirement(rng: random.Random, number: str, edm: int) -> str:
    """As long as the library's requirements: most under 100 characters, about one in eight
    over 220 (the plan page shows the first 120)."""
    roll = rng.random()
    extra = "" if roll < 0.5 else MORE[0] if roll < 0.87 else MORE[0] + MORE[1]
    return REQUIREMENT.format(number=number, edm=edm) + extra + "."


def _baselines(rng: random.Random, edm: int, count: int) -> list[B]:
    """`count` baselines over areas of 15, with a realistic mix of weightings and autonomy."""
    specs = []
    for i in range(count):
        area = str(i // 15 + 1)
        number = f"{area}.{i % 15 + 1}"
        mandatory = rng.random() < 0.7
        weighting = rng.choice([3, 2, 2, 1, 1]) if mandatory or rng.random() < 0.6 else None
        roll = rng.random()
        autonomy = (
            Autonomy.PARTIAL if roll < 0.2 else Autonomy.LIMITED if roll < 0.4 else Autonomy.TOTAL
        )
        options = (
            [f"Option {c}: a local way to deliver {number}" for c in "ABC"]
            if autonomy == Autonomy.PARTIAL
            else []
        )
        specs.append(
            B(
                number=number,
                weighting=weighting,
                mandatory=mandatory,
                autonomy=autonomy,
                options=options,
                text=_requirement(rng, number, edm),
                area=area,
            )
        )
    return specs


def _answer(rng: random.Random, response) -> dict | None:
    """About 60% of baselines answered, as an establishment part-way through would."""
    baseline = response.baseline
    roll = rng.random()
    if roll >= 0.6:
        return None
    if roll < 0.25:
        status = ResponseStatus.MET
    elif roll < 0.55 or baseline.mandatory:
        status = ResponseStatus.IN_PROGRESS
    else:
        status = ResponseStatus.NOT_APPLICABLE
    changes = {
        "status": status,
        "owner": rng.choice(OWNERS),
        "approach": f"Local approach to baseline {baseline.number}, agreed with the regime "
        "management team and the local trade unions.",
        "target_date": datetime.date(2026, 12, 1) + datetime.timedelta(days=rng.randint(-30, 90)),
    }
    if status == ResponseStatus.NOT_APPLICABLE:
        changes["not_applicable_reason"] = "The establishment has no such facility."
    if baseline.options and status != ResponseStatus.NOT_APPLICABLE:
        changes["chosen_option"] = rng.choice(baseline.options)
    if baseline.autonomy == Autonomy.LIMITED and status == ResponseStatus.MET:
        changes["compliance_confirmed"] = True
    return changes


def _editor(establishments: list[Establishment]) -> User:
    user = User.objects.filter(email=EDITOR_EMAIL).first()
    if user is None:
        user = UserFactory(email=EDITOR_EMAIL, first_name="Bench", last_name="Editor")
        for establishment in establishments:
            RoleAssignmentFactory(user=user, role=Role.ESTABLISHMENT_EDITOR, unit=establishment)
    return user


def establishment_of(shape: Shape, group: OrganisationUnit) -> Establishment:
    establishment = Establishment.objects.filter(code=shape.code).first()
    if establishment is None:
        establishment = EstablishmentFactory(
            parent=group, code=shape.code, name=shape.name, establishment_type=shape.kind
        )
    return establishment


def build(shape: Shape, establishment: Establishment, user: User) -> None:
    """The shape's published EDMs, and its plan started and answered by `user`."""
    stage = Stage.objects.get(number=STAGE)
    if Plan.objects.filter(establishment=establishment, stage=stage).exists():
        return
    rng = random.Random(f"bench-{shape.code}")
    for number in range(shape.first_edm, shape.first_edm + shape.edms):
        make_edm_version(
            number,
            _baselines(rng, number, shape.baselines),
            stage_number=STAGE,
            applies_to=[shape.kind],
            title=f"Benchmark regime element {number}",
        )
    plan = do_start_plan(establishment, stage, acting_user=user)
    expected = shape.edms * shape.baselines
    if plan.responses.count() != expected:
        raise SystemExit(
            f"The plan of {shape.name} has {plan.responses.count()} baselines, not {expected}: "
            "other published EDMs apply to it. Run the benchmark on a database of its own."
        )
    for response in plan.responses.select_related("baseline").order_by("baseline_id"):
        changes = _answer(rng, response)
        if changes:
            do_update_response(
                response, expected_version=response.version, changes=changes, acting_user=user
            )


def setup() -> dict[str, tuple[Plan, User]]:
    call_command("migrate", verbosity=0, interactive=False)
    nation = NationFactory()
    group = OrganisationUnit.objects.filter(code="BENCHG").first() or PrisonGroupFactory(
        parent=nation, code="BENCHG", name="Benchmark group"
    )
    started = time.perf_counter()
    built = not Plan.objects.filter(establishment__code=LARGE.code).exists()
    establishments = [establishment_of(shape, group) for shape in (SMALL, LARGE)]
    user = _editor(establishments)
    for shape, establishment in zip((SMALL, LARGE), establishments, strict=True):
        build(shape, establishment, user)
    if built:
        print(f"built the benchmark plans in {time.perf_counter() - started:.1f} s")
    plans = {}
    for shape in (LARGE, SMALL):
        plan = Plan.objects.select_related("establishment", "stage").get(
            establishment__code=shape.code, stage__number=STAGE
        )
        plans[shape.code] = (plan, user)
    return plans


# --- Timing ------------------------------------------------------------------------------------


class Timing:
    """Wall-clock and CPU milliseconds of each run. The CPU time is this process's alone (not
    PostgreSQL's): on a busy machine it moves less than the wall clock."""

    def __init__(self, label: str):
        self.label = label
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self, function: Callable[[], object], *, count: bool = True):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        if count:
            self.wall.append((time.perf_counter() - wall) * 1000)
            self.cpu.append((time.process_time() - cpu) * 1000)
        return result

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def worst(self) -> float:
        return max(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


class Step:
    """One timed operation; `prepare` (not timed) makes each run's argument."""

    def __init__(self, label: str, run: Callable, prepare: Callable | None = None):
        self.timing = Timing(label)
        self.run, self.prepare = run, prepare

    def once(self, *, count: bool) -> None:
        if self.prepare is None:
            self.timing.run(self.run, count=count)
        else:
            argument = self.prepare()
            self.timing.run(lambda: self.run(argument), count=count)


def interleaved(steps: list[Step], repeats: int) -> list[Timing]:
    """Each step once per round (one warm-up round, then `repeats`), so that a change in the
    machine's load falls on every step alike and run i of two steps can be compared."""
    for i in range(repeats + 1):
        for step in steps:
            step.once(count=bool(i))
    return [step.timing for step in steps]


def ratio(a: list[float], b: list[float]) -> float:
    """The median of the round-by-round ratios a/b."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


# The answers' target dates lie around 1 December 2026; the page is taken as on that day, so
# that the number of overdue baselines (and the page's size) does not drift as time passes.
PAGE_TODAY = datetime.date(2026, 12, 1)


def page(plan: Plan, user: User, repeats: int) -> tuple[Timing, int, int]:
    with mock.patch("recovery.plans.queries.timezone.localdate", return_value=PAGE_TODAY):
        return _page(plan, user, repeats)


def _page(plan: Plan, user: User, repeats: int) -> tuple[Timing, int, int]:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = f"/plans/{plan.establishment.code}/"
    timing = Timing(f"Plan page, {plan.responses.count():,} baselines")
    queries, size = 0, 0
    for i in range(repeats + 1):
        with CaptureQueriesContext(connection) as captured:
            response = timing.run(lambda: client.get(url), count=bool(i))
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries, size = len(captured), len(response.content)
    return timing, queries, size


def page_report(small: Plan, large: Plan, user: User, repeats: int) -> list[str]:
    """Time both plan pages, print their table and their targets; return the target lines."""
    print("| page | queries | median ms | max ms | CPU median ms | HTML KiB |")
    print("|---|---:|---:|---:|---:|---:|")
    queries, results = {}, {}
    for shape, plan in ((SMALL, small), (LARGE, large)):
        timing, count, size = page(plan, user, repeats)
        queries[shape.code], results[shape.code] = count, (timing, size)
        print(
            f"| {timing.label} ({shape.label}) | {count} | {timing.median:.0f} | "
            f"{timing.worst:.0f} | {timing.cpu_median:.0f} | {size / 1024:.0f} |"
        )
    timing, size = results[LARGE.code]
    same = queries[SMALL.code] == queries[LARGE.code]
    bounded = max(queries.values()) <= PAGE_QUERY_TARGET

    def met(ok: bool) -> str:
        return "yes" if ok else "NO"

    lines = [
        f"| plan page queries <= {PAGE_QUERY_TARGET}, whatever the number of baselines | "
        f"{queries[SMALL.code]} and {queries[LARGE.code]} | {met(same and bounded)} |",
        f"| plan page median <= {PAGE_MS_TARGET} ms ({LARGE.label}) | "
        f"{timing.median:.0f} ms | {met(timing.median <= PAGE_MS_TARGET)} |",
        f"| plan page CPU median <= {PAGE_CPU_MS_TARGET} ms ({LARGE.label}) | "
        f"{timing.cpu_median:.0f} ms | {met(timing.cpu_median <= PAGE_CPU_MS_TARGET)} |",
        f"| plan page HTML <= {PAGE_KIB_TARGET} KiB ({LARGE.label}) | "
        f"{size / 1024:.0f} KiB | {met(size <= PAGE_KIB_TARGET * 1024)} |",
    ]
    print()
    print("| target | figure | met |")
    print("|---|---:|---|")
    for line in lines:
        print(line)
    print()
    return lines


def raw_read(data: bytes) -> int:
    """openpyxl alone: open the workbook exactly as the import does (read-only: rows streamed
    from the sheet XML) and read every cell value of every sheet."""
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = 0
    for ws in workbook.worksheets:
        for _ in ws.iter_rows(values_only=True):
            rows += 1
    workbook.close()
    return rows


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "RRP-bench.xlsx",
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def edited(plan: Plan, number: int) -> bytes:
    """A fresh export of `plan` with EDITS rows changed (owner and approach), spread over every
    EDM sheet. The process id and `number` make each file's edits new, so each import writes
    them all."""
    run = f"{os.getpid()}.{number}"
    workbook = load_workbook(io.BytesIO(export_plan(plan)))
    sheets = [ws for ws in workbook.worksheets if ws.title.startswith("EDM ")]
    header = [c.value for c in sheets[0][1]]
    owner, approach = header.index("Owner") + 1, header.index("Approach") + 1
    per_sheet = -(-EDITS // len(sheets))
    done = 0
    for ws in sheets:
        step = max(1, (ws.max_row - 1) // per_sheet)
        for row in range(2, ws.max_row + 1, step)[:per_sheet]:
            if done == EDITS:
                break
            ws.cell(row=row, column=owner, value=f"Deputy Governor (run {run})")
            ws.cell(row=row, column=approach, value=f"Revised approach, run {run}, row {row}.")
            done += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_edited(plan: Plan, user: User, data: bytes) -> None:
    result = do_import_plan(plan, upload(data), acting_user=user)
    if result.responses_changed != EDITS:
        raise SystemExit(f"the import changed {result.responses_changed} answers, not {EDITS}")


# --- Steps -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        choices=["setup", "page", "export", "import", "import-edits", "raw-read"],
        help="run one step only (default: every step)",
    )
    parser.add_argument("--repeats", type=int, help="timed runs per step (default 10; --only 1)")
    parser.add_argument("--file", default="/tmp/rrp-bench.xlsx", help="the exported file")
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile of one run of each xlsx step"
    )
    args = parser.parse_args()
    repeats = args.repeats or (1 if args.only else int(os.environ.get("REPEATS", "10")))
    only = args.only
    path = Path(args.file)

    plans = setup()
    if only == "setup":
        return
    large, user = plans[LARGE.code]
    small, _ = plans[SMALL.code]

    if only == "page":
        page_report(small, large, user, repeats)
        return
    if only == "export":
        for _ in range(repeats):
            data = export_plan(large)
        path.write_bytes(data)
        return
    if only in ("import", "raw-read") and path.exists():
        data = path.read_bytes()
    else:
        data = export_plan(large)
        path.write_bytes(data)

    if only == "import":
        for _ in range(repeats):
            do_import_plan(large, upload(data), acting_user=user)
        return
    if only == "import-edits":
        for run in range(repeats):
            import_edited(large, user, edited(large, run))
        path.write_bytes(export_plan(large))  # the kept file matches the plan again
        return
    if only == "raw-read":
        for _ in range(repeats):
            raw_read(data)
        return

    print(
        f"database: {connection.vendor}; plans: {SMALL.label} and {LARGE.label}; "
        f"repeats: {repeats} after one warm-up; file: {len(data) / 1024:.0f} KiB, "
        f"{raw_read(data):,} rows"
    )
    print()
    page_targets = page_report(small, large, user, repeats)

    runs = iter(range(10_000))
    steps = interleaved(
        [
            Step("Export (export_plan)", lambda: export_plan(large)),
            # A fresh export each round (not timed): the edits of the round before have
            # moved the row versions on.
            Step(
                "Import, no edits (do_import_plan)",
                lambda file: do_import_plan(large, upload(file), acting_user=user),
                prepare=lambda: export_plan(large),
            ),
            Step(
                "of which reading and checking (read_plan_upload)",
                lambda file: read_plan_upload(large, upload(file)),
                prepare=lambda: export_plan(large),
            ),
            Step(
                f"Import, {EDITS} rows edited (do_import_plan)",
                lambda file: import_edited(large, user, file),
                prepare=lambda: edited(large, next(runs)),
            ),
            Step("Raw openpyxl read (read-only, every row)", lambda: raw_read(data)),
        ],
        repeats,
    )
    path.write_bytes(export_plan(large))  # the kept file matches the plan again
    print()
    print(f"| spreadsheet, {LARGE.label} | median ms | max ms | CPU median ms |")
    print("|---|---:|---:|---:|")
    for step in steps:
        print(f"| {step.label} | {step.median:.0f} | {step.worst:.0f} | {step.cpu_median:.0f} |")

    raw = steps[-1]
    print()
    print("| target | figure | met |")
    print("|---|---:|---|")
    for line in page_targets:
        print(line)
    for label, step in (("no edits", steps[1]), (f"{EDITS} edits", steps[3])):
        wall = ratio(step.wall, raw.wall)
        print(
            f"| import ({label}) <= {IMPORT_RATIO_TARGET:g} x raw read (median of the "
            f"run-by-run ratios) | {wall:.2f} x (CPU {ratio(step.cpu, raw.cpu):.2f} x) | "
            f"{'yes' if wall <= IMPORT_RATIO_TARGET else 'NO'} |"
        )

    if args.profile:
        import cProfile
        import pstats

        for label, run in (
            ("export", lambda: export_plan(large)),
            ("import, no edits", lambda: do_import_plan(large, upload(data), acting_user=user)),
            ("raw read", lambda: raw_read(data)),
        ):
            profiler = cProfile.Profile()
            profiler.runcall(run)
            print(f"\n--- cProfile: {label} (cumulative, top 25) ---")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
