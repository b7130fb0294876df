"""The Atom feed of releases and data calls, and the feed links that let a feed reader read it.

Who reads it (docs/decisions/0016-releases-and-feeds.md): a signed-in person who holds a role
that reads national or group backlog figures (VIEW_GROUP_BACKLOGS anywhere: PGDs and the
centre's readers). Feed readers cannot sign in, so each such person may make a feed link: the
feed's address with a secret of their own (`?token=...`). Only a SHA-256 of the secret is kept;
the link is shown once; making a new one revokes the old. Read through a link, the feed shows
what its owner may read now: a deactivated owner, a revoked or unknown link, or an owner who no
longer holds such a role, gets 404.

Entries announce; they carry no figures (every figure is on the release page, suppressed as
the rule says). Releases are announced to every reader; data calls to the centre's readers
(VIEW_NATIONAL_BACKLOGS), whose business they are."""

import datetime
import hashlib
import secrets

from django.contrib.syndication.views import Feed
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from recovery.audit.actions import record_event
from recovery.backlogs.models import DataCall, FeedToken, Release
from recovery.backlogs.rules import VIEW_GROUP_BACKLOGS, VIEW_NATIONAL_BACKLOGS
from recovery.core.errors import DomainError
from recovery.core.scope import allows, require, require_person

FEED_TOKEN_PREFIX = "feed_"
ENTRIES = 50


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def active_link_of(user) -> FeedToken | None:
    return FeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def do_create_feed_token(*, acting_user) -> tuple[FeedToken, str]:
    """Make a feed link for the acting person (revoking the one they had). Returns the link's
    row and its secret, shown once and never stored."""
    require_person(acting_user)
    require(
        acting_user,
        VIEW_GROUP_BACKLOGS,
        message="Only people who read national or group backlog figures have a feed.",
    )
    secret = FEED_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic(durable=True):
        replaced = list(
            FeedToken.objects.select_for_update()
            .filter(user=acting_user, revoked_at__isnull=True)
            .values_list("prefix", flat=True)
        )
        FeedToken.objects.filter(user=acting_user, revoked_at__isnull=True).update(revoked_at=now)
        token = FeedToken.objects.create(
            user=acting_user, prefix=secret[:12], key_hash=hash_secret(secret), created_at=now
        )
        record_event(
            acting_user=acting_user,
            action="backlogs.create_feed_token",
            obj=token,
            summary="Made a feed link" + (" (the old one revoked)" if replaced else ""),
            after={"prefix": token.prefix, "replaced": replaced},
        )
    return token, secret


def do_revoke_feed_token(*, acting_user) -> FeedToken:
    """Revoke the acting person's feed link."""
    require_person(acting_user)
    with transaction.atomic(durable=True):
        token = (
            FeedToken.objects.select_for_update()
            .filter(user=acting_user, revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise DomainError("You have no feed link to revoke.")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            acting_user=acting_user,
            action="backlogs.revoke_feed_token",
            obj=token,
            summary="Revoked a feed link",
            before={"revoked_at": None},
            after={"prefix": token.prefix, "revoked_at": token.revoked_at},
        )
    return token


def reader_of(secret: str):
    """The owner of a usable feed link, or None: unknown or revoked links, deactivated owners
    and owners who no longer read national or group figures read nothing."""
    if not secret or not secret.startswith(FEED_TOKEN_PREFIX):
        return None
    token = (
        FeedToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not allows(token.user, VIEW_GROUP_BACKLOGS):
        return None
    # Recorded at most once an hour: a feed reader polls often.
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(hours=1):
        FeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class Entry:
    """One entry of the feed: a release or a data call, in words."""

    def __init__(self, *, key, title, description, link, published):
        self.key, self.title, self.description = key, title, description
        self.link, self.published = link, published


def entries_for(user) -> list[Entry]:
    entries = [
        Entry(
            key=f"release-{r.number}",
            title=f"Release {r.number}: backlog figures for the period from "
            f"{r.period_start:%-d %B %Y}",
            description=(
                f"National and prison group backlog figures for the period from "
                f"{r.period_start:%-d %B %Y} were published on "
                f"{timezone.localtime(r.published_at):%-d %B %Y at %H:%M}"
                + (
                    f", with {r.revised} revised figure{'s' if r.revised != 1 else ''} of "
                    "earlier periods."
                    if r.revised
                    else "."
                )
            ),
            link=reverse("backlogs:release", args=[r.number]),
            published=r.published_at,
        )
        for r in Release.objects.annotate(
            revised=Count("figures", filter=Q(figures__revised=True))
        ).order_by("-number")[:ENTRIES]
    ]
    if allows(user, VIEW_NATIONAL_BACKLOGS):
        entries += [
            Entry(
                key=f"data-call-{c.pk}",
                title=f"Data call: {c.title}",
                description=(
                    f"{c.get_kind_display()} for the period from {c.period_start:%-d %B %Y}, "
                    f"due by {timezone.localtime(c.deadline):%-d %B %Y at %H:%M}. "
                    + (c.description or "")
                ).strip(),
                link=reverse("backlogs:data-call", args=[c.pk]),
                published=c.created_at,
            )
            for c in DataCall.objects.order_by("-created_at", "-pk")[:ENTRIES]
        ]
    return sorted(entries, key=lambda e: e.published, reverse=True)[:ENTRIES]


class ReleasesFeed(Feed):
    feed_type = Atom1Feed
    title = "Backlog releases and data calls"
    subtitle = (
        "Each release of national and prison group backlog figures, and each data call, "
        "as they happen."
    )

    def get_object(self, request, *args, **kwargs):
        return request.reader

    def link(self, obj):
        return reverse("backlogs:releases")

    def feed_url(self, obj):
        return reverse("backlogs:feed")

    def items(self, obj):
        return entries_for(obj)

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return item.description

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return f"urn:recovery:backlogs:{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Entry):
        return item.published

    def item_updateddate(self, item: Entry):
        return item.published
