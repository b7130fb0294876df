"""The optional webhook: when `RELEASE_WEBHOOK_URL` is set, each release and each data call is
announced to it by a JSON POST, after the change is committed, with a short timeout. It carries
no figures, only what was published and where to read it (signed in). A failure is logged and
never undoes what it announces: the feed and the pages say the same."""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.urls import reverse

log = logging.getLogger("recovery.backlogs.webhooks")


def post(payload: dict) -> bool:
    """POST `payload` as JSON to the webhook; True when it answered 2xx. Never raises."""
    url = settings.RELEASE_WEBHOOK_URL
    if not url:
        return False
    body = json.dumps(payload).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "recovery-releases"},
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - the URL is the operator's own setting
            request, timeout=settings.RELEASE_WEBHOOK_TIMEOUT_SECONDS
        ) as response:
            ok = 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError) as error:
        log.warning("release webhook %s failed for %s: %s", url, payload.get("event"), error)
        return False
    if not ok:
        log.warning("release webhook %s answered %s", url, response.status)
    return ok


def announce_release(release) -> bool:
    if not settings.RELEASE_WEBHOOK_URL:
        return False
    return post(
        {
            "event": "release.published",
            "number": release.number,
            "period_start": release.period_start.isoformat(),
            "published_at": release.published_at.isoformat(),
            "url": settings.SITE_URL + reverse("backlogs:release", args=[release.number]),
        }
    )


def announce_data_call(data_call) -> bool:
    if not settings.RELEASE_WEBHOOK_URL:
        return False
    return post(
        {
            "event": "data_call.sent",
            "id": data_call.pk,
            "title": data_call.title,
            "kind": data_call.kind,
            "period_start": data_call.period_start.isoformat(),
            "deadline": data_call.deadline.isoformat(),
            "url": settings.SITE_URL + reverse("backlogs:data-call", args=[data_call.pk]),
        }
    )
