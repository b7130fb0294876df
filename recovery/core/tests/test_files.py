"""Uploaded file names: what is shown and offered on download, and what is stored."""

import pytest

from recovery.core.files import shown_file_name, stored_file_name


@pytest.mark.parametrize(
    ("sent", "shown", "stored"),
    [
        ("visits-risk-assessment.pdf", "visits-risk-assessment.pdf", "visits-risk-assessment.pdf"),
        ("../../etc/passwd.txt", "passwd.txt", "passwd.txt"),
        ("C:\\Users\\ed\\Plan.XLSX", "Plan.XLSX", "plan.xlsx"),
        ("report\u202efdp.exe", "reportfdp.exe", "reportfdp.exe"),
        (
            "  two   spaces\tand a tab .pdf ",
            "two spaces and a tab.pdf",
            "two-spaces-and-a-tab.pdf",
        ),
        ("..", "document", "document"),
        ("", "document", "document"),
        ("a" * 300 + ".pdf", "a" * 195 + "….pdf", "a" * 80 + ".pdf"),
        ("Ŵyl " + "ŵ" * 10 + ".odt", "Ŵyl " + "ŵ" * 10 + ".odt", "wyl-wwwwwwwwww.odt"),
    ],
)
def test_names_are_made_safe(sent, shown, stored):
    assert shown_file_name(sent) == shown
    assert stored_file_name(sent) == stored
