from django.db import migrations

from recovery.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]

    operations = [AppendOnly("DecisionEntry")]
