"""Saving uploaded files: size limit, type sniffed from the bytes, a random name under instance/uploads."""

import os
import secrets
import unicodedata
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.rules import files

DOCUMENT_TYPES = ("application/pdf", "image/png", "image/jpeg")
PHOTO_TYPES = ("image/png", "image/jpeg")


class UploadRefused(Exception):
    """An upload that is too large, empty or of a type not accepted here; carries a translated message."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    """Where an accepted upload now lives, and what it is."""

    stored_name: str
    original_name: str
    content_type: str
    size: int


def save_upload(upload, allowed=DOCUMENT_TYPES) -> StoredFile:
    """Check size and real type of `upload`, write it under UPLOAD_FOLDER with a random name."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    content = upload.stream.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(_l("The file is larger than %(mb)d MB.", mb=limit // 2**20))
    if not content:
        raise UploadRefused(_l("The file is empty."))
    sniffed = files.sniff(content[:16])
    if sniffed is None or sniffed[0] not in allowed or not files.matches_name(upload.filename or "", sniffed[1]):
        if allowed == PHOTO_TYPES:
            raise UploadRefused(_l("Only PNG and JPEG photos are accepted."))
        raise UploadRefused(_l("Only PDF, PNG and JPEG files are accepted."))
    content_type, extension = sniffed
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, stored_name), "wb") as out:
        out.write(content)
    return StoredFile(stored_name, original_name(upload.filename), content_type, len(content))


def original_name(filename: str | None) -> str:
    """The name the file is listed and downloaded under: no folders, no control or direction characters.

    A CR/LF would make the download's Content-Disposition header impossible (a 500 for every visitor);
    a right-to-left override would make "gnp.pdf" look like another file type.
    """
    name = os.path.basename((filename or "").replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:200] or "file"


def upload_path(stored_name: str) -> str:
    """Where an upload's bytes live on disk."""
    return os.path.join(current_app.config["UPLOAD_FOLDER"], stored_name)


def remove_upload(stored_name: str) -> None:
    """Delete an upload's file if it is still there."""
    path = upload_path(stored_name)
    if os.path.exists(path):
        os.remove(path)
