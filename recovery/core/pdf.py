"""PDF documents: an HTML template rendered to PDF bytes with WeasyPrint, the one PDF renderer
(as `recovery.core.xlsx` is the one spreadsheet writer).

A PDF template extends `pdf/base.html` and is styled only by our own print stylesheet
(`pdf_assets/print.css`: A4, GOV.UK-like type in fonts Debian installs, Liberation Sans then
DejaVu Sans). Nothing is fetched from the network while rendering: `LocalOnlyFetcher` refuses
every URL but `data:` and files under `pdf_assets/`, so a link or image a user typed into the
content cannot make the server call out, and a PDF reads the same offline.

WeasyPrint needs Pango and HarfBuzz from the system (scripts/ensure_pdf_libraries.py installs
them). It is imported only when a PDF is made, so the rest of the service starts without them.

While WeasyPrint works, Python's cyclic garbage collector is paused (`collector_paused`): laying
out a long document makes millions of small objects that live until the PDF is written, and the
collector walked them again and again for about a fifth of the time of the 1,200-baseline plan
report (docs/performance.md, section 12). Reference counting still frees memory as usual; the
peak memory of that report was the same (163 MB against 166 MB)."""

import gc
import threading
from contextlib import contextmanager
from pathlib import Path

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

ASSETS = Path(__file__).resolve().parent / "pdf_assets"
STYLESHEET = ASSETS / "print.css"
PDF_CONTENT_TYPE = "application/pdf"


class RemoteUrlRefused(ValueError):
    """Raised for a URL the renderer may not open (WeasyPrint logs it and leaves it out)."""


def local_only_fetcher():
    """A WeasyPrint URL fetcher that opens `data:` URLs and our own asset files, nothing else."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:") or _is_our_asset(url):
                return super().fetch(url, headers)
            raise RemoteUrlRefused(f"PDFs are made without fetching anything: {url} refused")

    return LocalOnlyFetcher(allowed_protocols={"data", "file"}, allow_redirects=False)


def _is_our_asset(url: str) -> bool:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    return Path(unquote(parts.path)).resolve().is_relative_to(ASSETS)


_collector_lock = threading.Lock()
_collector = {"renders": 0, "was_enabled": True}


@contextmanager
def collector_paused():
    """The cyclic garbage collector off while the block runs, back as it was when the last of
    the PDFs being made at once (one a thread) is finished."""
    with _collector_lock:
        if _collector["renders"] == 0:
            _collector["was_enabled"] = gc.isenabled()
            gc.disable()
        _collector["renders"] += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector["renders"] -= 1
            if _collector["renders"] == 0 and _collector["was_enabled"]:
                gc.enable()


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML document, styled by our print stylesheet."""
    from weasyprint import CSS, HTML

    fetcher = local_only_fetcher()
    with collector_paused():
        document = HTML(string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=fetcher)
        stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[stylesheet])


def render_pdf(template: str, context: dict, request=None) -> bytes:
    """PDF bytes of a Django template (one extending `pdf/base.html`)."""
    return html_to_pdf(render_to_string(template, context, request=request))


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    """A PDF download of `template` rendered with `context`."""
    response = HttpResponse(render_pdf(template, context, request), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
