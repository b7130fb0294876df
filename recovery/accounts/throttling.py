"""Sign-in throttling that cannot be turned against everyone.

django-axes counts failed sign-ins by e-mail address and by network address. One account is
locked after a few failures (AXES_FAILURE_LIMIT, 5); one network address only after many
(SIGN_IN_ADDRESS_FAILURE_LIMIT, 100), because behind an office's or a proxy's address many
people share one: five wrong passwords for any e-mail, even one that does not exist, must not
lock everyone out. Both locks last AXES_COOLOFF_TIME.

The network address is the client's own, read from X-Forwarded-For only when the request came
from one of TRUSTED_PROXIES (the TLS proxy in front of the service); from anyone else the
header is ignored, because a client can write anything in it."""

import ipaddress
from functools import cache

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


@cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_trusted_proxy(address: str) -> bool:
    if not _is_address(address):
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The address the request came from: REMOTE_ADDR, unless that is a trusted proxy, then the
    right-most X-Forwarded-For entry that is not one (each proxy appends the address it was
    called from, so anything further left may have been written by the client)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed([entry.strip() for entry in forwarded if entry.strip()]):
        if not _is_address(entry):
            return remote
        if not _is_trusted_proxy(entry):
            return entry
    return remote


class AccountOrAddressHandler(AxesDatabaseHandler):
    """axes' database handler with two limits instead of one. AXES_LOCKOUT_PARAMETERS is
    ["username", "ip_address"], so axes hands over the failures for this e-mail address and for
    this network address, in that order."""

    def failures_by_account_and_address(self, request, credentials=None) -> tuple[int, int]:
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return by_account, by_address

    def get_failures(self, request, credentials=None) -> int:
        # axes compares one number with AXES_FAILURE_LIMIT; the address's count is put on the
        # account's scale, so it reaches that limit exactly at SIGN_IN_ADDRESS_FAILURE_LIMIT.
        by_account, by_address = self.failures_by_account_and_address(request, credentials)
        scaled = by_address * settings.AXES_FAILURE_LIMIT // settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
        return max(by_account, scaled)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A right password clears that account's failures only: one person signing in must not
        # wipe the count against an address many people share.
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(username=username).delete()
        return deleted


def locked_out(request, original_response=None, credentials=None):
    """The page shown while sign-in is locked. It says which lock applies, in words that hold
    whether or not an account exists for the e-mail address."""
    _, by_address = AccountOrAddressHandler().failures_by_account_and_address(request, credentials)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "address_locked": by_address >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT,
        "minutes": minutes,
    }
    return render(
        request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
