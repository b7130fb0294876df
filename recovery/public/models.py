"""What an establishment publishes for families and voluntary organisations: one short note
(visiting arrangements, how to book), shown on its public status page. The current note is
`PublicNote`; every text it has had is kept in `PublicNoteRevision`."""

from django.conf import settings
from django.db import models

from recovery.core.models import VersionedModel

NOTE_MAX_LENGTH = 1000


class PublicNote(VersionedModel):
    """The note an establishment shows the public now (empty: none)."""

    establishment = models.OneToOneField(
        "estate.Establishment", on_delete=models.PROTECT, related_name="public_note"
    )
    text = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Public note of {self.establishment}"


class PublicNoteRevision(models.Model):
    """One text the note had, from when, by whom (the note's history; never shown publicly)."""

    note = models.ForeignKey(PublicNote, on_delete=models.PROTECT, related_name="revisions")
    text = models.TextField(blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    published_by_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return f"Public note published {self.published_at:%d %B %Y %H:%M}"
