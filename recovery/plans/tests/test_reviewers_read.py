"""Everyone who may see a plan reads every answer in full (approach, option, evidence and its
downloads, history); only the establishment's editors and Governor can change it, and a plan
outside a person's scope stays not found."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recovery.core.constants import Role
from recovery.plans.actions import do_add_evidence
from recovery.plans.constants import EvidenceKind, ResponseStatus
from recovery.plans.factories import answer, response_for

REVIEWERS = [Role.TRADE_UNION_REP, Role.PGD, Role.CENTRAL_PANEL, Role.VIEWER]


@pytest.fixture
def answered(adult_plan, person_with_role):
    """Baseline 1.2 (partial autonomy) answered, with a document and a link as evidence."""
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    response = answer(
        response_for(adult_plan, "1.2"),
        status=ResponseStatus.IN_PROGRESS,
        chosen_option="Video calls",
        approach="Video calls from the library on weekday evenings.",
        owner="Head of Family Services",
    )
    do_add_evidence(
        response,
        kind=EvidenceKind.FILE,
        upload=SimpleUploadedFile("visits-risk-assessment.pdf", b"%PDF-1.4 visits"),
        url="",
        note="",
        acting_user=editor,
    )
    do_add_evidence(
        response,
        kind=EvidenceKind.LINK,
        upload=None,
        url="https://intranet.example.org/visits",
        note="",
        acting_user=editor,
    )
    return response


@pytest.mark.parametrize("role", REVIEWERS)
def test_a_reviewer_reads_the_whole_answer(client, answered, person_with_role, role):
    client.force_login(person_with_role(role))
    page = client.get(f"/plans/EST1/answer/?response={answered.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Baseline 1.2" in html
    assert "Video calls from the library on weekday evenings." in html
    assert "Head of Family Services" in html
    assert "Option chosen" in html and "Video calls" in html
    assert ">In progress</strong>" in html
    assert "visits-risk-assessment.pdf" in html
    assert "https://intranet.example.org/visits" in html
    assert "History of this answer" in html
    # Read-only: no form to answer, add or remove evidence.
    assert "Save answer" not in html
    assert "Upload document" not in html and ">Remove<" not in html
    assert 'name="approach"' not in html


@pytest.mark.parametrize("role", REVIEWERS)
def test_a_reviewer_downloads_the_evidence(client, answered, person_with_role, role):
    client.force_login(person_with_role(role))
    evidence = answered.evidence.get(kind=EvidenceKind.FILE)
    download = client.get(f"/plans/EST1/evidence/?evidence={evidence.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 visits"


@pytest.mark.parametrize("role", REVIEWERS)
def test_a_reviewer_cannot_change_the_answer(client, answered, person_with_role, role):
    client.force_login(person_with_role(role))
    sent = client.post(
        "/plans/EST1/answer/",
        {
            "response": answered.pk,
            "version": answered.version,
            "status": "met",
            "owner": "Someone else",
        },
    )
    assert sent.status_code == 404
    evidence = answered.evidence.get(kind=EvidenceKind.FILE)
    removed = client.post("/plans/EST1/evidence/remove/", {"evidence": evidence.pk})
    assert removed.status_code == 404
    answered.refresh_from_db()
    assert answered.owner == "Head of Family Services"
    assert answered.evidence.filter(removed_at__isnull=True).count() == 2


def test_the_editor_still_gets_the_form(client, answered, person_with_role):
    client.force_login(person_with_role(Role.ESTABLISHMENT_EDITOR))
    html = client.get(f"/plans/EST1/answer/?response={answered.pk}").content.decode()
    assert "Save answer" in html and 'name="approach"' in html and ">Remove<" in html


@pytest.mark.parametrize(
    "role, unit",
    [
        (Role.PGD, "group_2"),
        (Role.TRADE_UNION_REP, "establishment_2"),
        (Role.GOVERNOR, "establishment_2"),
        (Role.PDU_HEAD, "pdu_1"),
    ],
)
def test_an_answer_outside_scope_is_not_found(
    client, small_estate, answered, person_with_role, role, unit
):
    client.force_login(person_with_role(role, getattr(small_estate, unit)))
    assert client.get(f"/plans/EST1/answer/?response={answered.pk}").status_code == 404
    evidence = answered.evidence.get(kind=EvidenceKind.FILE)
    assert client.get(f"/plans/EST1/evidence/?evidence={evidence.pk}").status_code == 404


def test_a_not_applicable_answer_shows_its_reason(client, adult_plan, person_with_role):
    response = answer(
        response_for(adult_plan, "3.1"),
        status=ResponseStatus.NOT_APPLICABLE,
        not_applicable_reason="No visits hall on this site.",
    )
    client.force_login(person_with_role(Role.TRADE_UNION_REP))
    html = client.get(f"/plans/EST1/answer/?response={response.pk}").content.decode()
    assert "Why it does not apply" in html and "No visits hall on this site." in html
    assert ">Not applicable</strong>" in html
