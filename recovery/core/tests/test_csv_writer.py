"""The export writer's CSV: the same table as the .xlsx, as text a spreadsheet will not run."""

import csv
import datetime
import io
from decimal import Decimal

from recovery.core.xlsx import Sheet, csv_bytes, csv_response


def read(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_values_are_written_as_people_read_them():
    sheet = Sheet(
        "Figures",
        ["Metric", "Period", "Value", "Reported", "Note"],
        [
            ["Parole reports", datetime.date(2026, 11, 2), Decimal("12.50"), True, None],
            ["Café, staff", datetime.date(2026, 11, 9), 7, False, "line 1\nline 2"],
        ],
    )

    assert read(csv_bytes(sheet)) == [
        ["Metric", "Period", "Value", "Reported", "Note"],
        ["Parole reports", "2026-11-02", "12.50", "Yes", ""],
        ["Café, staff", "2026-11-09", "7", "No", "line 1\nline 2"],
    ]


def test_text_a_spreadsheet_would_run_starts_with_an_apostrophe_numbers_do_not():
    rows = [["=1+1"], ["+44 20"], ["-x"], ["@SUM(A1)"], [-5], ["plain"]]
    assert [r[0] for r in read(csv_bytes(Sheet("T", ["Text"], rows)))[1:]] == [
        "'=1+1",
        "'+44 20",
        "'-x",
        "'@SUM(A1)",
        "-5",
        "plain",
    ]


def test_the_response_is_a_csv_download():
    response = csv_response("figures.csv", Sheet("T", ["A"], [[1]]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="figures.csv"'
