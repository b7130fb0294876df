"""The release pages (latest, any past one, exports, suppression), the Atom feed and who may
read it (signed in, or through a feed link), and the webhook against a real HTTP server."""

import datetime
import io
import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.etree import ElementTree

import pytest
from django.test import TestCase, override_settings
from django.utils import timezone
from openpyxl import load_workbook

from recovery.accounts.models import User
from recovery.backlogs import factories
from recovery.backlogs.constants import MetricUnit
from recovery.backlogs.datacalls import do_create_data_call
from recovery.backlogs.feeds import do_create_feed_token, do_revoke_feed_token
from recovery.backlogs.models import Metric, Release, ReturnSettings, ReturnValue
from recovery.backlogs.releases import do_publish_release
from recovery.core.constants import Role
from recovery.core.scope import COMMAND_LINE

pytestmark = pytest.mark.django_db

W1 = datetime.date(2026, 10, 5)
W2 = datetime.date(2026, 10, 12)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published(small_estate):
    """Release 1 of W1: parole reports 30 at EST1 (group 1), 3 at EST2 (group 2); the seeded
    catalogue retired, so the release holds that one metric."""
    Metric.objects.update(active=False)
    metric = factories.metric(name="Parole reports outstanding", unit=MetricUnit.CASES)
    factories.series(small_estate.establishment_1, metric, {W1: 30, W2: 28})
    factories.series(small_estate.establishment_2, metric, {W1: 3, W2: 4})
    ReturnSettings.objects.create(suppression_threshold=5)
    return do_publish_release(W1, acting_user=COMMAND_LINE), metric


def _cells(body: str) -> str:
    return " ".join(body.split())


# --- Release pages -------------------------------------------------------------------------


def test_the_centre_reads_every_group_with_small_numbers_suppressed(
    client, published, person_with_role
):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))

    body = _cells(client.get("/backlogs/releases/1/").content.decode())

    assert "Northern Fells group" in body and "Southern Downs group" in body
    assert ">33<" in body  # the nation
    assert ">30<" in body  # group 1
    assert "fewer than 5" in body  # group 2's 3
    assert ">3<" not in body
    assert "Counts of people or cases from 1 to 4 are shown as “fewer than 5”" in body


def test_a_pgd_reads_the_nation_and_their_own_group_only(client, published, person_with_role):
    client.force_login(person_with_role(Role.PGD))

    body = client.get("/backlogs/releases/1/").content.decode()

    assert "Northern Fells group" in body
    assert "Southern Downs group" not in body


def test_latest_shows_the_newest_release_and_a_past_one_says_it_is_not(
    client, published, person_with_role
):
    do_publish_release(W2, acting_user=COMMAND_LINE)
    client.force_login(person_with_role(Role.CENTRAL_PANEL))

    latest = client.get("/backlogs/releases/latest/").content.decode()
    first = client.get("/backlogs/releases/1/").content.decode()

    assert "Release 2, published on" in latest
    assert "12 October 2026" in latest
    assert "Release 1, published on" in first
    assert "This is not the latest release" in first


def test_a_correction_shows_as_revised_in_the_next_release_and_not_in_the_first(
    client, published, small_estate, person_with_role
):
    release, metric = published
    old = ReturnValue.objects.get(establishment=small_estate.establishment_1, period_start=W1)
    ReturnValue.objects.filter(pk=old.pk).update(current=False)
    ReturnValue.objects.create(
        return_record=old.return_record,
        establishment=old.establishment,
        metric=metric,
        period_start=W1,
        value=Decimal(36),
        revision=2,
        entered_at=timezone.now(),
    )
    do_publish_release(W2, acting_user=COMMAND_LINE)
    client.force_login(person_with_role(Role.CENTRAL_PANEL))

    second = _cells(client.get("/backlogs/releases/2/").content.decode())
    first = _cells(client.get("/backlogs/releases/1/").content.decode())

    assert "Revised figures of earlier periods" in second
    assert '>39 <strong class="govuk-tag govuk-tag--yellow">Revised</strong>' in second
    assert ">33<" in second  # published before
    assert "Revised figures of earlier periods" not in first
    assert ">33<" in first and ">39<" not in first


