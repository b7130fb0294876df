"""Background jobs: long work (a national import, a national allocation) done outside the web
request, with progress a page can show.

    @job("Load the national caseload")
    def import_national_caseload(job: Job, report: Progress, **arguments) -> dict: ...

    started = run_job(import_national_caseload, acting_user=user, unit=nation, payload=data,
                      file_name="caseload.csv")

`run_job` records a `Job` (queued) and then:
- with a broker (settings.CELERY_BROKER_URL, which is REDIS_URL when set, as in production):
  puts the job on the Celery queue once the transaction commits; a worker
  (`celery -A recovery worker`) runs it (recovery/celery.py);
- without one (`make run` on a fresh machine, the tests): runs it here and now, in-process.

Either way `execute` runs it the same way: it claims the job (queued -> running, once: a job
delivered twice runs once), calls the function, and records done with its result, or failed
with why. The function does its writes in ONE transaction (its action's), so a failed job
changes nothing; progress is written outside that transaction, before the writes start, so
the page sees it while the job runs. A DomainError's message is shown as it stands; any other
failure is logged and shown as "An unexpected error stopped the job".

Who started a job is recorded; the function acts as that person (or the named system actor),
so every permission check and audit event is theirs."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from recovery.core.errors import DomainError, InvalidUpload
from recovery.core.models import Job
from recovery.core.scope import COMMAND_LINE, is_system

log = logging.getLogger("recovery.jobs")
UNEXPECTED = "An unexpected error stopped the job. Nothing was changed. Try again, or ask support."


@dataclass(frozen=True)
class JobKind:
    path: str  # the function's dotted path: what a Job's `kind` holds
    label: str
    function: Callable[..., dict]


JOB_KINDS: dict[str, JobKind] = {}


def job(label: str):
    """Declare a function a background job. It is called as `function(job, report,
    acting_user=..., **arguments)` and returns its result (JSON)."""

    def register(function):
        path = f"{function.__module__}.{function.__qualname__}"
        JOB_KINDS[path] = JobKind(path, label, function)
        function.job_kind = path
        return function

    return register


def kind_of(path: str) -> JobKind:
    """The registered job at `path`, importing its module first (a worker has not)."""
    if path not in JOB_KINDS:
        import_string(path)
    if path not in JOB_KINDS:
        raise LookupError(f"{path} is not a job")
    return JOB_KINDS[path]


def label_of(path: str) -> str:
    try:
        return kind_of(path).label
    except (ImportError, LookupError):
        return path


class Progress:
    """Tells the job's page how far it has gone (a percentage and a few words); written at
    once, outside any transaction the work holds."""

    def __init__(self, job_id: int):
        self.job_id = job_id

    def __call__(self, percent: int, message: str = "") -> None:
        fields: dict[str, Any] = {"progress": max(0, min(100, int(percent)))}
        if message:
            fields["message"] = message
        Job.objects.filter(pk=self.job_id).update(**fields)


def broker_url() -> str:
    return getattr(settings, "CELERY_BROKER_URL", "") or ""


def run_job(
    function,
    *,
    acting_user,
    unit=None,
    payload: bytes | None = None,
    **arguments,
) -> Job:
    """Record a job and start it: on the Celery queue when there is a broker, else in-process
    (it has finished when this returns)."""
    kind = kind_of(function.job_kind)
    person = None if is_system(acting_user) else acting_user
    created = Job.objects.create(
        kind=kind.path,
        unit=unit,
        arguments={**arguments, "system_actor": acting_user.name if person is None else ""},
        payload=payload,
        created_by=person,
        created_by_name=acting_user.get_full_name() or str(acting_user),
    )
    if broker_url():
        transaction.on_commit(lambda: enqueue(created.pk))
    else:
        execute(created.pk)
        created.refresh_from_db()
    return created


def enqueue(job_id: int) -> None:
    from recovery.celery import app, run_job_task

    with app.connection_for_write(broker_url()) as connection:
        run_job_task.apply_async(
            (job_id,), connection=connection, queue=settings.CELERY_TASK_DEFAULT_QUEUE
        )


def _actor(job_row: Job):
    if job_row.created_by_id is not None:
        return job_row.created_by
    from recovery.core import scope

    name = job_row.arguments.get("system_actor") or COMMAND_LINE.name
    known = [a for a in vars(scope).values() if isinstance(a, scope.SystemActor)]
    return next((a for a in known if a.name == name), COMMAND_LINE)


def execute(job_id: int) -> None:
    """Run a queued job once: claimed (queued -> running) in one statement, so a job delivered
    twice runs once."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), progress=0
    )
    if not claimed:
        return
    job_row = Job.objects.select_related("created_by").get(pk=job_id)
    arguments = {k: v for k, v in job_row.arguments.items() if k != "system_actor"}
    try:
        kind = kind_of(job_row.kind)
        result = kind.function(job_row, Progress(job_id), acting_user=_actor(job_row), **arguments)
    except InvalidUpload as error:
        problems = [str(p) for p in error.problems[:100]]
        _finish(
            job_id, Job.Status.FAILED, error.message, {"problems": problems, "total": error.total}
        )
    except DomainError as error:
        _finish(job_id, Job.Status.FAILED, error.message, {})
    except Exception:  # noqa: BLE001 - whatever went wrong, the job says it failed
        log.exception("job %s (%s) failed", job_id, job_row.kind)
        _finish(job_id, Job.Status.FAILED, UNEXPECTED, {})
    else:
        _finish(job_id, Job.Status.DONE, result.get("summary", "Done."), result)


def _finish(job_id: int, status: str, message: str, result: dict) -> None:
    fields: dict[str, Any] = {
        "status": status,
        "message": message,
        "result": result,
        "finished_at": timezone.now(),
        "payload": None,
    }
    if status == Job.Status.DONE:
        fields["progress"] = 100
    Job.objects.filter(pk=job_id).update(**fields)
