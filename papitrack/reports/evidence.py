"""Evidence files: checked by content, stored outside the web root under random names."""

from __future__ import annotations

import errno
import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from papitrack.lib.archives import ZIP_READ_ERRORS, ArchiveError, check_zip

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_RATIO = 100

TOO_LARGE = "Tệp «{name}» quá lớn ({size} MB); tối đa {limit} MB."
EMPTY = "Tệp «{name}» rỗng."
WRONG_TYPE = (
    "Tệp «{name}» không phải loại được chấp nhận (PDF, ảnh JPG/PNG, Word DOCX, Excel XLSX); "
    "hệ thống kiểm tra nội dung tệp, không chỉ phần đuôi tên."
)
ZIP_BOMB = "Tệp «{name}» có cấu trúc nén bất thường và bị từ chối để bảo đảm an toàn."
STORAGE_FULL = (
    "Máy chủ hết dung lượng lưu trữ nên chưa lưu được tệp. Vui lòng báo quản trị hệ thống "
    "và gửi lại tệp sau."
)
# Out of space, or over the disk quota: the operator must act, the user can only retry later.
STORAGE_FULL_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT})


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    sha256: str
    size: int


def sanitise_filename(name: str) -> str:
    """Keep a readable, safe display name: no folders, no control characters, NFC."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").split("/")[-1]
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", name).strip(" .")
    return name[:150] or "tep-minh-chung"


def _office_kind(content: bytes, name: str) -> tuple[str, str] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except ZIP_READ_ERRORS:
        return None
    entries = archive.infolist()
    uncompressed = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or uncompressed > MAX_ZIP_RATIO * max(len(content), 1):
        raise ValidationError(ZIP_BOMB.format(name=name))
    try:
        # Also entry names: no "..", absolute paths or symbolic links (ASVS 5.2.3-5.2.5).
        check_zip(content)
    except ArchiveError as error:
        raise ValidationError(ZIP_BOMB.format(name=name)) from error
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        return None
    if any(entry.startswith("word/") for entry in names):
        return (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    if any(entry.startswith("xl/") for entry in names):
        return "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def check_evidence_file(*, name: str, content: bytes) -> CheckedFile:
    """Accept PDF, JPEG, PNG, DOCX and XLSX by their content; refuse anything else."""
    if not content:
        raise ValidationError(EMPTY.format(name=name))
    if len(content) > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            TOO_LARGE.format(
                name=name,
                size=round(len(content) / 1024 / 1024, 1),
                limit=MAX_EVIDENCE_BYTES // 1024 // 1024,
            )
        )
    kind: tuple[str, str] | None
    if content.startswith(b"%PDF-"):
        kind = ("pdf", "application/pdf")
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = ("png", "image/png")
    elif content.startswith(b"\xff\xd8\xff"):
        kind = ("jpg", "image/jpeg")
    elif content.startswith(b"PK\x03\x04"):
        kind = _office_kind(content, name)
    else:
        kind = None
    if kind is None:
        raise ValidationError(WRONG_TYPE.format(name=name))
    return CheckedFile(
        extension=kind[0],
        content_type=kind[1],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def evidence_root() -> Path:
    return Path(settings.EVIDENCE_ROOT)


def store_evidence_bytes(*, content: bytes, extension: str) -> str:
    """Write the bytes under a random name, via a temporary file, so no half file remains.

    A full disk raises ValidationError(STORAGE_FULL); the half-written temporary is removed.
    """
    stored_name = f"{uuid.uuid4().hex}.{extension}"
    root = evidence_root()
    temporary = root / f".{stored_name}.part"
    try:
        root.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(content)
        temporary.replace(root / stored_name)
    except OSError as error:
        if error.errno in STORAGE_FULL_ERRORS:
            raise ValidationError(STORAGE_FULL) from error
        raise
    finally:
        temporary.unlink(missing_ok=True)
    return stored_name


def evidence_path(stored_name: str) -> Path:
    # Stored names are generated here (hex + extension), never taken from the user.
    if not re.fullmatch(r"[0-9a-f]{32}\.[a-z]{3,4}", stored_name):
        raise ValueError("invalid stored evidence name")
    return evidence_root() / stored_name
