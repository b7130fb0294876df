"""The audit trail for administrators (being built)."""

from django.http import Http404


def trail(request):
    raise Http404