def test_the_release_exports_to_xlsx_and_csv_suppressed_as_on_the_page(
    client, published, person_with_role
):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))

    workbook = load_workbook(io.BytesIO(client.get("/backlogs/releases/1/?format=xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    csv = client.get("/backlogs/releases/1/?format=csv").content.decode("utf-8-sig")

    by_unit = {row[3]: row[8] for row in rows[1:]}
    assert by_unit == {
        "England and Wales": 33,
        "Northern Fells group": 30,
        "Southern Downs group": "fewer than 5",
    }
    assert "Southern Downs group,Offender management and sentence progression," in csv
    assert ",fewer than 5,1,1\r\n" in csv


def test_no_release_yet(client, small_estate, person_with_role):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    assert (
        "No release has been published yet"
        in client.get("/backlogs/releases/latest/").content.decode()
    )


def test_an_unknown_release_is_not_found(client, published, person_with_role):
    client.force_login(person_with_role(Role.CENTRAL_PANEL))
    assert client.get("/backlogs/releases/99/").status_code == 404


# --- The feed ------------------------------------------------------------------------------


def _entries(response) -> list[str]:
    tree = ElementTree.fromstring(response.content)
    return [e.find(f"{ATOM}title").text for e in tree.findall(f"{ATOM}entry")]


@pytest.fixture
def data_call(small_estate, published, person_with_role):
    return do_create_data_call(
        title="Parole backlog check",
        period_start=W1,
        deadline=timezone.now() + datetime.timedelta(days=5),
        metrics=[published[1]],
        establishments=[small_estate.establishment_1],
        acting_user=person_with_role(Role.CENTRAL_PANEL),
    )


def test_the_centre_reads_releases_and_data_calls_in_the_feed(client, data_call, person_with_role):
    client.force_login(person_with_role(Role.VIEWER))

    response = client.get("/backlogs/feed.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert _entries(response) == [
        "Data call: Parole backlog check",
        "Release 1: backlog figures for the period from 5 October 2026",
    ]


def test_a_pgd_reads_releases_but_not_data_calls(client, data_call, person_with_role):
    client.force_login(person_with_role(Role.PGD))

    assert _entries(client.get("/backlogs/feed.atom")) == [
        "Release 1: backlog figures for the period from 5 October 2026"
    ]


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.ESTABLISHMENT_EDITOR, Role.PDU_HEAD])
def test_someone_without_group_or_national_read_is_refused(
    client, published, person_with_role, role
):
    client.force_login(person_with_role(role))
    assert client.get("/backlogs/feed.atom").status_code == 403


def test_a_feed_link_reads_the_feed_without_signing_in(client, data_call, person_with_role):
    person = person_with_role(Role.CENTRAL_PANEL)
    _, secret = do_create_feed_token(acting_user=person)

    response = client.get(f"/backlogs/feed.atom?token={secret}")

    assert response.status_code == 200
    assert len(_entries(response)) == 2
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_without_a_link_a_signed_out_reader_is_sent_to_sign_in(client, published):
    response = client.get("/backlogs/feed.atom")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("how", ["unknown", "revoked", "replaced", "deactivated", "role gone"])
def test_an_unusable_feed_link_is_refused(client, published, person_with_role, how):
    person = person_with_role(Role.PGD)
    _, secret = do_create_feed_token(acting_user=person)
    if how == "unknown":
        secret = secret[:-4] + "abcd"
    elif how == "revoked":
        do_revoke_feed_token(acting_user=person)
    elif how == "replaced":
        do_create_feed_token(acting_user=person)
    elif how == "deactivated":
        User.objects.filter(pk=person.pk).update(is_active=False)
    elif how == "role gone":
        person.role_assignments.all().delete()

    assert client.get(f"/backlogs/feed.atom?token={secret}").status_code == 404


def test_a_feed_link_is_shown_once_and_only_its_hash_kept(client, published, person_with_role):
    person = person_with_role(Role.PGD)
    client.force_login(person)

    made = client.post("/backlogs/feeds/", {"action": "create"}).content.decode()
    again = client.get("/backlogs/feeds/").content.decode()

    link = person.feed_tokens.get()
    secret = made.split("?token=")[1].split("<")[0]
    assert secret.startswith("feed_") and link.key_hash != secret
    assert secret not in again
    assert f"It starts <code>{link.prefix}</code>".lower() in again.lower()


# --- The webhook ---------------------------------------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    received: list = []
    status = 204
    delay = 0

    def do_POST(self):  # noqa: N802 - the name http.server calls
        time.sleep(type(self).delay)
        length = int(self.headers["Content-Length"])
        type(self).received.append(
            (self.headers["Content-Type"], json.loads(self.rfile.read(length)))
        )
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    handler = type("Receiver", (_Receiver,), {"received": [], "status": 204, "delay": 0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()
    server.server_close()


def _figures(small_estate):
    metric = factories.metric(unit=MetricUnit.CASES)
    factories.series(small_estate.establishment_1, metric, {W1: 30})


def test_the_webhook_is_told_of_a_release_after_commit(small_estate, receiver):
    handler, url = receiver
    _figures(small_estate)

    with override_settings(RELEASE_WEBHOOK_URL=url):
        with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
            do_publish_release(W1, acting_user=COMMAND_LINE)
        assert handler.received == []  # nothing before the commit
        for callback in callbacks:
            callback()

    assert len(handler.received) == 1
    content_type, body = handler.received[0]
    assert content_type == "application/json"
    assert body["event"] == "release.published"
    assert body["number"] == 1
    assert body["period_start"] == "2026-10-05"
    assert body["url"].endswith("/backlogs/releases/1/")


def test_a_failing_webhook_is_logged_and_the_release_stands(small_estate, receiver, caplog):
    handler, url = receiver
    handler.status = 500
    _figures(small_estate)

    with (
        override_settings(RELEASE_WEBHOOK_URL=url),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        release = do_publish_release(W1, acting_user=COMMAND_LINE)

    assert len(handler.received) == 1  # it was told, and answered 500
    assert Release.objects.get().number == release.number == 1
    assert "release webhook" in caplog.text


def test_a_slow_webhook_is_given_up_on_and_the_release_stands(small_estate, receiver, caplog):
    handler, url = receiver
    handler.delay = 2
    _figures(small_estate)

    with (
        override_settings(RELEASE_WEBHOOK_URL=url, RELEASE_WEBHOOK_TIMEOUT_SECONDS=0.2),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        do_publish_release(W1, acting_user=COMMAND_LINE)

    assert Release.objects.count() == 1
    assert "timed out" in caplog.text


def test_an_unreachable_webhook_is_logged_and_the_release_stands(small_estate, caplog):
    _figures(small_estate)

    # A port nobody listens on: connection refused at once.
    with (
        override_settings(RELEASE_WEBHOOK_URL="http://127.0.0.1:9/hook"),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        do_publish_release(W1, acting_user=COMMAND_LINE)

    assert Release.objects.count() == 1
    assert "release webhook http://127.0.0.1:9/hook failed" in caplog.text


def test_the_webhook_is_told_of_a_data_call(small_estate, receiver, person_with_role):
    handler, url = receiver
    metric = factories.metric(unit=MetricUnit.CASES)

    with (
        override_settings(RELEASE_WEBHOOK_URL=url),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        do_create_data_call(
            title="Parole backlog check",
            period_start=W1,
            deadline=timezone.now() + datetime.timedelta(days=5),
            metrics=[metric],
            establishments=[small_estate.establishment_1],
            acting_user=person_with_role(Role.CENTRAL_PANEL),
        )

    assert [body["event"] for _, body in handler.received] == ["data_call.sent"]
    assert handler.received[0][1]["title"] == "Parole backlog check"
