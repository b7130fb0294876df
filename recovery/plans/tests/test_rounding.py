"""Plan progress on the pages rounds half up: 2 of 12 is 17%, not 16%."""

from recovery.core.constants import Role
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import B, answer, make_edm_version, response_for, start_plan
from recovery.plans.progress import Progress
from recovery.plans.queries import establishment_progress, establishments_in_scope


def test_progress_rounds_half_up():
    assert Progress(2, 12).percent == 17  # 16.67%
    assert Progress(1, 8).percent == 13  # 12.5%
    assert Progress(1, 3).percent == 33
    assert Progress(0, 0).percent is None


def test_two_of_twelve_reads_17_percent(client, small_estate, person_with_role):
    # Twelve weighting-1 mandatory baselines; two met: 2 of 12 weight.
    make_edm_version(905, [B(f"1.{n}", 1) for n in range(1, 13)], title="Kitchens")
    plan = start_plan(small_estate.establishment_1)
    for number in ("1.1", "1.2"):
        answer(response_for(plan, number), status=ResponseStatus.MET)
    governor = person_with_role(Role.GOVERNOR)
    client.force_login(governor)
    html = client.get("/plans/EST1/").content.decode()
    assert "<strong>17%</strong>" in html and "(2 of 12 weight met)" in html
    assert "16%" not in html
    [row] = establishment_progress(establishments_in_scope(governor))
    assert row.summary.mandatory.percent == 17
    index = client.get("/plans/").content.decode()
    assert ">17%</td>" in index
