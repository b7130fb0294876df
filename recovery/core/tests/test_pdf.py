"""The PDF renderer (recovery.core.pdf): a template becomes a real PDF whose text reads back,
non-ASCII characters included, and nothing is fetched from the network while it is made."""

import gc
import http.server
import io
import threading

import pytest
from django.test import RequestFactory, override_settings
from pypdf import PdfReader
from weasyprint.urls import fetch

from recovery.core.pdf import (
    ASSETS,
    STYLESHEET,
    RemoteUrlRefused,
    collector_paused,
    html_to_pdf,
    local_only_fetcher,
    pdf_response,
)

NOTE = "Governor’s note – £5"


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def templates(tmp_path, settings):
    """A template directory of the test's own, searched before the service's templates."""
    directory = tmp_path / "templates"
    directory.mkdir()
    engine = {**settings.TEMPLATES[0], "DIRS": [directory, *settings.TEMPLATES[0]["DIRS"]]}
    with override_settings(TEMPLATES=[engine]):
        yield directory


def test_a_template_becomes_a_pdf_whose_text_reads_back(templates):
    (templates / "note.html").write_text(
        '{% extends "pdf/base.html" %}{% block title %}Note{% endblock %}'
        "{% block content %}<h1>{{ heading }}</h1><p>{{ note }}</p>{% endblock %}",
        encoding="utf-8",
    )
    request = RequestFactory().get("/")

    response = pdf_response(
        request, "note.html", {"heading": "HMP Ashgrove", "note": NOTE}, "note ’24.pdf"
    )

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")
    text = text_of(response.content)
    assert "HMP Ashgrove" in text
    assert NOTE in text
    assert "Page 1 of 1" in text


def test_user_text_is_escaped_not_run_as_markup(templates):
    (templates / "note.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<p>{{ note }}</p>{% endblock %}',
        encoding="utf-8",
    )

    response = pdf_response(
        RequestFactory().get("/"), "note.html", {"note": "<b>5 < 6</b>"}, "a.pdf"
    )

    assert "<b>5 < 6</b>" in text_of(response.content)


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    """A real HTTP server on this machine that notes every request made to it."""
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    server.shutdown()
    server.server_close()


def test_nothing_is_fetched_from_the_network(web_server):
    base, requests = web_server
    html = (
        f'<html><head><link rel="stylesheet" href="{base}/style.css">'
        f"<style>@import url({base}/imported.css);</style></head>"
        f'<body><p>Still made</p><img src="{base}/crest.png" alt="crest">'
        f'<p style="background: url({base}/background.png)">x</p></body></html>'
    )

    data = html_to_pdf(html)

    assert "Still made" in text_of(data)
    assert requests == []


def test_the_recorder_would_have_seen_a_fetch(web_server):
    """The server above does note requests: without our fetcher WeasyPrint would call it."""
    from weasyprint import HTML

    base, requests = web_server
    HTML(string=f'<link rel="stylesheet" href="{base}/style.css"><p>x</p>').write_pdf()

    assert requests == ["/style.css"]


def test_only_our_own_asset_files_may_be_opened():
    fetcher = local_only_fetcher()

    with pytest.raises(RemoteUrlRefused):
        fetcher.fetch("file:///etc/hostname")
    with pytest.raises(RemoteUrlRefused):
        fetcher.fetch((ASSETS / ".." / "pdf.py").resolve().as_uri())
    with fetch(fetcher, STYLESHEET.as_uri()) as stylesheet:
        assert b"size: A4" in stylesheet.read()


def test_the_garbage_collector_is_paused_while_a_pdf_is_made_and_back_after():
    assert gc.isenabled()
    seen = []
    started, finish = threading.Event(), threading.Event()

    def another_pdf():
        with collector_paused():
            seen.append(gc.isenabled())
            started.set()
            finish.wait(5)

    other = threading.Thread(target=another_pdf)
    other.start()
    started.wait(5)
    with collector_paused():
        seen.append(gc.isenabled())
    # This one is done, the other thread's is not: still paused.
    seen.append(gc.isenabled())
    finish.set()
    other.join(5)

    assert seen == [False, False, False]
    assert gc.isenabled()
    assert "HMP Ashgrove" in text_of(html_to_pdf("<p>HMP Ashgrove</p>"))
    assert gc.isenabled()


def test_the_collector_comes_back_when_a_pdf_fails_and_stays_off_if_it_was_off():
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the render failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
