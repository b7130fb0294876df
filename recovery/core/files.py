"""Names of files people upload: the name the service shows and offers on download, and the
name it stores the file under.

A browser sends whatever name the file had: a Windows path, characters a terminal or a header
cannot carry, right-to-left overrides that make "report\u202efdp.exe" look like something else,
or more than the 255 bytes a filesystem allows in one name (150 Welsh or 85 Chinese characters
are enough). The shown name keeps what a person would recognise, shortened if need be with
its extension kept; the stored name is plain ASCII, short, and never breaks the filesystem.
"""

import os
import re
import unicodedata

from django.utils.text import slugify

# The most a shown (and downloaded) name may hold: within Evidence.file_name's column and well
# within the 255 bytes a filesystem allows for the name a browser saves the download under.
MAX_SHOWN_CHARS = 200
MAX_SHOWN_BYTES = 240
# The stored name's stem; the storage may add "_" and 7 characters to keep names unique.
MAX_STORED_STEM = 80
MAX_EXTENSION = 10
SHORTENED_MARK = "…"
DEFAULT_STEM = "document"
# Control, format (bidi overrides, zero-width), surrogate, private-use and unassigned characters.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def _split(name: str) -> tuple[str, str]:
    stem, extension = os.path.splitext(name)
    if len(extension) > MAX_EXTENSION:
        return name, ""
    return stem, extension


def _fits(text: str, max_chars: int, max_bytes: int) -> bool:
    return len(text) <= max_chars and len(text.encode("utf-8")) <= max_bytes


def shown_file_name(
    name: str, *, max_chars: int = MAX_SHOWN_CHARS, max_bytes: int = MAX_SHOWN_BYTES
) -> str:
    """The name to show and offer on download: the last part of any path, without controls,
    bidi or zero-width characters, spaces collapsed, and at most `max_chars` characters and
    `max_bytes` bytes of UTF-8 — the stem cut short and ended with "…" so the extension
    stays. "document" stands in for a name with nothing left."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = re.sub(r"\s+", " ", name)  # tabs and line breaks are spaces
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _HIDDEN_CATEGORIES)
    name = " ".join(name.split()).strip(" .")
    stem, extension = _split(name)
    stem = stem.strip() or DEFAULT_STEM
    if _fits(stem + extension, max_chars, max_bytes):
        return stem + extension
    stem = stem[: max_chars - len(SHORTENED_MARK + extension)]
    while stem and not _fits(stem + SHORTENED_MARK + extension, max_chars, max_bytes):
        stem = stem[:-1]
    return stem.rstrip() + SHORTENED_MARK + extension


def file_extension(name: str) -> str:
    """The extension of the shown name, lower case (".pdf"), or ""."""
    return _split(shown_file_name(name))[1].lower()


def stored_file_name(name: str) -> str:
    """The name to store an upload under: ASCII letters, digits and hyphens from the shown
    name (at most 80), then its extension in lower case — "visits-plan.pdf", or
    "document.pdf" when nothing of the name is ASCII."""
    stem, extension = _split(shown_file_name(name))
    stem = slugify(stem)[:MAX_STORED_STEM].strip("-_") or DEFAULT_STEM
    extension = "." + slugify(extension[1:]) if slugify(extension[1:]) else ""
    return stem + extension.lower()
