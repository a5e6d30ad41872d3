"""Recognising uploaded files by their first bytes, not by the name or type a browser claims."""

SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg"}


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) for a PDF, PNG or JPEG header, else None."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def matches_name(filename: str, extension: str) -> bool:
    """True when the file's name ends in an extension of the sniffed type."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return EXTENSIONS.get(suffix) == extension
