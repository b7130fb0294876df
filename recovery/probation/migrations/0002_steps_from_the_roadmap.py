"""Probation's three steps and the government's wider steps, in the words of the Probation
Roadmap to Recovery and its Annex A (the government's announcement of 10 May)."""

import datetime

from django.db import migrations

PROBATION_STEPS = [
    (
        1,
        "Step one: current position",
        "We continue to operate according to the Exceptional Delivery Models and Plans in "
        "place. Staff continue to work from home wherever possible; where staff work from a "
        "location which is not their home, managers and staff ensure the working environment "
        "is safe, and risk assessments for each location are maintained.",
    ),
    (
        2,
        "Step two: a less locked-down approach",
        "A staged approach, continuing to prioritise public safety: scaling back doorstep "
        "supervision and scaling up face to face supervision (by category 1, 2 and 3 within "
        "each LDU's capacity analysis), scaling up court work, restarting unpaid work and "
        "interventions on a limited scale, restarting programmes and Offender Management in "
        "Custody. It happens at least two weeks after the Government's wider move to step "
        "two.",
    ),
    (
        3,
        "Step three: further adjustments",
        "When the Government's assessment of risk warrants it: open the remaining offices in "
        "a coordinated way, restart Unpaid Work and Interventions on a larger scale, restart "
        "face to face training, commence re-opening Approved Premises closed for non-COVID-19 "
        "reasons and plan to re-open those closed because of COVID-19.",
    ),
]

GOVERNMENT_STEPS = [
    (
        1,
        "Government step 1",
        datetime.date(2020, 5, 13),
        "Those who can work from home should continue to do so; workplaces follow the "
        "COVID-19 Secure guidelines (from 13 May).",
    ),
    (
        2,
        "Government step 2",
        datetime.date(2020, 6, 1),
        "No earlier than 1 June: a phased return for early years settings and schools, "
        "non-essential retail, more local public transport, some increase in social contact.",
    ),
    (
        3,
        "Government step 3",
        datetime.date(2020, 7, 4),
        "No earlier than 4 July: open at least some of the remaining businesses and premises "
        "(personal care, hospitality, public places, leisure).",
    ),
]


def load(apps, schema_editor):
    ProbationStep = apps.get_model("probation", "ProbationStep")
    GovernmentStep = apps.get_model("probation", "GovernmentStep")
    for number, name, meaning in PROBATION_STEPS:
        ProbationStep.objects.update_or_create(
            number=number, defaults={"name": name, "meaning": meaning}
        )
    for number, name, starts_on, summary in GOVERNMENT_STEPS:
        GovernmentStep.objects.update_or_create(
            number=number, defaults={"name": name, "starts_on": starts_on, "summary": summary}
        )


class Migration(migrations.Migration):
    dependencies = [("probation", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
