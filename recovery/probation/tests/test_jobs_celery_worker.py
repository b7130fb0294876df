"""One job through a REAL Celery worker (`celery -A recovery worker --pool=solo`, a separate
process) against the machine's Redis, as in production: the job is queued on the broker, the
worker claims it, allocates, and the Job row says done.

Needs PostgreSQL (a database the worker process can reach, with the test's data committed) and
Redis at 127.0.0.1:6379 (database 15; .ci/run starts redis-server). Without Redis the test
FAILS rather than skips: CI must run it. On SQLite (the fast loop) it is skipped."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from recovery.core.jobs import run_job
from recovery.core.models import Job
from recovery.core.scope import COMMAND_LINE
from recovery.probation import jobs
from recovery.probation.caseload_factories import make_case, weekly_capacity
from recovery.probation.caseload_models import Case

BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the worker is another process and must reach the test database",
    ),
]


@pytest.fixture(autouse=True)
def _audit_emptied_before_flush(transactional_db):
    yield
    from recovery.audit.models import AuditEvent
    from recovery.core.append_only import empty_for_tests

    empty_for_tests(AuditEvent)


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def test_a_job_runs_through_a_real_celery_worker(small_estate, tmp_path):
    assert _redis_answers(), (
        f"No Redis answers at {BROKER}: start redis-server (CI does, in .ci/run). This test "
        "must run a real worker, so it fails rather than skips."
    )
    weekly_capacity(small_estate.office_1, 2)
    make_case(small_estate.pdu_1, "X000001", "high", domestic_abuse=True)
    make_case(small_estate.pdu_1, "X000002", "high")
    make_case(small_estate.pdu_1, "X000003", "medium", domestic_abuse=True)
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "recovery.settings.test",
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
    }
    log = tmp_path / "worker.log"
    with open(log, "w") as output:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "recovery",
                "-b",
                BROKER,
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        with override_settings(CELERY_BROKER_URL=BROKER, CELERY_TASK_DEFAULT_QUEUE=queue):
            job = run_job(
                jobs.allocate_national, acting_user=COMMAND_LINE, unit=small_estate.nation
            )
        assert Job.objects.get(pk=job.pk).status == "queued"  # not run here: on the queue
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.finished:
                break
            assert worker.poll() is None, f"The worker stopped:\n{log.read_text()}"
            time.sleep(0.3)
        assert job.status == "done", f"{job.status}: {job.message}\n{log.read_text()}"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        import redis

        redis.Redis.from_url(BROKER).delete(queue)
    assert job.result["moved"] == 2
    assert job.message.startswith("National allocation: 1 PDUs started a wave, 2 cases moved")
    assert sorted(
        Case.objects.filter(contact_mode="face_to_face").values_list("reference", flat=True)
    ) == ["X000001", "X000002"]
