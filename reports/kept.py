"""Exports kept on disk until a record they are worked out from changes (decision 0006).

An export is written to a file as it streams to the person who asked for it; the next person to
ask for the same export, while the records it comes from are unchanged, is sent that file. The
file's name comes from what the export holds and the version of the records (hubportal.changes),
so a change means a new file. Files of earlier versions, and any from an earlier day, are deleted
when a new file is kept. A file is kept only once complete: an export cut off half-way (the
person left) leaves nothing behind.
"""

import hashlib
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.http import FileResponse

from hubportal import changes

from .exports import XLSX_TYPE, response
from .selectors import REPORTED_APPS

KEPT_SECONDS = 24 * 60 * 60
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def kept_response(make_export, fmt: str, holds: str, filename: str):
    """The export as a download: the kept file if there is one for what it `holds` (a text that
    says which rows: the filters and the hubs they cover) and the records as they are now;
    otherwise `make_export()`, kept as it streams. `filename` has no extension."""
    what = _digest(f"{holds}:{fmt}")
    path = _folder() / f"{what}-{_digest(changes.version(*REPORTED_APPS))}.{fmt}"
    try:
        file = path.open("rb")
    except FileNotFoundError:
        made = response(make_export(), fmt)
        made.streaming_content = _keeping(made.streaming_content, path, what)
        return made
    return FileResponse(
        file, as_attachment=True, filename=f"{filename}.{fmt}", content_type=CONTENT_TYPES[fmt]
    )


def _keeping(chunks, path: Path, what: str):
    """The chunks as they come, written to `path` as well once they have all come."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
    try:
        with part.open("wb") as file:
            for chunk in chunks:
                file.write(chunk)
                yield chunk
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    _forget_older(path, what)


def _forget_older(kept: Path, what: str) -> None:
    """Delete the files of this export's earlier versions, and any file from an earlier day."""
    day_ago = time.time() - KEPT_SECONDS
    for other in kept.parent.iterdir():
        if other == kept:
            continue
        try:
            recent = other.stat().st_mtime > day_ago
            # A part file is another export being written now, unless it was left a day ago.
            if not recent or (other.suffix != ".part" and other.name.startswith(f"{what}-")):
                other.unlink()
        except FileNotFoundError:
            pass  # deleted meanwhile by another process
