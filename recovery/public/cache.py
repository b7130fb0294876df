"""The cache of the public status pages (Django's cache framework: local memory, or Redis when
REDIS_URL is set). A page is kept until what it shows changes (a stage change, the note, the
ladder's wording: each forgets it after commit) or midnight, when a commencement approved for
a later date may take effect, whichever is first; and for PUBLIC_STATUS_CACHE_SECONDS at most."""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

INDEX_KEY = "public-status:index"


def establishment_key(code: str) -> str:
    """The same key as recovery.progression.stages.public_cache_changed forgets."""
    return f"public-status:{code}"


def seconds_to_keep() -> int:
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), time.min))
    return max(1, min(settings.PUBLIC_STATUS_CACHE_SECONDS, int((midnight - now).total_seconds())))


def cached(key: str, make: Callable[[], Any]) -> Any:
    """What is kept under `key`, made (and kept) when missing. Nothing is kept when `make`
    finds nothing (None), so asking for codes that do not exist cannot fill the cache.
    PUBLIC_STATUS_CACHE off: made every time (the benchmark's uncached side)."""
    if not settings.PUBLIC_STATUS_CACHE:
        return make()
    value = cache.get(key)
    if value is None:
        value = make()
        if value is not None:
            cache.set(key, value, seconds_to_keep())
    return value


def forget_establishment_page(code: str) -> None:
    cache.delete(establishment_key(code))


def forget_all_public_pages() -> None:
    """Every public page (the ladder's wording changed: every page shows it)."""
    from recovery.estate.models import Establishment

    codes = Establishment.objects.values_list("code", flat=True)
    cache.delete_many([INDEX_KEY, *(establishment_key(code) for code in codes)])
