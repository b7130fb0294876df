# The 15 workstreams loaded in a migration of their own: PostgreSQL will not drop a table in the
# same transaction that deleted rows others point at ("pending trigger events"), so the data and
# the schema are migrated (and migrated back) in separate transactions.

from django.db import migrations

# The roadmap's 15 workstreams, as they stood when this migration was written (a copy, so that
# later edits of the list in code never change what this migration did).
WORKSTREAMS = (
    "Community and post-release supervision",
    "Courts",
    "Victims",
    "Accredited Programmes",
    "Unpaid work and ETE",
    "Approved Premises and Bail Accommodation and Support Services",
    "Offender Management in Custody",
    "Public Protection",
    "Health",
    "HQ Functions",
    "Enabling infrastructure (including digital, estates, IT, supply chains, PPE)",
    "Assurance (including input from Her Majesty's Inspectorate of Probation)",
    "Trade unions",
    "Communications and engagement",
    "Contingency planning",
)


def load_workstreams(apps, schema_editor):
    Workstream = apps.get_model("probation", "Workstream")
    for number, name in enumerate(WORKSTREAMS, start=1):
        Workstream.objects.get_or_create(number=number, defaults={"name": name})


def unload_workstreams(apps, schema_editor):
    apps.get_model("probation", "Workstream").objects.filter(name__in=WORKSTREAMS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("probation", "0101_workstreams"),
    ]

    operations = [
        migrations.RunPython(load_workstreams, unload_workstreams),
    ]
