"""The footer's "Service status": a page for people, public, saying whether the service and its
database work; /healthz stays JSON for machines."""

from unittest import mock

import pytest

from recovery.core.constants import Role


@pytest.mark.django_db
def test_the_footer_links_the_status_page_for_people(client):
    html = client.get("/sign-in/").content.decode()
    assert '<a class="govuk-footer__link" href="/service-status/">Service status</a>' in html


@pytest.mark.django_db
def test_anyone_can_read_that_the_service_works(client):
    page = client.get("/service-status/")
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert '<h1 class="govuk-heading-l">Service status</h1>' in html
    assert "The service is working" in html
    assert "Database</dt>" in html and ">Working</strong>" in html
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


@pytest.mark.django_db
def test_the_page_says_when_the_database_cannot_be_reached(client):
    with mock.patch("recovery.core.views.connection.cursor", side_effect=OSError("down")):
        page = client.get("/service-status/")
        machine = client.get("/healthz")
    html = page.content.decode()
    assert page.status_code == 503
    assert "The service is not working: it cannot reach its database." in html
    assert ">Not reachable</strong>" in html
    assert machine.json() == {"status": "error", "database": "unreachable"}


def test_a_signed_in_person_sees_the_same_page(client, person_with_role):
    client.force_login(person_with_role(Role.GOVERNOR))
    page = client.get("/service-status/")
    assert page.status_code == 200 and "The service is working" in page.content.decode()
