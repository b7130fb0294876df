"""The production path: static files that `collectstatic` can hash, error pages that cannot fail
in turn, and signed-in pages no cache keeps."""

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from recovery.core.views import server_error
from recovery.urls import urlpatterns as service_urlpatterns

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def _fails(request):
    raise RuntimeError("something below the page broke")


# This module is also a URL configuration: the service's pages plus one that always fails.
urlpatterns = [path("fails/", _fails), *service_urlpatterns]
handler400 = "recovery.core.views.bad_request"
handler403 = "recovery.core.views.forbidden"
handler404 = "recovery.core.views.not_found"
handler500 = "recovery.core.views.server_error"


@pytest.fixture
def collected(tmp_path):
    """The static files as production has them: `collectstatic` with the hashing, compressing
    storage, into a folder of this test's own."""
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES, WHITENOISE_USE_FINDERS=False
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def test_collectstatic_hashes_every_file_the_frontend_refers_to(collected):
    hashed_css = list((collected / "govuk").glob("govuk-frontend.min.*.css"))
    assert len(hashed_css) == 1
    # The stylesheet's source map is shipped and its reference rewritten to the hashed copy.
    css = hashed_css[0].read_text()
    map_name = css.rsplit("sourceMappingURL=", 1)[1].split()[0]
    assert map_name.startswith("govuk-frontend.min.css.") and map_name.endswith(".map")
    assert (collected / "govuk" / map_name).exists()
    assert list((collected / "moj").glob("moj-frontend.min.css.*.map"))


@pytest.mark.django_db
def test_pages_render_with_the_collected_files(collected, client, person_with_role):
    client.force_login(person_with_role("viewer"))

    response = client.get("/people/")

    assert response.status_code == 200
    assert '<link rel="stylesheet" href="/assets/govuk/govuk-frontend.min.' in (
        response.content.decode()
    )
    assert "/assets/govuk/govuk-frontend.min.css" not in response.content.decode()


@pytest.mark.django_db
def test_the_500_page_needs_neither_the_database_nor_the_static_manifest(
    tmp_path, django_assert_num_queries
):
    # An empty STATIC_ROOT: any manifest lookup would fail.
    with (
        override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES),
        django_assert_num_queries(0),
    ):
        response = server_error(RequestFactory().get("/plans/"))

    assert response.status_code == 500
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in body
    assert '<link rel="stylesheet" href="/assets/govuk/govuk-frontend.min.css">' in body
    assert "<title>Sorry, there is a problem with the service – Recover regimes safely" in body


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_failing_page_answers_with_the_service_500_page(tmp_path, person_with_role):
    client = Client(raise_request_exception=False)
    client.force_login(person_with_role("viewer"))

    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        response = client.get("/fails/")

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "something below the page broke" not in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_page_is_the_service_404_page_even_without_a_manifest(
    tmp_path, client, person_with_role
):
    client.force_login(person_with_role("viewer"))

    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in response.content.decode()


@pytest.mark.django_db
def test_a_page_the_role_does_not_allow_is_the_service_403_page(client, person_with_role):
    client.force_login(person_with_role("viewer"))

    response = client.get("/manage/users/")

    assert response.status_code == 403
    assert '<h1 class="govuk-heading-l">You do not have access to this page</h1>' in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_a_form_sent_without_its_security_token_says_what_to_do():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/sign-in/", {"username": "a@example.org", "password": "x"})

    assert response.status_code == 403
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">Your form was not sent</h1>' in body
    assert "Go back, reload the page and try again." in body


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["recovery.example.gov.uk"])
def test_a_request_for_another_host_is_the_service_400_page(client):
    response = client.get("/sign-in/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


@pytest.mark.django_db
def test_signed_in_pages_are_never_stored(client, person_with_role):
    client.force_login(person_with_role("viewer"))

    response = client.get("/people/")

    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_api_answers_to_a_token_are_never_stored(client):
    response = client.get("/api/v1/establishments", HTTP_AUTHORIZATION="Bearer not-a-token")

    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_static_files_stay_cacheable_for_the_signed_in(client, person_with_role):
    client.force_login(person_with_role("viewer"))
    stylesheet = client.get("/assets/govuk/govuk-frontend.min.css")

    assert stylesheet.status_code == 200
    assert "no-store" not in stylesheet.get("Cache-Control", "")
