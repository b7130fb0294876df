"""Progress reviews after commencement: the Governor reports, the PGD forwards with a view,
the national panel decides; a regress moves the establishment back a stage at once, to be
ratified."""

import datetime

import pytest
from django.utils import timezone

from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed
from recovery.core.scope import TEST_DATA
from recovery.frameworks.models import Stage
from recovery.progression import queries
from recovery.progression.actions import (
    do_decide_progress,
    do_forward_progress,
    do_record_stage,
    do_report_progress,
)
from recovery.progression.constants import ChangeKind, ChangeStatus, ReviewStatus
from recovery.progression.models import ProgressReview, StageChange

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def at_stage(establishment, number):
    do_record_stage(
        establishment,
        Stage.objects.get(number=number),
        reason="Commenced",
        effective_from=TODAY - datetime.timedelta(days=60),
        acting_user=TEST_DATA,
    )
    return establishment


@pytest.fixture
def people(person_with_role):
    return {
        "governor": person_with_role(Role.GOVERNOR),
        "pgd": person_with_role(Role.PGD),
        "panel": person_with_role(Role.CENTRAL_PANEL),
    }


def forwarded(establishment, people):
    review = do_report_progress(
        establishment, report="Visits running", acting_user=people["governor"]
    )
    return do_forward_progress(
        review, pgd_view="Steady progress", expected_version=1, acting_user=people["pgd"]
    )


def test_the_route_report_forward_decide(small_estate, people):
    site = at_stage(small_estate.establishment_1, 3)

    review = do_report_progress(site, report="Visits running", acting_user=people["governor"])
    assert (review.status, review.stage.number) == (ReviewStatus.REPORTED, 3)
    review = do_forward_progress(
        review, pgd_view="Agree", expected_version=review.version, acting_user=people["pgd"]
    )
    assert review.status == ReviewStatus.FORWARDED
    review = do_decide_progress(
        review,
        outcome="progress",
        reasons="On track",
        expected_version=review.version,
        acting_user=people["panel"],
    )

    assert (review.status, review.outcome, review.decided_by) == (
        ReviewStatus.DECIDED,
        "progress",
        people["panel"],
    )
    assert queries.current_stage(site).number == 3


def test_no_report_before_commencement(small_estate, people):
    with pytest.raises(DomainError, match="no stage recorded yet"):
        do_report_progress(
            small_estate.establishment_1, report="Going well", acting_user=people["governor"]
        )
    assert not ProgressReview.objects.exists()


def test_each_step_only_by_its_role(small_estate, people):
    site = at_stage(small_estate.establishment_1, 3)
    with pytest.raises(NotAllowed):
        do_report_progress(site, report="Visits running", acting_user=people["pgd"])
    review = do_report_progress(site, report="Visits running", acting_user=people["governor"])
    with pytest.raises(NotAllowed):
        do_forward_progress(
            review, pgd_view="Fine", expected_version=1, acting_user=people["governor"]
        )
    review = do_forward_progress(
        review, pgd_view="Fine", expected_version=1, acting_user=people["pgd"]
    )
    with pytest.raises(NotAllowed):
        do_decide_progress(
            review, outcome="remain", reasons="x", expected_version=2, acting_user=people["pgd"]
        )
    assert ProgressReview.objects.get(pk=review.pk).status == ReviewStatus.FORWARDED


def test_a_pgd_elsewhere_cannot_forward(small_estate, people, person_with_role):
    site = at_stage(small_estate.establishment_1, 3)
    review = do_report_progress(site, report="Visits running", acting_user=people["governor"])
    with pytest.raises(NotAllowed):
        do_forward_progress(
            review,
            pgd_view="Fine",
            expected_version=1,
            acting_user=person_with_role(Role.PGD, small_estate.group_2),
        )


def test_a_decision_needs_reasons_and_a_forwarded_report(small_estate, people):
    site = at_stage(small_estate.establishment_1, 3)
    review = do_report_progress(site, report="Visits running", acting_user=people["governor"])
    with pytest.raises(DomainError, match="decided only when it is forwarded"):
        do_decide_progress(
            review, outcome="remain", reasons="x", expected_version=1, acting_user=people["panel"]
        )
    review = do_forward_progress(
        review, pgd_view="Fine", expected_version=1, acting_user=people["pgd"]
    )
    with pytest.raises(DomainError, match="reasons"):
        do_decide_progress(
            review, outcome="remain", reasons=" ", expected_version=2, acting_user=people["panel"]
        )
    assert ProgressReview.objects.get(pk=review.pk).status == ReviewStatus.FORWARDED


def test_a_stale_decision_is_refused(small_estate, people):
    review = forwarded(at_stage(small_estate.establishment_1, 3), people)
    with pytest.raises(DomainError, match="Someone else changed"):
        do_decide_progress(
            review, outcome="slow", reasons="Slow", expected_version=1, acting_user=people["panel"]
        )


def test_regress_moves_back_a_stage_at_once_to_be_ratified(small_estate, people):
    site = at_stage(small_estate.establishment_1, 3)
    review = forwarded(site, people)

    do_decide_progress(
        review,
        outcome="regress",
        reasons="Staffing fell below safe levels",
        expected_version=2,
        acting_user=people["panel"],
    )

    change = StageChange.objects.get(review=review)
    assert (change.stage.number, change.previous_stage.number) == (4, 3)
    assert (change.kind, change.status) == (ChangeKind.REGRESSION, ChangeStatus.TO_BE_RATIFIED)
    assert change.effective_from == TODAY
    assert queries.current_stage(site).number == 4


def test_no_regress_from_lockdown(small_estate, people):
    site = at_stage(small_estate.establishment_1, 5)
    review = forwarded(site, people)
    with pytest.raises(DomainError, match="lockdown stage"):
        do_decide_progress(
            review, outcome="regress", reasons="x", expected_version=2, acting_user=people["panel"]
        )
    assert ProgressReview.objects.get(pk=review.pk).status == ReviewStatus.FORWARDED
    assert StageChange.objects.count() == 1


def test_each_step_tells_the_next_people(
    small_estate, person_with_role, django_capture_on_commit_callbacks
):
    from django.core import mail

    governor = person_with_role(Role.GOVERNOR, email="gov@example.org")
    pgd = person_with_role(Role.PGD, email="pgd@example.org")
    panel = person_with_role(Role.CENTRAL_PANEL, email="panel@example.org")
    site = at_stage(small_estate.establishment_1, 3)

    with django_capture_on_commit_callbacks(execute=True):
        review = do_report_progress(site, report="Visits running", acting_user=governor)
    assert [m.to for m in mail.outbox] == [[pgd.email]]
    with django_capture_on_commit_callbacks(execute=True):
        review = do_forward_progress(review, pgd_view="Fine", expected_version=1, acting_user=pgd)
    assert [m.to for m in mail.outbox[1:]] == [[panel.email]]
    with django_capture_on_commit_callbacks(execute=True):
        do_decide_progress(
            review, outcome="slow", reasons="Behind", expected_version=2, acting_user=panel
        )
    assert sorted(m.to[0] for m in mail.outbox[2:]) == [governor.email, pgd.email]
    assert "slow" in mail.outbox[2].subject
