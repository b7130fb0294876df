"""The seeded catalogue and the centre's pages that keep it."""

import pytest

from recovery.audit.models import AuditEvent
from recovery.backlogs.actions import do_retire_metric, do_save_metric
from recovery.backlogs.constants import BacklogArea
from recovery.backlogs.models import Metric, ReturnSettings
from recovery.core.constants import Role
from recovery.core.errors import StaleEditError

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_seeded_under_all_13_areas_of_the_guide():
    areas = set(Metric.objects.values_list("area", flat=True))
    assert areas == set(BacklogArea.values)
    assert len(BacklogArea.values) == 13


@pytest.mark.parametrize(
    "code",
    [
        "leave-carried-over-per-person",
        "toil-hours",
        "poelts-awaiting-mentoring",
        "overdue-cr",
        "overdue-mmpr",
        "overdue-pava",
        "overdue-acct",
        "overdue-negotiator",
        "overdue-first-aid",
        "oasys-outstanding",
        "parole-reports-outstanding",
        "categorisation-overdue",
        "hdc-outstanding",
        "obp-waiting-list",
        "obp-referrals",
        "medical-appointments-outstanding",
        "dental-waiting-list",
        "learners-missed-accreditation",
        "staff-in-post",
    ],
)
def test_every_metric_the_issue_names_is_seeded(code):
    assert Metric.objects.filter(code=code, active=True).exists()


def test_leave_per_person_is_a_mean_weighted_by_staff_in_post():
    leave = Metric.objects.get(code="leave-carried-over-per-person")
    assert leave.aggregation == "weighted_mean"
    assert leave.weight_metric.code == "staff-in-post"
    assert leave.unit == "days"


def test_youth_custody_reports_mmpr_and_adult_prisons_report_c_and_r():
    mmpr = Metric.objects.get(code="overdue-mmpr")
    cr = Metric.objects.get(code="overdue-cr")
    assert mmpr.reported_by("stc") and not mmpr.reported_by("cat_c")
    assert cr.reported_by("cat_c") and not cr.reported_by("stc")


def test_one_return_settings_row_is_seeded_with_weekly_periods():
    assert ReturnSettings.objects.count() == 1
    assert ReturnSettings.current().period_days == 7


def _metric_post(**overrides):
    data = {
        "version": 1,
        "code": "segregation-reviews-overdue",
        "name": "Segregation reviews overdue",
        "description": "",
        "area": "high_risk_thematic",
        "unit": "cases",
        "direction": "lower",
        "aggregation": "sum",
        "weight_metric": "",
        "national_target": "",
        "amber_weeks": 4,
        "amber_percent": 10,
        "standard": "on",
    }
    data.update(overrides)
    return data


def test_the_centre_adds_a_metric(client, person_with_role):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    response = client.post("/backlogs/catalogue/new/", _metric_post(establishment_types=["stc"]))
    assert response.status_code == 302
    metric = Metric.objects.get(code="segregation-reviews-overdue")
    assert metric.establishment_types == ["stc"]
    assert AuditEvent.objects.filter(action="backlogs.add_metric").count() == 1
    page = client.get("/backlogs/catalogue/").content.decode()
    assert "Segregation reviews overdue" in page


def test_a_metric_code_already_used_is_refused(client, person_with_role):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    response = client.post("/backlogs/catalogue/new/", _metric_post(code="toil-hours"))
    assert response.status_code == 200
    assert "Another metric already has the code toil-hours" in response.content.decode()


def test_a_stale_edit_of_a_metric_is_refused_and_keeps_the_other_change(person_with_role):
    author = person_with_role(Role.FRAMEWORK_AUTHOR)
    metric = Metric.objects.get(code="toil-hours")
    do_save_metric(metric, expected_version=1, changes={"name": "TOIL owed"}, acting_user=author)
    with pytest.raises(StaleEditError):
        do_save_metric(
            Metric.objects.get(pk=metric.pk),
            expected_version=1,
            changes={"name": "TOIL hours"},
            acting_user=author,
        )
    assert Metric.objects.get(pk=metric.pk).name == "TOIL owed"


def test_a_stale_edit_page_shows_what_changed(client, person_with_role):
    author = person_with_role(Role.FRAMEWORK_AUTHOR)
    metric = Metric.objects.get(code="toil-hours")
    do_save_metric(metric, expected_version=1, changes={"name": "TOIL owed"}, acting_user=author)
    client.force_login(author)
    response = client.post(
        "/backlogs/catalogue/toil-hours/",
        _metric_post(code="toil-hours", name="TOIL hours again", area="annual_leave", unit="hours"),
    )
    assert response.status_code == 200
    assert "Your changes have not been saved" in response.content.decode()
    assert Metric.objects.get(pk=metric.pk).name == "TOIL owed"


def test_retiring_a_metric_stops_it_being_asked_for(client, person_with_role, small_estate):
    from recovery.backlogs.queries import metrics_reported_by

    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    response = client.post("/backlogs/catalogue/toil-hours/retire/", {"version": 1})
    assert response.status_code == 302
    assert not Metric.objects.get(code="toil-hours").active
    codes = {m.code for m in metrics_reported_by(small_estate.establishment_1)}
    assert "toil-hours" not in codes and "overdue-cr" in codes


def test_retiring_with_an_old_version_is_refused(person_with_role):
    panel = person_with_role(Role.CENTRAL_PANEL)
    metric = Metric.objects.get(code="toil-hours")
    do_save_metric(metric, expected_version=1, changes={"name": "TOIL owed"}, acting_user=panel)
    with pytest.raises(StaleEditError):
        do_retire_metric(Metric.objects.get(pk=metric.pk), expected_version=1, acting_user=panel)


def test_the_settings_page_changes_the_deadline(client, person_with_role):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    row = ReturnSettings.current()
    response = client.post(
        "/backlogs/settings/",
        {
            "version": row.version,
            "period_days": 7,
            "deadline_days": 5,
            "release_delay_hours": 24,
            "trend_window": 8,
            "suppression_threshold": 5,
        },
    )
    assert response.status_code == 302
    assert ReturnSettings.current().deadline_days == 5


def test_an_establishment_editor_cannot_open_the_catalogue(client, person_with_role):
    client.force_login(person_with_role(Role.ESTABLISHMENT_EDITOR))
    assert client.get("/backlogs/catalogue/").status_code == 403
