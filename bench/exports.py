"""Benchmark: the export writer against openpyxl writing the same rows directly.

Usage (no database needed):
    .venv/bin/python bench/exports.py             # 10,000 rows x 8 columns, 7 rounds

Builds an estate-like sheet (10,000 establishments: code, name, group, type, category, sector,
capacity, population; invented names, one in ten starting with "=" or holding a line break)
and writes it to .xlsx bytes two ways, taking turns round by round:

- direct: openpyxl's `ws.append` and `save`, as `build_workbook` did before the writer (it
  wrote "=..." as a live formula; a vertical tab made it fail, so none is used here);
- writer: `recovery.core.xlsx.workbook_bytes`, every cell through `write_cell`.

Reports the median and worst wall-clock and CPU milliseconds of each and the ratio of the
medians. Figures go to docs/performance.md.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.local")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Font  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from recovery.core.xlsx import Sheet, workbook_bytes  # noqa: E402

HEADERS = ["Code", "Name", "Group code", "Type", "Category", "Public or private", "Capacity", "Pop"]


def rows(count: int) -> list[list[object]]:
    out = []
    for i in range(count):
        name = f"HMP Benchmark {i}"
        if i % 10 == 0:
            name = f"=Benchmark {i}" if i % 20 == 0 else f"Benchmark\n{i}"
        out.append([f"B{i:05d}", name, f"G{i % 20}", "Local", "B", "Public", 600 + i % 400, 550])
    return out


def direct(data: list[list[object]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    ws = workbook.create_sheet("Establishments")
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in HEADERS]
    for row in data:
        ws.append(row)
        for i, value in enumerate(row):
            widths[i] = max(widths[i], min(60, len(str(value))))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width + 2
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def writer(data: list[list[object]]) -> bytes:
    return workbook_bytes([Sheet("Establishments", HEADERS, data)])


def timed(step, data) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    step(data)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    data = rows(args.rows)
    direct(data), writer(data)  # warm up
    results: dict[str, list[tuple[float, float]]] = {"direct": [], "writer": []}
    for _ in range(args.repeats):
        results["direct"].append(timed(direct, data))
        results["writer"].append(timed(writer, data))
    print(f"{args.rows:,} rows x {len(HEADERS)} columns, {args.repeats} rounds\n")
    print("| step | median ms | worst ms | median CPU ms |")
    print("|---|---:|---:|---:|")
    medians = {}
    for name, runs in results.items():
        walls = [w for w, _ in runs]
        cpus = [c for _, c in runs]
        medians[name] = (statistics.median(walls), statistics.median(cpus))
        print(f"| {name} | {medians[name][0]:,.0f} | {max(walls):,.0f} | {medians[name][1]:,.0f} |")
    ratio = medians["writer"][0] / medians["direct"][0]
    cpu_ratio = medians["writer"][1] / medians["direct"][1]
    print(f"\nwriter / direct: {ratio:.2f} x (CPU {cpu_ratio:.2f} x)")


if __name__ == "__main__":
    main()
