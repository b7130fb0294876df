"""The Local Recovery Plan: a line per metric the establishment reports, owners who hold a role
there (or a name typed), stale edits refused."""

from decimal import Decimal

import pytest

from recovery.accounts.factories import UserFactory
from recovery.audit.models import AuditEvent
from recovery.backlogs.actions import do_save_lrp_line
from recovery.backlogs.models import LrpLine, Metric
from recovery.backlogs.queries import lrp_line_of
from recovery.core.constants import Role
from recovery.core.errors import DomainError, StaleEditError

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(person_with_role):
    return person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Edna", last_name="Editor")


def _line(site, code="oasys-outstanding"):
    return lrp_line_of(site, Metric.objects.get(code=code))


def _post(editor, **overrides):
    data = {
        "version": 1,
        "baseline_value": "120",
        "baseline_day": "5",
        "baseline_month": "4",
        "baseline_year": "2021",
        "target_value": "40",
        "target_day": "31",
        "target_month": "3",
        "target_year": "2022",
        "owner": str(editor.pk),
        "owner_name": "",
        "approach": "Two extra POMs on overtime; oldest first.",
    }
    data.update(overrides)
    return data


def test_the_plan_lists_every_metric_the_establishment_reports(client, editor):
    client.force_login(editor)
    page = client.get("/backlogs/EST1/plan/").content.decode()
    assert "OASys assessments outstanding" in page
    assert "Staff overdue MMPR training" not in page  # youth custody only


def test_a_line_is_written_with_an_owner_at_the_establishment(client, editor):
    client.force_login(editor)
    response = client.post("/backlogs/EST1/plan/oasys-outstanding/", _post(editor))
    assert response.status_code == 302
    line = LrpLine.objects.get()
    assert (line.baseline_value, line.target_value, line.owner) == (
        Decimal("120"),
        Decimal("40"),
        editor,
    )
    assert str(line.target_date) == "2022-03-31"
    assert AuditEvent.objects.filter(action="backlogs.update_lrp_line").count() == 1
    page = client.get("/backlogs/EST1/plan/").content.decode()
    assert "Edna Editor" in page and "Two extra POMs" in page


def test_an_owner_without_a_role_at_the_establishment_is_refused(editor, small_estate):
    stranger = UserFactory(first_name="Sam", last_name="Stranger")
    with pytest.raises(DomainError, match="holds a role at HMP Ashgrove"):
        do_save_lrp_line(
            _line(small_estate.establishment_1),
            expected_version=1,
            changes={"owner": stranger.pk},
            acting_user=editor,
        )
    assert not LrpLine.objects.exists()


def test_an_owner_at_another_establishment_is_refused_on_the_page(
    client, editor, person_with_role, small_estate
):
    elsewhere = person_with_role(Role.GOVERNOR, small_estate.establishment_2)
    client.force_login(editor)
    response = client.post(
        "/backlogs/EST1/plan/oasys-outstanding/", _post(editor, owner=str(elsewhere.pk))
    )
    assert response.status_code == 200
    assert "Choose someone who holds a role at this establishment" in response.content.decode()
    assert not LrpLine.objects.exists()


def test_a_free_text_owner_is_accepted(editor, small_estate):
    line = _line(small_estate.establishment_1)
    do_save_lrp_line(
        line, expected_version=1, changes={"owner_name": "Head of OMU"}, acting_user=editor
    )
    assert LrpLine.objects.get().owner_name == "Head of OMU"


def test_an_owner_chosen_and_a_name_typed_is_refused(editor, small_estate):
    with pytest.raises(DomainError, match="not both"):
        do_save_lrp_line(
            _line(small_estate.establishment_1),
            expected_version=1,
            changes={"owner": editor.pk, "owner_name": "Head of OMU"},
            acting_user=editor,
        )


@pytest.mark.parametrize(
    "code, changes, message",
    [
        ("oasys-outstanding", {"target_value": "-1"}, "The figure cannot be negative"),
        ("keywork-delivered", {"baseline_value": "140"}, "A percentage cannot be more than 100"),
    ],
)
def test_bad_baselines_and_targets_are_refused(editor, small_estate, code, changes, message):
    with pytest.raises(DomainError, match=message):
        do_save_lrp_line(
            _line(small_estate.establishment_1, code),
            expected_version=1,
            changes=changes,
            acting_user=editor,
        )


def test_a_stale_edit_of_a_line_is_refused(client, editor, person_with_role, small_estate):
    governor = person_with_role(Role.GOVERNOR, first_name="Gail", last_name="Governor")
    do_save_lrp_line(
        _line(small_estate.establishment_1),
        expected_version=1,
        changes={"approach": "Overtime"},
        acting_user=governor,
    )
    with pytest.raises(StaleEditError):
        do_save_lrp_line(
            _line(small_estate.establishment_1),
            expected_version=1,
            changes={"approach": "Agency staff"},
            acting_user=editor,
        )
    client.force_login(editor)
    response = client.post("/backlogs/EST1/plan/oasys-outstanding/", _post(editor))
    assert response.status_code == 200
    assert "Your changes have not been saved" in response.content.decode()
    assert LrpLine.objects.get().approach == "Overtime"


def test_a_trade_union_rep_reads_the_plan_but_cannot_change_it(client, person_with_role):
    client.force_login(person_with_role(Role.TRADE_UNION_REP))
    assert client.get("/backlogs/EST1/plan/").status_code == 200
    assert client.get("/backlogs/EST1/plan/oasys-outstanding/").status_code == 404
