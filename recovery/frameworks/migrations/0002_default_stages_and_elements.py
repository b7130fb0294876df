"""The default stage ladder and regime element catalogue. Reference data the centre keeps and
may change later through the service; this only seeds it (and skips rows already there)."""

from django.db import migrations

STAGES = [
    (
        5,
        "Lockdown",
        "red",
        "The tightest regime: only essential services such as meals, medication, safety and "
        "welfare, and family contact by phone.",
    ),
    (
        4,
        "Restrict",
        "orange",
        "A restricted regime: essential services plus small, cohorted activity where it is safe.",
    ),
    (
        3,
        "Reduce",
        "yellow",
        "A reduced regime that delivers the EDM baselines: each regime element restarts under its "
        "Exceptional Delivery Model.",
    ),
    (
        2,
        "Prepare",
        "blue",
        "Governors have more freedom to add to the regime locally, within national rules, as the "
        "prison prepares for a fuller regime.",
    ),
    (
        1,
        "Restore",
        "green",
        "A fuller, reformed regime. Its design is still to be agreed nationally.",
    ),
]

ELEMENTS = [
    ("meals", "Meals", "Serving and eating meals."),
    ("medication", "Medication", "Dispensing and administering medicines."),
    ("safety-and-welfare", "Safety and welfare", "Welfare checks, ACCT and safeguarding."),
    ("family-contact", "Family contact", "Keeping in touch with family other than by visits."),
    ("visits", "Visits", "Social visits from family and friends."),
    ("professional-visits", "Professional visits", "Visits by legal and other professionals."),
    ("education", "Education", "Classroom and in-cell learning."),
    ("gym-and-pe", "Gym and PE", "Physical education and gym sessions."),
    ("work-and-industries", "Work and industries", "Workshops, jobs and industries."),
    (
        "offender-behaviour-programmes",
        "Offender behaviour programmes",
        "Accredited programmes that address offending behaviour.",
    ),
    ("offender-management", "Offender management", "Sentence management and the OMU."),
    ("resettlement", "Resettlement", "Preparing for release and life after custody."),
    ("rotl-and-hdc", "ROTL and HDC", "Release on temporary licence and home detention curfew."),
    ("chaplaincy", "Chaplaincy and pastoral care", "Faith services and pastoral support."),
    ("canteen", "Canteen", "Ordering and delivering canteen goods."),
    ("phones", "Phones", "In-cell and wing telephones."),
    ("adjudications", "Adjudications", "Hearings for breaches of prison rules."),
    ("exercise", "Exercise", "Time in the open air."),
]


def seed(apps, schema_editor):
    Stage = apps.get_model("frameworks", "Stage")
    RegimeElement = apps.get_model("frameworks", "RegimeElement")
    for number, name, colour, meaning in STAGES:
        Stage.objects.get_or_create(
            number=number, defaults={"name": name, "colour": colour, "meaning": meaning}
        )
    for position, (code, name, description) in enumerate(ELEMENTS, start=1):
        RegimeElement.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
