"""An EDM file cannot make the service do unbounded work or fail: aliases, anchors and merge keys,
deep nesting, impossible dates, numbers beyond the database's range, NUL characters and
oversized files are each refused with the line and the reason — on the upload page and by
`load_edm` alike — and nothing is saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.scope import TEST_DATA
from recovery.frameworks.actions import do_load_edm
from recovery.frameworks.edm_file import InvalidEdmFile
from recovery.frameworks.factories import edm_text, replace_line
from recovery.frameworks.models import Edm, EdmVersion

pytestmark = pytest.mark.django_db


def merge_key_bomb() -> str:
    """600 bytes that, expanded, are 8^9 (134 million) baselines, each with problems."""
    lines = ["number: 950", 'b0: &b0 {number: "1", text: t, mandatory: maybe, autonomy: x}']
    for i in range(1, 10):
        lines.append(f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 8)}]")
    lines.append("areas: [{<<: {number: '1', title: t}, baselines: *b9}]")
    return "\n".join(lines) + "\n"


def deep_nesting() -> str:
    return "number: 950\nareas: " + "[" * 5000 + "]" * 5000 + "\n"


CASES = {
    "merge-key bomb": (
        merge_key_bomb(),
        "Line 2: anchors (&b0) are not allowed in an EDM file: write the content out in full.",
    ),
    "alias": (
        replace_line(edm_text(), "title: The hall", "title: *hall"),
        "Line 25: aliases (*hall) are not allowed in an EDM file: write the content out in full.",
    ),
    "merge key": (
        replace_line(edm_text(), "title: The hall", "<<: {title: The hall}"),
        "Line 25: merge keys (<<) are not allowed in an EDM file: write the keys out in full.",
    ),
    "5,000 deep": (
        deep_nesting(),
        "Line 2: the file is nested more than 20 levels deep; an EDM file needs no more than 6.",
    ),
    "impossible date": (
        edm_text().replace("issued: 2020-07-10", "issued: 2020-02-30"),
        "Line 4, key 'issued': '2020-02-30' is not a date: there is no such day.",
    ),
    "EDM number 2^31": (
        edm_text(number=2**31),
        "Line 1, key 'number': must be a whole number smaller than 2,147,483,648.",
    ),
    "weighting 2^31": (
        edm_text().replace("weighting: 3", "weighting: 2147483648"),
        "Line 15: the number 2147483648 is too large: numbers must be smaller than 2,147,483,648.",
    ),
    "NUL byte": (
        edm_text(title="Test\x00visits"),
        "Line 2: the file holds a NUL character, which YAML does not allow.",
    ),
    "NUL escape": (
        edm_text(title='"Test\\0visits"'),
        "Line 2: the text holds a NUL character (\\0), which cannot be stored.",
    ),
    "NUL escape in a number": (
        edm_text().replace('- number: "1.2"', '- number: "1.\\02"'),
        "Line 19: the text holds a NUL character (\\0), which cannot be stored.",
    ),
    "area title too long": (
        edm_text().replace("title: Booking", "title: " + "B" * 201),
        "Line 11, key 'title': must be 200 characters or fewer.",
    ),
}


def nothing_saved() -> bool:
    return not Edm.objects.exists() and not EdmVersion.objects.exists()


@pytest.fixture
def author(person_with_role) -> Client:
    client = Client()
    client.force_login(person_with_role(Role.FRAMEWORK_AUTHOR))
    return client


@pytest.mark.parametrize(("text", "problem"), CASES.values(), ids=CASES.keys())
def test_the_upload_page_refuses_the_file_with_the_line_and_reason(author, text, problem):
    events = AuditEvent.objects.count()
    file = SimpleUploadedFile("edm.yaml", text.encode(), content_type="application/yaml")

    response = author.post("/frameworks/upload/", {"file": file})

    page = response.content.decode()
    assert response.status_code == 200
    assert "The file has 1 problem. Nothing has been changed." in page
    escaped = problem.replace("&", "&amp;").replace("'", "&#x27;").replace("<", "&lt;")
    assert escaped in page
    assert nothing_saved() and AuditEvent.objects.count() == events


@pytest.mark.parametrize(("text", "problem"), CASES.values(), ids=CASES.keys())
def test_load_edm_refuses_the_file_with_the_line_and_reason(tmp_path, capsys, text, problem):
    path = tmp_path / "edm.yaml"
    path.write_bytes(text.encode())

    with pytest.raises(CommandError, match="Some files were not loaded."):
        call_command("load_edm", str(path))

    assert capsys.readouterr().err.splitlines() == [
        f"{path}: The file has 1 problem. Nothing has been changed.",
        f"  {problem}",
    ]
    assert nothing_saved()


def test_the_bomb_is_small():
    assert 550 <= len(merge_key_bomb().encode()) <= 650


def test_the_largest_number_the_database_holds_is_accepted():
    # The bound is the column's: one below 2^31 is stored (on PostgreSQL too).
    result = do_load_edm(edm_text(number=2**31 - 1), acting_user=TEST_DATA)

    assert result.edm_version.edm.number == 2_147_483_647


def test_load_edm_refuses_a_file_over_the_size_limit_before_reading_it(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    path.write_bytes(edm_text().encode() + b"#" * (512 * 1024))

    with pytest.raises(CommandError):
        call_command("load_edm", str(path))

    assert capsys.readouterr().err.splitlines() == [
        f"{path}: the file is larger than 512 KB; nothing has been changed."
    ]
    assert nothing_saved()


def test_the_upload_page_refuses_a_file_over_the_size_limit(author):
    file = SimpleUploadedFile("edm.yaml", edm_text().encode() + b"#" * (512 * 1024))

    response = author.post("/frameworks/upload/", {"file": file})

    assert "The selected file must be smaller than 512 KB" in response.content.decode()
    assert nothing_saved()


def many_problems(count: int) -> str:
    """A file whose every baseline lacks its text: exactly one problem each."""
    baselines = "".join(
        f'      - {{number: "1.{i}", weighting: 1, mandatory: true, autonomy: total}}\n'
        for i in range(1, count + 1)
    )
    head = edm_text().split("areas:")[0]
    return head + f'areas:\n  - number: "1"\n    title: Booking\n    baselines:\n{baselines}'


def test_problems_are_capped_at_the_first_hundred_with_the_total(author, tmp_path, capsys):
    text = many_problems(150)
    file = SimpleUploadedFile("edm.yaml", text.encode())

    page = author.post("/frameworks/upload/", {"file": file}).content.decode()
    path = tmp_path / "edm.yaml"
    path.write_text(text)
    with pytest.raises(CommandError):
        call_command("load_edm", str(path))

    message = "The file has 150 problems. Nothing has been changed. The first 100 are listed."
    assert message in page
    assert "Problems in the file (the first 100 of 150)" in page
    assert page.count("this key is missing or empty.") == 200  # summary and table
    assert "Line 112, key &#x27;text&#x27;" in page and "Line 113," not in page
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{path}: {message}" and len(err) == 101
    assert nothing_saved()


def test_the_loader_itself_refuses_text_over_the_size_limit():
    with pytest.raises(InvalidEdmFile) as error:
        do_load_edm(edm_text() + "#" * (512 * 1024), acting_user=TEST_DATA)

    assert [str(p) for p in error.value.problems] == ["Line 1: the file is larger than 512 KB."]
    assert nothing_saved()
