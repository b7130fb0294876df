"""The Governor publishes the prison's note for families; its history is kept; a stale edit is
refused; nobody else may publish it."""

import pytest

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import NotAllowed
from recovery.public.actions import do_publish_note, note_of
from recovery.public.models import PublicNote, PublicNoteRevision

pytestmark = pytest.mark.django_db


def _url(establishment) -> str:
    return f"/public-note/{establishment.code}/"


def test_the_governor_publishes_a_note_and_families_see_it(client, small_estate, person_with_role):
    prison = small_estate.establishment_1
    client.force_login(person_with_role(Role.GOVERNOR, first_name="Gil", last_name="Govan"))

    opened = client.get(_url(prison))
    sent = client.post(_url(prison), {"version": 1, "text": "Visits on Saturdays, 2pm to 4pm."})

    assert opened.status_code == 200 and "Note for families" in opened.content.decode()
    assert sent.status_code == 302
    after = client.get(_url(prison)).content.decode()
    assert "Your note has been published on the public status page." in after
    client.logout()
    assert (
        "Visits on Saturdays, 2pm to 4pm." in client.get(f"/status/{prison.code}/").content.decode()
    )
    event = AuditEvent.objects.get(action="public.publish_note")
    assert (event.before, event.after) == (
        {"text": ""},
        {"text": "Visits on Saturdays, 2pm to 4pm."},
    )


def test_every_published_note_is_kept(small_estate, person_with_role):
    prison = small_estate.establishment_1
    governor = person_with_role(Role.GOVERNOR)
    for version, text in enumerate(["First note.", "Second note.", ""], start=1):
        do_publish_note(
            note_of(prison), expected_version=version, changes={"text": text}, acting_user=governor
        )

    assert list(PublicNoteRevision.objects.values_list("text", flat=True)) == [
        "",
        "Second note.",
        "First note.",
    ]
    assert PublicNote.objects.get(establishment=prison).text == ""


def test_a_stale_note_is_refused_and_nothing_is_overwritten(client, small_estate, person_with_role):
    prison = small_estate.establishment_1
    other_governor = person_with_role(Role.GOVERNOR, first_name="Greta", last_name="Other")
    client.force_login(person_with_role(Role.GOVERNOR))
    opened = client.get(_url(prison))  # opened at version 1
    assert 'name="version" value="1"' in opened.content.decode()
    do_publish_note(
        note_of(prison),
        expected_version=1,
        changes={"text": "Greta's note."},
        acting_user=other_governor,
    )

    sent = client.post(_url(prison), {"version": 1, "text": "My older note."})

    assert sent.status_code == 200
    assert "Greta Other" in sent.content.decode()  # who changed it in between
    assert PublicNote.objects.get(establishment=prison).text == "Greta's note."


def test_a_note_too_long_is_a_field_error(client, small_estate, person_with_role):
    prison = small_estate.establishment_1
    client.force_login(person_with_role(Role.GOVERNOR))

    sent = client.post(_url(prison), {"version": 1, "text": "x" * 1001})

    assert "The note must be 1000 characters or fewer" in sent.content.decode()
    assert not PublicNote.objects.filter(establishment=prison).exists()


def test_only_the_governor_of_the_prison_publishes(small_estate, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    other = person_with_role(Role.GOVERNOR, unit=small_estate.establishment_2)
    for person in (editor, other, None):
        with pytest.raises(NotAllowed):
            do_publish_note(
                note_of(small_estate.establishment_1),
                expected_version=1,
                changes={"text": "Not mine to say."},
                acting_user=person,
            )
    assert not PublicNote.objects.exists()


def test_the_governor_finds_the_note_from_the_establishment_page(
    client, small_estate, person_with_role
):
    prison = small_estate.establishment_1
    client.force_login(person_with_role(Role.GOVERNOR))

    html = client.get(f"/estate/establishments/{prison.code}/").content.decode()

    assert f'href="/status/{prison.code}/"' in html
    assert f'href="/public-note/{prison.code}/"' in html


def test_an_editor_sees_the_public_page_link_but_not_the_note(
    client, small_estate, person_with_role
):
    prison = small_estate.establishment_1
    client.force_login(person_with_role(Role.ESTABLISHMENT_EDITOR))

    html = client.get(f"/estate/establishments/{prison.code}/").content.decode()

    assert f'href="/status/{prison.code}/"' in html
    assert "/public-note/" not in html
