"""The public pages are kept in Django's cache and forgotten as soon as what they show changes:
a stage change, the prison's note, the ladder's words. Run once against this process's memory
and once against Redis (the production path; skipped when no Redis answers)."""

import datetime
import os

import pytest
from django.core.cache import cache
from django.test import override_settings

from recovery.core.constants import Role
from recovery.frameworks.actions import do_update_stage
from recovery.frameworks.models import Stage
from recovery.public.actions import do_publish_note, note_of

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/13")


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001 - any failure: no Redis to test against
        return False


TAG = ">{}</strong>"  # a stage as the list shows it in a row (not in the stage filter)
MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_TEST_URL,
    }
}


@pytest.fixture(
    params=[
        pytest.param(MEMORY, id="memory"),
        pytest.param(
            REDIS,
            id="redis",
            marks=pytest.mark.skipif(
                not _redis_answers(), reason=f"no Redis answers at {REDIS_TEST_URL}"
            ),
        ),
    ]
)
def each_cache(request):
    with override_settings(CACHES=request.param):
        cache.clear()
        yield request.param["default"]["BACKEND"]
        cache.clear()


def _page(client, establishment) -> str:
    return client.get(f"/status/{establishment.code}/").content.decode()


def test_the_page_is_kept_in_the_cache(each_cache, client, small_estate, set_stage):
    prison = small_estate.establishment_1
    set_stage(prison, 4)
    _page(client, prison)

    assert cache.get(f"public-status:{prison.code}") is not None
    client.get("/status/")
    assert cache.get("public-status:index") is not None


def test_a_stage_change_shows_at_once(
    each_cache, client, small_estate, set_stage, django_capture_on_commit_callbacks
):
    prison = small_estate.establishment_1
    set_stage(prison, 4, on=datetime.date(2026, 1, 5))
    assert "Stage 4: Restrict" in _page(client, prison)
    assert TAG.format("Stage 4: Restrict") in client.get("/status/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        set_stage(prison, 3, on=datetime.date(2026, 3, 2))

    page = _page(client, prison)
    assert "Stage 3: Reduce" in page and "Stage 4: Restrict" not in page
    listing = client.get("/status/").content.decode()
    assert TAG.format("Stage 3: Reduce") in listing
    assert TAG.format("Stage 4: Restrict") not in listing


def test_a_new_note_shows_at_once(
    each_cache,
    client,
    small_estate,
    set_stage,
    person_with_role,
    django_capture_on_commit_callbacks,
):
    prison = small_estate.establishment_1
    governor = person_with_role(Role.GOVERNOR)
    set_stage(prison, 3)
    assert "Visits on Sundays" not in _page(client, prison)

    with django_capture_on_commit_callbacks(execute=True):
        do_publish_note(
            note_of(prison),
            expected_version=1,
            changes={"text": "Visits on Sundays."},
            acting_user=governor,
        )

    assert "Visits on Sundays." in _page(client, prison)


def test_new_words_for_a_stage_show_at_once(
    each_cache,
    client,
    small_estate,
    set_stage,
    person_with_role,
    django_capture_on_commit_callbacks,
):
    prison = small_estate.establishment_1
    set_stage(prison, 3)
    assert TAG.format("Stage 3: Reduce") in client.get("/status/").content.decode()
    assert "Stage 3: Reduce" in _page(client, prison)

    stage = Stage.objects.get(number=3)
    author = person_with_role(Role.FRAMEWORK_AUTHOR)
    with django_capture_on_commit_callbacks(execute=True):
        do_update_stage(
            stage,
            expected_version=stage.version,
            changes={"name": "Recover", "visits": "Two visits a month, booked online."},
            acting_user=author,
        )

    assert "Two visits a month, booked online." in _page(client, prison)
    assert TAG.format("Stage 3: Recover") in client.get("/status/").content.decode()


def test_a_code_that_does_not_exist_is_not_kept(each_cache, client, small_estate):
    assert client.get("/status/NOSUCH/").status_code == 404
    assert cache.get("public-status:NOSUCH") is None


def test_a_prison_closed_or_renamed_leaves_the_pages_at_once(
    each_cache,
    client,
    small_estate,
    set_stage,
    person_with_role,
    django_capture_on_commit_callbacks,
):
    from recovery.estate.actions import do_update_establishment
    from recovery.estate.constants import EstablishmentStatus

    prison, other = small_estate.establishment_1, small_estate.establishment_2
    set_stage(prison, 3)
    set_stage(other, 3)
    assert client.get(f"/status/{prison.code}/").status_code == 200
    assert f">{other.name}</a>" in client.get("/status/").content.decode()
    admin = person_with_role(Role.ADMINISTRATOR)

    with django_capture_on_commit_callbacks(execute=True):
        do_update_establishment(
            prison,
            expected_version=prison.version,
            changes={"status": EstablishmentStatus.CLOSED},
            acting_user=admin,
        )
        do_update_establishment(
            other,
            expected_version=other.version,
            changes={"name": "HMP Renamed Test"},
            acting_user=admin,
        )

    assert client.get(f"/status/{prison.code}/").status_code == 404
    listing = client.get("/status/").content.decode()
    assert f">{prison.name}</a>" not in listing
    assert ">HMP Renamed Test</a>" in listing
