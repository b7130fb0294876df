"""Releases: a figure names its period, so a later release can re-publish (as "revised") the
figures of earlier periods that changed since; and feed links for feed readers."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def figures_of_their_release_period(apps, schema_editor):
    ReleaseFigure = apps.get_model("backlogs", "ReleaseFigure")
    Release = apps.get_model("backlogs", "Release")
    for release in Release.objects.all():
        ReleaseFigure.objects.filter(release=release).update(period_start=release.period_start)


class Migration(migrations.Migration):
    dependencies = [
        ("backlogs", "0002_seed_catalogue"),
        ("estate", "0002_establishment_status_categories_unknown_figures"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FeedToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prefix", models.CharField(max_length=12)),
                ("key_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField()),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                ("last_used_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
        migrations.AlterModelOptions(
            name="releasefigure",
            options={"ordering": ["release", "metric__order", "unit__path", "period_start"]},
        ),
        migrations.RemoveConstraint(
            model_name="releasefigure",
            name="one_figure_per_release_unit",
        ),
        migrations.AddField(
            model_name="releasefigure",
            name="period_start",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(figures_of_their_release_period, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="releasefigure",
            name="period_start",
            field=models.DateField(),
        ),
        migrations.AddField(
            model_name="releasefigure",
            name="revised",
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name="releasefigure",
            index=models.Index(
                fields=["unit", "metric", "period_start"], name="release_figure_lookup"
            ),
        ),
        migrations.AddConstraint(
            model_name="releasefigure",
            constraint=models.UniqueConstraint(
                fields=("release", "metric", "unit", "period_start"),
                name="one_figure_per_release_unit_period",
            ),
        ),
        migrations.AddField(
            model_name="feedtoken",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="feed_tokens",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
