"""Scores rolled up: bars and a table per EDM, per area and per establishment, checked against
figures worked out by hand for a small plan."""

import re

from recovery.core.constants import Role


def _rollup_table(html: str, key: str) -> list[tuple[str, str, str]]:
    table = html[html.index(f'id="{key}-rollup"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(
        r'<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>', table, re.S
    )
    strip = lambda s: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", s)).strip()  # noqa: E731
    return [tuple(strip(c) for c in row) for row in rows]


def _chart(html: str, key: str) -> str:
    start = html.index(f'id="{key}-chart-title"')
    assert 'role="img"' in html[html.rindex("<svg", 0, start) : start]
    return html[start : html.index("</svg>", start)]


def test_plan_page_rolls_up_by_edm_and_area(client, small_plan, person_with_role):
    client.force_login(person_with_role(Role.GOVERNOR))
    html = client.get("/plans/EST1/").content.decode()
    # By hand: mandatory met 3 + 1 of 3 + 2 + 1 = 4/6; desirable 1 of 1 (2.3 does not apply).
    assert _rollup_table(html, "edm") == [
        ("EDM 903: Gym", "67% (4 of 6 weight met)", "100% (1 of 1 weight met)"),
    ]
    # Area 1: mandatory 3 of 5, nothing desirable; area 2: 1 of 1 and 1 of 1.
    assert _rollup_table(html, "area") == [
        ("EDM 903, area 1. Area 1", "60% (3 of 5 weight met)", "Nothing applies"),
        ("EDM 903, area 2. Area 2", "100% (1 of 1 weight met)", "100% (1 of 1 weight met)"),
    ]
    # Bars of a 360-unit scale: 4/6 → 240, 1/1 → 360, 3/5 → 216, nothing applies → 0.
    edm_chart = _chart(html, "edm")
    assert re.findall(r'width="(\d+)"', edm_chart) == ["240", "360"]
    area_chart = _chart(html, "area")
    assert re.findall(r'width="(\d+)"', area_chart) == ["216", "0", "360", "360"]
    assert "mandatory 67%, desirable 100%" in edm_chart  # the description says it in words
    assert "style=" not in edm_chart + area_chart  # strict CSP: widths are attributes


def test_group_view_has_a_bar_per_establishment(client, small_plan, person_with_role):
    client.force_login(person_with_role(Role.PGD))
    html = client.get("/plans/groups/GRP1/").content.decode()
    assert _rollup_table(html, "establishment") == [
        ("HMP Ashgrove (EST1)", "67% (4 of 6 weight met)", "100% (1 of 1 weight met)"),
    ]
    chart = _chart(html, "establishment")
    assert re.findall(r'width="(\d+)"', chart) == ["240", "360"]
