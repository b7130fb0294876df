"""Loading the estate from a spreadsheet through the UI (being built)."""

from django.http import Http404


def import_estate(request):
    raise Http404
