"""The estate file holds the real register: a status (open or closed), one or more
categories, immigration removal centres, and capacity and population that may be unknown.

Each establishment's single category becomes a list of one (an empty category, none); going
back keeps the first category of the list."""

import django.core.validators
from django.db import migrations, models

import recovery.estate.models


def category_to_categories(apps, schema_editor):
    Establishment = apps.get_model("estate", "Establishment")
    for pk, category in Establishment.objects.values_list("pk", "category"):
        Establishment.objects.filter(pk=pk).update(categories=[category] if category else [])


def categories_to_category(apps, schema_editor):
    Establishment = apps.get_model("estate", "Establishment")
    for pk, categories in Establishment.objects.values_list("pk", "categories"):
        Establishment.objects.filter(pk=pk).update(category=categories[0] if categories else "")


class Migration(migrations.Migration):
    dependencies = [
        ("estate", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="establishment",
            name="status",
            field=models.CharField(
                choices=[("open", "Open"), ("closed", "Closed")],
                db_index=True,
                default="open",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="establishment",
            name="categories",
            field=models.JSONField(
                blank=True,
                default=list,
                validators=[recovery.estate.models.validate_categories],
            ),
        ),
        migrations.RunPython(category_to_categories, categories_to_category, elidable=False),
        migrations.RemoveField(
            model_name="establishment",
            name="category",
        ),
        migrations.AlterField(
            model_name="establishment",
            name="establishment_type",
            field=models.CharField(
                choices=[
                    ("local", "Local (reception)"),
                    ("high_security", "High security (category A)"),
                    ("cat_b", "Category B training"),
                    ("cat_c", "Category C training"),
                    ("open", "Open (category D)"),
                    ("womens", "Women's"),
                    ("yoi", "Young offender institution"),
                    ("ycs_yoi", "Youth custody: YOI (under 18)"),
                    ("stc", "Youth custody: secure training centre"),
                    ("sch", "Youth custody: secure children's home"),
                    ("irc", "Immigration removal centre"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="establishment",
            name="operational_capacity",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
            ),
        ),
        migrations.AlterField(
            model_name="establishment",
            name="population",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
    ]
