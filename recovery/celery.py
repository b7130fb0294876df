"""The Celery application: background jobs (recovery.core.jobs) run by workers.

    celery -A recovery worker            # as many as needed, on any machine (docs/deployment.md)

Configured from Django's settings (the CELERY_* names): the broker is Redis from REDIS_URL (or
CELERY_BROKER_URL); tasks are never run eagerly; results live in the Job table, not in Celery.
There is one task: run a recorded job by its id."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings.local")

app = Celery("recovery")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="recovery.run_job", ignore_result=True)
def run_job_task(job_id: int) -> None:
    import django

    django.setup()
    from recovery.core.jobs import execute

    execute(job_id)
