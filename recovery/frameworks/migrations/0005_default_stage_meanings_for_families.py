"""The default ladder's meanings for families (visits, education, work and release on temporary
licence), as the public status page shows them. Fills only what is still empty: the centre may
have worded its own already."""

from django.db import migrations

MEANINGS = {
    5: (
        "Social visits are paused. Keep in touch by phone, video calls and letters.",
        "Classes are paused. People may be given learning packs to use in their cells.",
        "Only essential work, such as kitchens and cleaning, goes on.",
        "Release on temporary licence is for essential reasons only.",
    ),
    4: (
        "Visits are very limited and may be paused. Phone and video calls go on.",
        "Learning in cells goes on; small groups may restart where it is safe.",
        "Essential work, and some other work in small groups that stay together.",
        "Release on temporary licence is for essential and priority cases, looked at one by one.",
    ),
    3: (
        "Social visits take place in smaller numbers, booked in advance, with social distancing.",
        "Education restarts in smaller classes alongside learning in cells.",
        "More workshops and jobs reopen, with fewer people in each.",
        "Release on temporary licence restarts for more reasons, with safety measures.",
    ),
    2: (
        "More visits sessions, still booked in advance and with safety measures.",
        "More classes and courses restart.",
        "Most work and industries restart, with safety measures.",
        "Release on temporary licence is widely available, with safety measures.",
    ),
    1: (
        "Visits return to the prison's usual arrangements.",
        "Education returns to a full timetable.",
        "Work and industries return to normal.",
        "Release on temporary licence returns to its usual arrangements.",
    ),
}
FIELDS = ("visits", "education", "work", "rotl")


def fill_meanings(apps, schema_editor):
    Stage = apps.get_model("frameworks", "Stage")
    for stage in Stage.objects.filter(number__in=MEANINGS):
        changed = False
        for name, text in zip(FIELDS, MEANINGS[stage.number], strict=True):
            if not getattr(stage, name):
                setattr(stage, name, text)
                changed = True
        if changed:
            stage.save(update_fields=list(FIELDS))


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0004_stage_meanings_for_families")]

    operations = [migrations.RunPython(fill_meanings, migrations.RunPython.noop)]
