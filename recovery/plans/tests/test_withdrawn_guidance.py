"""Withdrawing national guidance that plans answer: the author first sees the plans affected,
then those plans say the version was withdrawn."""

import pytest
from django.test import Client

from recovery.core.constants import Role
from recovery.estate.constants import EstablishmentType
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.models import EdmVersion
from recovery.plans.factories import start_plan
from recovery.plans.queries import plans_on_version

pytestmark = pytest.mark.django_db

WITHDRAW = "/frameworks/edms/901/versions/1.0/withdraw/"


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def two_plans(small_estate, visits_edm):
    for establishment in (small_estate.establishment_1, small_estate.establishment_2):
        establishment.establishment_type = EstablishmentType.CAT_C
        establishment.save()
        start_plan(establishment)
    return visits_edm


def test_withdrawing_first_lists_the_plans_that_answer_the_version(two_plans, person_with_role):
    author = client_for(person_with_role(Role.FRAMEWORK_AUTHOR))

    page = author.get(WITHDRAW)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Withdraw version 1.0?" in html
    assert "2 plans answer this version" in html
    assert "<li>HMP Ashgrove (stage 3)</li>" in html
    assert "<li>HMP Birchwood (stage 3)</li>" in html
    assert EdmVersion.objects.get(pk=two_plans.pk).status == EdmStatus.PUBLISHED


def test_the_plans_listed_are_those_in_the_persons_scope(two_plans, person_with_role):
    governor = person_with_role(Role.GOVERNOR)  # at HMP Ashgrove

    use = plans_on_version(two_plans, governor)

    assert (use.names, use.elsewhere) == (["HMP Ashgrove (stage 3)"], 1)


def test_a_version_no_plan_answers_says_so(visits_edm, person_with_role):
    html = client_for(person_with_role(Role.FRAMEWORK_AUTHOR)).get(WITHDRAW).content.decode()

    assert "No plan answers this version." in html


def test_confirming_withdraws_and_the_plans_say_so(two_plans, person_with_role):
    author = client_for(person_with_role(Role.FRAMEWORK_AUTHOR))

    done = author.post(WITHDRAW, follow=True)

    assert "EDM 901 version 1.0 withdrawn" in done.content.decode()
    assert EdmVersion.objects.get(pk=two_plans.pk).status == EdmStatus.WITHDRAWN
    plan = client_for(person_with_role(Role.GOVERNOR)).get("/plans/EST1/").content.decode()
    assert "National guidance this plan answers has been withdrawn" in plan
    assert 'href="#edm-901">EDM 901 version 1.0</a> was withdrawn on' in plan
    section = plan.split('id="edm-901"', 1)[1]
    assert "EDM 901 version 1.0 was withdrawn on" in section
    assert "It is no longer national guidance. The answers below are kept as they are." in section


def test_a_plan_on_published_guidance_says_nothing_of_withdrawal(two_plans, person_with_role):
    plan = client_for(person_with_role(Role.GOVERNOR)).get("/plans/EST1/").content.decode()

    assert "withdrawn" not in plan.lower()


def test_a_version_that_is_not_published_is_not_offered_for_withdrawal(
    visits_edm, person_with_role
):
    EdmVersion.objects.filter(pk=visits_edm.pk).update(status=EdmStatus.WITHDRAWN)
    author = client_for(person_with_role(Role.FRAMEWORK_AUTHOR))

    page = author.get(WITHDRAW, follow=True)

    assert page.redirect_chain[-1][0] == "/frameworks/edms/901/versions/1.0/"
    assert (
        "EDM 901 version 1.0 is withdrawn: it can be withdrawn only when it is published."
        in page.content.decode()
    )


def test_only_framework_authors_see_the_withdrawal_page(two_plans, person_with_role):
    governor = client_for(person_with_role(Role.GOVERNOR))

    assert governor.get(WITHDRAW).status_code == 403
