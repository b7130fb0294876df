"""The guards every upload passes before anything parses it.

An upload is read whole into memory (capped at settings.MAX_UPLOAD_BYTES first). A workbook
(.xlsx) is a zip: every member is then unpacked in chunks, without trusting the sizes the zip
declares, and refused if it unpacks to more than a sane total (five times the upload limit),
if one member is packed far tighter than any real workbook (a "zip bomb"), or if any XML part
declares a document type or entities (no workbook needs them; entity expansion is how an XML
"bomb" works). Only then does openpyxl open it, in read-only (streaming) mode, with
`defusedxml` installed so that its parser refuses entities too.

A CSV file (where the importer accepts one: `UploadedWorkbook.open(..., csv_sheet=...)`) passes
the same size guard and must be UTF-8 text (Excel's "CSV UTF-8"; a byte-order mark is allowed):
it is decoded whole, never guessed at in another encoding.

Every refusal is an `InvalidUpload` with one problem for the whole file, written for the person
who uploaded it: never a traceback."""

import io
import zipfile

from django.conf import settings
from openpyxl import load_workbook

from recovery.core.errors import InvalidUpload, Problem

NOT_XLSX = "The file is not an Excel workbook (.xlsx). Save it as an .xlsx workbook and try again."
NOT_XLSX_OR_CSV = (
    "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8. Save it as an .xlsx "
    'workbook, or as "CSV UTF-8 (Comma delimited)", and try again.'
)
# A whole workbook may unpack to this many times the upload limit (50 MB for 10 MB).
UNPACKED_FACTOR = 5
# Real workbooks pack text about 5 to 20 times, a sheet of one value repeated perhaps 150
# times; a member packed tighter than this (and bigger than MIN_RATIO_CHECKED) is refused.
MAX_MEMBER_RATIO = 200
MIN_RATIO_CHECKED = 1024 * 1024
MAX_MEMBERS = 2_000
CHUNK = 256 * 1024
# The XML markup that declares a document type or an entity. XML is case-sensitive: these are
# the only spellings a parser accepts.
FORBIDDEN_MARKUP = (b"<!DOCTYPE", b"<!ENTITY")
OVERLAP = max(len(m) for m in FORBIDDEN_MARKUP) - 1


def whole_file_problem(reason: str) -> InvalidUpload:
    return InvalidUpload([Problem("", None, None, reason)])


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{round(size / (1024 * 1024), 1):g} MB"
    return f"{max(1, round(size / 1024))} KB"


def upload_limit() -> int:
    return settings.MAX_UPLOAD_BYTES


def unpacked_limit(max_bytes: int) -> int:
    return max_bytes * UNPACKED_FACTOR


def read_upload_bytes(file, *, max_bytes: int | None = None) -> bytes:
    """The bytes of `file` (a path, bytes, or a file-like object such as an UploadedFile), or
    InvalidUpload if it is empty or larger than `max_bytes` (default: the upload limit). No
    more than `max_bytes + 1` bytes are ever read."""
    max_bytes = upload_limit() if max_bytes is None else max_bytes
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str) or hasattr(file, "__fspath__"):
        with open(file, "rb") as handle:
            data = handle.read(max_bytes + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(max_bytes + 1)
    if not data:
        raise whole_file_problem("The file is empty.")
    if len(data) > max_bytes:
        raise whole_file_problem(f"The file is larger than {size_text(max_bytes)}.")
    return data


def _too_big(max_bytes: int) -> InvalidUpload:
    return whole_file_problem(
        f"The file is larger than {size_text(unpacked_limit(max_bytes))} when unpacked: an "
        f"upload may be at most {size_text(max_bytes)}, and at most "
        f"{size_text(unpacked_limit(max_bytes))} once unpacked."
    )


def check_zip(data: bytes, *, max_bytes: int) -> None:
    """Refuse, unread by any parser, a zip that is not one, that unpacks to more than
    `unpacked_limit(max_bytes)` (declared or actual), that has a member packed more than
    MAX_MEMBER_RATIO times, or whose XML declares a document type or entities."""
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise whole_file_problem(NOT_XLSX)
    limit = unpacked_limit(max_bytes)
    try:
        with zipfile.ZipFile(buffer) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise whole_file_problem(NOT_XLSX)
            if sum(info.file_size for info in members) > limit:
                raise _too_big(max_bytes)
            total = 0
            for info in members:
                if info.is_dir():
                    continue
                _check_ratio(info.filename, info.file_size, info.compress_size)
                size = 0
                tail = b""
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if total > limit:
                            raise _too_big(max_bytes)
                        _check_ratio(info.filename, size, info.compress_size)
                        window = tail + chunk
                        if any(markup in window for markup in FORBIDDEN_MARKUP):
                            raise whole_file_problem(
                                "The file holds an XML document type or entity declaration "
                                f"(in {info.filename}), which no workbook needs: it has been "
                                "refused unread. Save it again from Excel or LibreOffice."
                            )
                        tail = window[-OVERLAP:]
    except InvalidUpload:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        # Includes a member that unpacks to other than its declared size (a bad CRC) and
        # compression methods or encryption Python cannot read.
        raise whole_file_problem(NOT_XLSX) from error
    except NotImplementedError as error:
        raise whole_file_problem(NOT_XLSX) from error


def _check_ratio(name: str, unpacked: int, packed: int) -> None:
    if unpacked > MIN_RATIO_CHECKED and unpacked > max(packed, 1) * MAX_MEMBER_RATIO:
        raise whole_file_problem(
            f"Part of the file ({name}) is packed more than {MAX_MEMBER_RATIO} times tighter "
            "than any real workbook, so it has been refused unread. Save the workbook again "
            "from Excel or LibreOffice."
        )


def open_guarded_workbook(file, *, max_bytes: int | None = None):
    """A read-only openpyxl workbook from an upload that has passed every guard above, or
    InvalidUpload. Opened without `data_only`, so that a formula is seen as one. Close it
    with `.close()`."""
    max_bytes = upload_limit() if max_bytes is None else max_bytes
    data = read_upload_bytes(file, max_bytes=max_bytes)
    check_zip(data, max_bytes=max_bytes)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # noqa: BLE001 - whatever openpyxl finds wrong, the answer is one
        raise whole_file_problem(NOT_XLSX) from error


def is_zip(data: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(data))


def guarded_csv_text(file, *, max_bytes: int | None = None) -> str:
    """The text of an uploaded CSV file that passed the size guard, or InvalidUpload: it must
    be UTF-8 (with or without a byte-order mark) and not a workbook or other binary file."""
    max_bytes = upload_limit() if max_bytes is None else max_bytes
    data = read_upload_bytes(file, max_bytes=max_bytes)
    return csv_text(data)


def csv_text(data: bytes) -> str:
    if is_zip(data):
        raise whole_file_problem(NOT_XLSX_OR_CSV)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise whole_file_problem(NOT_XLSX_OR_CSV) from error
    if "\x00" in text:
        raise whole_file_problem(NOT_XLSX_OR_CSV)
    return text
