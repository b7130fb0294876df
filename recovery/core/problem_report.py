"""Showing the problems of a rejected upload: the first PROBLEMS_SHOWN on the page, how many
there are, and the whole list as a workbook to download.

Every upload page uses the same two calls and the one partial
(`components/upload_problems.html`):

    except InvalidUpload as error:
        context.update(problem_context(request, error))
    ...
    if (download := problem_download(request)) is not None:   # at the top of the view (GET)
        return download

The whole list is stored in the database (`ProblemReport`) under a random token bound to the
person who uploaded the file, so any web server process can answer the download; it is kept
for PROBLEM_REPORT_MINUTES."""

import datetime
import json
import secrets
import zlib

from django.http import Http404, HttpResponse
from django.utils import timezone

from recovery.core.errors import InvalidUpload, Problem
from recovery.core.imports import PROBLEMS_SHOWN
from recovery.core.models import ProblemReport
from recovery.core.xlsx import Sheet, xlsx_response

PROBLEM_REPORT_MINUTES = 60
DOWNLOAD_PARAMETER = "problems"


def _store(user, error: InvalidUpload) -> str:
    now = timezone.now()
    ProblemReport.objects.filter(
        created_at__lt=now - datetime.timedelta(minutes=PROBLEM_REPORT_MINUTES)
    ).delete()
    token = secrets.token_urlsafe(24)
    rows = [[p.sheet, p.row, p.column, p.reason] for p in error.problems]
    ProblemReport.objects.create(
        token=token,
        user=user,
        total=error.total,
        problems=zlib.compress(json.dumps(rows).encode(), 6),
    )
    return token


def problem_context(request, error: InvalidUpload) -> dict:
    """What the upload-problems partial needs: the first problems, the total, and (when there
    are more than the page shows) the address of the whole list."""
    context = {
        "upload_problems": error.problems[:PROBLEMS_SHOWN],
        "upload_problems_total": f"{error.total:,}",
        "upload_problems_download": "",
    }
    if error.total > PROBLEMS_SHOWN and getattr(request.user, "pk", None):
        token = _store(request.user, error)
        context["upload_problems_download"] = f"{request.path}?{DOWNLOAD_PARAMETER}={token}"
    return context


def problem_download(request) -> HttpResponse | None:
    """The whole list of problems as .xlsx if the request asks for it (None if it does not);
    404 for a token that is not the user's or has expired."""
    token = request.GET.get(DOWNLOAD_PARAMETER)
    if token is None:
        return None
    since = timezone.now() - datetime.timedelta(minutes=PROBLEM_REPORT_MINUTES)
    report = ProblemReport.objects.filter(
        token=token, user=request.user, created_at__gte=since
    ).first()
    if report is None:
        raise Http404("That list of problems has expired: upload the file again.")
    rows = json.loads(zlib.decompress(bytes(report.problems)))
    problems = [Problem(*row) for row in rows]
    kept = len(problems)
    sheets = [
        Sheet(
            "Problems",
            ["Sheet", "Row", "Column", "Problem"],
            ([p.sheet or "Whole file", p.row, p.column, p.reason] for p in problems),
        )
    ]
    if report.total > kept:
        sheets.append(
            Sheet(
                "About",
                ["Note"],
                [[f"The file has {report.total:,} problems; the first {kept:,} are listed."]],
            )
        )
    return xlsx_response("upload-problems.xlsx", sheets)
