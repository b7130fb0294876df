"""The probation centre's long work, as background jobs (recovery.core.jobs): the national
caseload import and the national allocation. Each calls its action, which checks the person's
permission, writes in one transaction and records the audit events: a failed job changed
nothing. Running either again is safe: an import states the caseload afresh; an allocation
skips PDUs whose previous wave awaits its review."""

import datetime

from recovery.core.jobs import Progress, job
from recovery.core.models import Job
from recovery.probation.caseload_actions import do_allocate_national, do_import_national_caseload


@job("Load the national caseload")
def import_national_caseload(job_row: Job, report: Progress, *, acting_user, file_name: str = ""):
    summary = do_import_national_caseload(
        bytes(job_row.payload or b""),
        acting_user=acting_user,
        file_name=file_name,
        progress=report,
    )
    return {
        "summary": summary.describe(),
        "pdus": len(summary.pdus),
        "cases": summary.cases,
        "by_category": summary.by_category,
    }


@job("Allocate face-to-face capacity nationally")
def allocate_national(job_row: Job, report: Progress, *, acting_user, starts_on: str = ""):
    day = datetime.date.fromisoformat(starts_on) if starts_on else None
    return do_allocate_national(acting_user=acting_user, starts_on=day, progress=report).as_dict()
