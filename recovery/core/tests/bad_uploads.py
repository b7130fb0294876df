"""A corpus of bad uploads, generated (no binary files in the repository): each takes a good
workbook's bytes and breaks one thing the way a careless tool or an attacker would."""

import io
import re
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def sheet_part(data: bytes, title: str) -> str:
    """The zip member holding the sheet called `title`."""
    parts = members(data)
    workbook = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(rf'<sheet[^>]*name="{re.escape(escape(title))}"[^>]*r:id="(rId\d+)"', workbook)
    assert rid, f"no sheet {title}"
    target = re.search(rf'<Relationship[^>]*Id="{rid[1]}"[^>]*Target="([^"]+)"', rels)
    if target is None:
        target = re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid[1]}"', rels)
    path = target[1].lstrip("/")
    return path if path.startswith("xl/") else f"xl/{path}"


def change_sheet(data: bytes, title: str, change: Callable[[bytes], bytes]) -> bytes:
    parts = members(data)
    name = sheet_part(data, title)
    parts[name] = change(parts[name])
    return rezip(parts)


def truncated(data: bytes, title: str) -> bytes:
    """The sheet's XML cut off half-way (a download that stopped)."""
    return change_sheet(data, title, lambda xml: xml[: len(xml) // 2])


def not_utf8(data: bytes, title: str) -> bytes:
    """The sheet's XML re-encoded in Latin-1 without saying so, with a non-ASCII name."""

    def change(xml: bytes) -> bytes:
        text = xml.decode()
        text = (
            text.replace(
                "<sheetData>",
                '<sheetData><row r="99"><c r="A99" t="inlineStr"><is><t>Café</t></is></c></row>',
                1,
            )
            if "<sheetData>" in text
            else text
        )
        return text.encode("latin-1")

    return change_sheet(data, title, change)


def with_doctype(data: bytes, title: str) -> bytes:
    """An entity declared in the sheet's XML (the start of a "billion laughs")."""

    def change(xml: bytes) -> bytes:
        declaration = b'<!DOCTYPE worksheet [<!ENTITY lol "lol">]>'
        if xml.startswith(b"<?xml"):
            end = xml.index(b"?>") + 2
            return xml[:end] + declaration + xml[end:]
        return declaration + xml

    return change_sheet(data, title, change)


def with_extra_member(data: bytes, name: str, content: bytes) -> bytes:
    parts = members(data)
    parts[name] = content
    return rezip(parts)


def zip_bomb(data: bytes, unpacked: int) -> bytes:
    """A good workbook plus a member of `unpacked` zero bytes (it packs about 1,000 times)."""
    return with_extra_member(data, "xl/media/image1.bin", b"\0" * unpacked)


def lying_dimension(data: bytes, title: str, ref: str) -> bytes:
    """The sheet records a size (`<dimension ref=...>`) smaller than what it holds."""
    return change_sheet(
        data,
        title,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml),
    )


def cell_xml(title: str, row: int, column: str, cell: str) -> Callable[[bytes], bytes]:
    """A change that replaces (or adds) the cell at `column``row` with the raw XML `cell`."""

    def change(xml: bytes) -> bytes:
        text = xml.decode()
        ref = f"{column}{row}"
        pattern = rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)'
        if re.search(pattern, text, flags=re.S):
            return re.sub(pattern, cell, text, count=1, flags=re.S).encode()
        return re.sub(rf'(<row r="{row}"[^>]*>)', rf"\1{cell}", text, count=1).encode()

    return change


def formula(ref: str, expression: str, cached: str, *, error: bool = False) -> str:
    kind = ' t="e"' if error else ' t="str"'
    return f'<c r="{ref}"{kind}><f>{escape(expression)}</f><v>{escape(cached)}</v></c>'


def error_value(ref: str, value: str = "#DIV/0!") -> str:
    return f'<c r="{ref}" t="e"><v>{escape(value)}</v></c>'


def inline_text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def number(ref: str, value: int | float) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def minimal_workbook(sheets: dict[str, str]) -> bytes:
    """A workbook written by hand: sheet title -> the XML of its <sheetData> content. Fast
    enough for tens of thousands of rows in a test."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        + "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + "".join(
            f'<sheet name="{escape(title)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, title in enumerate(sheets, start=1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        + "</Relationships>"
    )
    parts = {
        "[Content_Types].xml": content_types.encode(),
        "_rels/.rels": rels.encode(),
        "xl/workbook.xml": workbook.encode(),
        "xl/_rels/workbook.xml.rels": workbook_rels.encode(),
    }
    for i, data in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            # Excel always records the sheet's size; without it openpyxl reads the whole sheet
            # once more just to find it.
            f'<dimension ref="A1"/><sheetData>{data}</sheetData></worksheet>'
        ).encode()
    return rezip(parts)


def rows_xml(rows: list[list[object]], *, start: int = 1) -> str:
    """<row> elements for `rows` (text inline, numbers as numbers, None left out)."""
    out = []
    for number, values in enumerate(rows, start=start):
        cells = []
        for index, value in enumerate(values):
            ref = f"{chr(ord('A') + index)}{number}"
            if value is None:
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(number_cell(ref, value))
            else:
                cells.append(inline_text(ref, str(value)))
        out.append(f'<row r="{number}">{"".join(cells)}</row>')
    return "".join(out)


number_cell = number
