"""An establishment's stage history: which entry is its current stage (today and on a past
date), what never counts (proposals, dismissed moves, a commencement not yet begun), who may
confirm, dismiss and ratify a move back, and that stages are read from the ladder."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from recovery.core.constants import Role
from recovery.core.errors import DomainError, NotAllowed
from recovery.core.scope import TEST_DATA
from recovery.covid.models import Outbreak
from recovery.frameworks.constants import TagColour
from recovery.frameworks.models import Stage
from recovery.progression import queries
from recovery.progression.actions import (
    do_confirm_stage_move,
    do_dismiss_stage_move,
    do_ratify_stage_change,
    do_record_stage,
)
from recovery.progression.constants import ChangeKind, ChangeStatus
from recovery.progression.models import StageChange
from recovery.progression.stages import (
    propose_emergency_move_in_transaction,
    record_change_in_transaction,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
A_YEAR_AGO = TODAY - datetime.timedelta(days=365)
IN_JUNE = TODAY - datetime.timedelta(days=180)


def stage(number: int) -> Stage:
    return Stage.objects.get(number=number)


def record(establishment, number, when, *, kind=ChangeKind.COMMENCEMENT, status=None):
    with transaction.atomic():
        return record_change_in_transaction(
            establishment,
            stage(number),
            kind=kind,
            reason=f"Moved to stage {number}",
            effective_from=when,
            acting_user=TEST_DATA,
            status=status or ChangeStatus.IN_EFFECT,
        )


def declare_outbreak(establishment, on=None):
    outbreak = Outbreak.objects.create(
        establishment=establishment, declared_on=on or TODAY, declared_by_name="Test"
    )
    with transaction.atomic():
        return propose_emergency_move_in_transaction(
            establishment, outbreak=outbreak, acting_user=TEST_DATA
        )


@pytest.fixture
def site(small_estate):
    """establishment_1: at stage 5 a year ago, stage 4 since June."""
    establishment = small_estate.establishment_1
    do_record_stage(
        establishment, stage(5), reason="Lockdown", effective_from=A_YEAR_AGO, acting_user=TEST_DATA
    )
    record(establishment, 4, IN_JUNE)
    return establishment


# --- Which entry is the current stage -----------------------------------------------------------


def test_the_current_stage_is_the_latest_effective_change(site):
    assert queries.current_stage(site).number == 4


def test_as_at_a_past_date_the_stage_then_is_given(site):
    assert queries.current_stage(site, on=IN_JUNE - datetime.timedelta(days=1)).number == 5
    assert queries.current_stage(site, on=IN_JUNE).number == 4
    assert queries.current_stage(site, on=A_YEAR_AGO - datetime.timedelta(days=1)) is None


def test_a_commencement_dated_later_is_not_yet_current(site):
    record(site, 3, TODAY + datetime.timedelta(days=7))

    assert queries.current_stage(site).number == 4
    assert queries.current_stage(site, on=TODAY + datetime.timedelta(days=7)).number == 3


def test_a_proposal_and_a_dismissed_move_never_count(site, person_with_role):
    proposal = declare_outbreak(site)
    assert proposal.stage.number == 5
    assert queries.current_stage(site).number == 4

    do_dismiss_stage_move(proposal, reason="One case, isolated", acting_user=TEST_DATA)

    assert queries.current_stage(site).number == 4
    assert StageChange.objects.get(pk=proposal.pk).status == ChangeStatus.DISMISSED


def test_current_changes_gives_each_establishment_its_latest(site, small_estate):
    record(small_estate.establishment_2, 2, IN_JUNE)

    current = queries.current_changes()

    assert {pk: c.stage.number for pk, c in current.items()} == {
        site.pk: 4,
        small_estate.establishment_2.pk: 2,
    }


def test_an_establishment_with_no_history_has_no_stage(small_estate):
    assert queries.current_stage(small_estate.establishment_2) is None
    assert declare_outbreak(small_estate.establishment_2) is None


# --- Confirming, dismissing and ratifying -----------------------------------------------------


def test_an_outbreak_proposes_a_move_back_and_tells_the_pgd(site, person_with_role):
    pgd = person_with_role(Role.PGD, email="pgd@example.org")

    with TestCaseCommit():
        proposal = declare_outbreak(site)

    assert (proposal.kind, proposal.status) == (ChangeKind.EMERGENCY, ChangeStatus.PROPOSED)
    assert [m.to for m in mail.outbox] == [[pgd.email]]
    assert "stage 5" in mail.outbox[0].subject


def test_the_pgd_confirms_a_proposed_move_and_it_takes_effect_today(site, person_with_role):
    pgd = person_with_role(Role.PGD)
    proposal = declare_outbreak(site, on=TODAY - datetime.timedelta(days=2))

    confirmed = do_confirm_stage_move(proposal, note="Cases on two wings", acting_user=pgd)

    assert confirmed.status == ChangeStatus.TO_BE_RATIFIED
    assert confirmed.effective_from == TODAY
    assert confirmed.confirmed_by == pgd
    assert queries.current_stage(site).number == 5


def test_the_central_panel_may_confirm_too(site, person_with_role):
    panel = person_with_role(Role.CENTRAL_PANEL)
    confirmed = do_confirm_stage_move(declare_outbreak(site), note="", acting_user=panel)
    assert confirmed.status == ChangeStatus.TO_BE_RATIFIED


@pytest.mark.parametrize(
    "role", [Role.GOVERNOR, Role.ESTABLISHMENT_EDITOR, Role.TRADE_UNION_REP, Role.VIEWER]
)
def test_others_may_not_confirm_or_dismiss(site, person_with_role, role):
    person = person_with_role(role)
    proposal = declare_outbreak(site)

    with pytest.raises(NotAllowed):
        do_confirm_stage_move(proposal, note="", acting_user=person)
    with pytest.raises(NotAllowed):
        do_dismiss_stage_move(proposal, reason="Not needed", acting_user=person)

    assert StageChange.objects.get(pk=proposal.pk).status == ChangeStatus.PROPOSED


def test_a_pgd_of_another_group_may_not_confirm(site, person_with_role, small_estate):
    elsewhere = person_with_role(Role.PGD, small_estate.group_2)
    proposal = declare_outbreak(site)

    with pytest.raises(NotAllowed):
        do_confirm_stage_move(proposal, note="", acting_user=elsewhere)
    assert StageChange.objects.get(pk=proposal.pk).status == ChangeStatus.PROPOSED


def test_dismissing_needs_a_reason(site, person_with_role):
    proposal = declare_outbreak(site)
    with pytest.raises(DomainError, match="Say why"):
        do_dismiss_stage_move(proposal, reason="  ", acting_user=person_with_role(Role.PGD))
    assert StageChange.objects.get(pk=proposal.pk).status == ChangeStatus.PROPOSED


def test_only_the_central_panel_ratifies(site, person_with_role):
    pgd = person_with_role(Role.PGD)
    panel = person_with_role(Role.CENTRAL_PANEL)
    confirmed = do_confirm_stage_move(declare_outbreak(site), note="", acting_user=pgd)

    with pytest.raises(NotAllowed):
        do_ratify_stage_change(confirmed, note="", acting_user=pgd)
    ratified = do_ratify_stage_change(confirmed, note="Agreed", acting_user=panel)

    assert ratified.status == ChangeStatus.IN_EFFECT
    assert (ratified.ratified_by, ratified.ratification_note) == (panel, "Agreed")
    assert queries.current_stage(site).number == 5


def test_a_proposal_cannot_be_ratified_before_it_is_confirmed(site, person_with_role):
    proposal = declare_outbreak(site)
    with pytest.raises(DomainError, match="can be ratified only when it is in effect, to be"):
        do_ratify_stage_change(proposal, note="", acting_user=person_with_role(Role.CENTRAL_PANEL))
    assert StageChange.objects.get(pk=proposal.pk).status == ChangeStatus.PROPOSED


def test_a_dismissed_proposal_cannot_be_confirmed(site, person_with_role):
    pgd = person_with_role(Role.PGD)
    dismissed = do_dismiss_stage_move(declare_outbreak(site), reason="Isolated", acting_user=pgd)
    with pytest.raises(DomainError, match="can be confirmed only when it is proposed"):
        do_confirm_stage_move(dismissed, note="", acting_user=pgd)
    assert queries.current_stage(site).number == 4


def test_only_the_central_panel_records_a_stage(small_estate, person_with_role):
    governor = person_with_role(Role.GOVERNOR)
    with pytest.raises(NotAllowed):
        do_record_stage(
            small_estate.establishment_1,
            stage(4),
            reason="Mine",
            effective_from=TODAY,
            acting_user=governor,
        )
    assert not StageChange.objects.exists()


def test_nobody_is_refused(site):
    with pytest.raises(NotAllowed):
        do_confirm_stage_move(declare_outbreak(site), note="", acting_user=None)


# --- The ladder --------------------------------------------------------------------------------


def test_a_renamed_stage_is_followed(site):
    Stage.objects.filter(number=4).update(name="Restrict", colour=TagColour.ORANGE)
    current = queries.current_stage(site)
    assert (current.name, current.colour) == ("Restrict", TagColour.ORANGE)


def test_a_tighter_stage_added_to_the_ladder_becomes_lockdown(site):
    Stage.objects.create(number=6, name="Full closure", meaning="Nothing runs.")
    record(site, 5, TODAY - datetime.timedelta(days=1))

    assert queries.lockdown_stage().number == 6
    assert declare_outbreak(site).stage.number == 6


def test_at_the_lockdown_stage_an_outbreak_proposes_nothing(site):
    record(site, 5, TODAY - datetime.timedelta(days=1))
    assert declare_outbreak(site) is None


def test_a_renumbered_ladder_is_followed(site):
    """The ladder renumbered (stage 4 becomes 40, the lockdown stage 5 becomes 50): the move
    back from 40 is to 50, read from the data."""
    Stage.objects.filter(number=5).update(number=50)
    Stage.objects.filter(number=4).update(number=40)

    assert queries.current_stage(site).number == 40
    assert declare_outbreak(site).stage.number == 50


class TestCaseCommit:
    """Run on-commit callbacks (the e-mails) at the end of the block, as a real commit would."""

    def __enter__(self):
        from django.test import TestCase

        self._context = TestCase.captureOnCommitCallbacks(execute=True)
        return self._context.__enter__()

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)
