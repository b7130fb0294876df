"""Two publishers at once (two machines running publish_due_releases, or cron overlapping
itself): each period is released once, and numbers stay one after another; two reminder rounds
at once remind each establishment once. Needs PostgreSQL (row locks)."""

import contextlib
import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from recovery.backlogs import factories
from recovery.backlogs.datacalls import do_create_data_call, do_remind_data_call
from recovery.backlogs.models import DataCallReminder, Release
from recovery.backlogs.releases import do_publish_release
from recovery.core.constants import Role
from recovery.core.errors import DomainError
from recovery.core.scope import COMMAND_LINE

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]

W1 = datetime.date(2026, 10, 5)
W2 = datetime.date(2026, 10, 12)


@pytest.fixture(autouse=True)
def _audit_emptied_before_flush(transactional_db):
    yield
    from recovery.audit.models import AuditEvent
    from recovery.core.append_only import empty_for_tests

    empty_for_tests(AuditEvent)


def _at_once(work, arguments) -> list[str]:
    start = threading.Barrier(len(arguments))
    outcomes: list[str] = []

    def run(argument):
        start.wait()
        try:
            work(argument)
            outcomes.append("done")
        except DomainError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_publishers_of_the_same_periods_release_each_once(small_estate):
    metric = factories.metric()
    factories.series(small_estate.establishment_1, metric, {W1: 4, W2: 5})

    def publish_both(_):
        for period in (W1, W2):
            with contextlib.suppress(DomainError):
                do_publish_release(period, acting_user=COMMAND_LINE)

    outcomes = _at_once(publish_both, [1, 2, 3])

    assert outcomes == ["done"] * 3
    assert list(Release.objects.order_by("number").values_list("number", "period_start")) == [
        (1, W1),
        (2, W2),
    ]


def test_two_reminder_rounds_at_once_remind_each_establishment_once(small_estate, person_with_role):
    centre = person_with_role(Role.CENTRAL_PANEL)
    call = do_create_data_call(
        title="Weekly return",
        period_start=W1,
        deadline=timezone.now() + datetime.timedelta(days=3),
        metrics=[factories.metric()],
        establishments=[small_estate.establishment_1, small_estate.establishment_2],
        acting_user=centre,
    )

    _at_once(lambda _: do_remind_data_call(call, acting_user=centre), [1, 2])

    assert DataCallReminder.objects.count() == 2
