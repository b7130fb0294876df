"""Every table sits in its own scrolling wrapper, so a wide table never pushes a page sideways
on a small screen (the browser journeys measure the pages they visit at 375 px; this catches a
table on a page no journey visits)."""

import re
from pathlib import Path

import recovery

WRAPPER = re.compile(r'<div class="app-table-wrapper"[^>]*>\s*$')


def test_every_table_in_a_template_is_wrapped():
    root = Path(recovery.__file__).parent
    bare = []
    for template in root.glob("**/templates/**/*.html"):
        if template.name.endswith("_pdf.html"):
            continue  # printed on A4 by the PDF renderer, never shown on a screen
        text = template.read_text()
        for match in re.finditer(r"<table\b", text):
            if not WRAPPER.search(text[: match.start()]):
                line = text.count("\n", 0, match.start()) + 1
                bare.append(f"{template.relative_to(root)}:{line}")
    assert not bare, "tables outside an app-table-wrapper: " + ", ".join(bare)


def test_the_plan_tables_are_wrapped_too():
    from types import SimpleNamespace

    from recovery.plans.templatetags.plan_tables import plan_table

    html = plan_table({"establishment": SimpleNamespace(code="EST1")}, [], "c")
    assert html.startswith('<div class="app-table-wrapper"><table')
