"""The national jobs run in-process without a broker (as in the tests and `make run` on a fresh
machine): the page shows the result, or why the job failed, and a failed job changed nothing."""

import pytest
from django.urls import reverse

from recovery.core.constants import Role
from recovery.core.jobs import run_job
from recovery.core.models import Job
from recovery.core.scope import COMMAND_LINE
from recovery.probation import jobs
from recovery.probation.caseload_factories import csv_upload, make_case, row
from recovery.probation.caseload_models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(small_estate, person_with_role):
    return person_with_role(Role.PROBATION_CENTRE, small_estate.nation)


def test_the_national_import_runs_in_process_and_the_page_shows_the_result(
    client, small_estate, centre
):
    client.force_login(centre)
    upload = csv_upload([row("X000001", "PDU1"), row("X000002", "PDU2", rosh="Low")])
    response = client.post(reverse("probation:caseload-national-import"), {"file": upload})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("probation:job", args=[job.pk])
    assert job.status == "done"
    assert Case.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Caseload of 2 PDUs loaded: 2 cases (category 1: 1, category 4: 1)." in page
    assert 'http-equiv="refresh"' not in page


def test_a_failed_job_says_why_and_changes_nothing(client, small_estate, centre):
    make_case(small_estate.pdu_1, "X999999")
    client.force_login(centre)
    upload = csv_upload([row("X000001", "PDU1"), row("X000002", "NOPE")])
    response = client.post(reverse("probation:caseload-national-import"), {"file": upload})
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.message == "The file has 1 problem. Nothing has been changed."
    assert list(Case.objects.values_list("reference", flat=True)) == ["X999999"]
    page = client.get(response["Location"]).content.decode()
    assert "The job failed: nothing was changed" in page
    assert "sheet &#x27;Caseload&#x27;, row 3, column &#x27;PDU code&#x27;: There is no PDU" in page


def test_an_unexpected_failure_rolls_back_the_allocation(small_estate, monkeypatch):
    from recovery.probation import caseload_actions
    from recovery.probation.caseload_factories import weekly_capacity

    weekly_capacity(small_estate.office_1, 2)
    make_case(small_estate.pdu_1, "X000001")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(caseload_actions, "record_event", broken)
    job = run_job(jobs.allocate_national, acting_user=COMMAND_LINE, unit=small_estate.nation)
    assert job.status == "failed"
    assert job.message.startswith("An unexpected error stopped the job. Nothing was changed.")
    assert Case.objects.get().contact_mode == "doorstep"
    from recovery.probation.caseload_models import AllocationWave, ReviewTask

    assert not AllocationWave.objects.exists()
    assert not ReviewTask.objects.exists()


def test_a_running_job_page_refreshes_itself(client, small_estate, centre):
    running = Job.objects.create(
        kind=jobs.allocate_national.job_kind,
        status="running",
        progress=40,
        message="Writing",
        unit=small_estate.nation,
        created_by_name="Test",
    )
    client.force_login(centre)
    page = client.get(reverse("probation:job", args=[running.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "40%: Writing" in page


def test_a_job_is_run_once_even_if_delivered_twice(small_estate):
    from recovery.core.jobs import execute

    job = run_job(jobs.allocate_national, acting_user=COMMAND_LINE, unit=small_estate.nation)
    finished = Job.objects.get(pk=job.pk).finished_at
    execute(job.pk)
    assert Job.objects.get(pk=job.pk).finished_at == finished
