"""Estate pages (being built)."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


home = nation = establishments = group = establishment = establishment_edit = unit_history = _todo
probation = region = pdu = office = office_edit = _todo
