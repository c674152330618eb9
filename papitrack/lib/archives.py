"""Checks on zip-based uploads (XLSX, DOCX) before any library unpacks them (ASVS 5.2.3)."""

from __future__ import annotations

import io
import stat
import zipfile

MAX_ENTRIES = 2000
# Office files compress XML about 5 to 20 times; a zip bomb, thousands of times.
MAX_RATIO = 100
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024

TOO_MANY_ENTRIES = "tệp nén có quá nhiều thành phần ({count})"
TOO_LARGE_UNPACKED = "tệp nén giải ra quá lớn ({megabytes} MB)"
UNSAFE_NAME = "tệp nén chứa đường dẫn không an toàn «{name}»"
NOT_A_ZIP = "không phải tệp nén hợp lệ"


# What zipfile may raise on a damaged or hostile archive (UnicodeDecodeError is a ValueError;
# an unsupported zip version is NotImplementedError; an encrypted member is RuntimeError).
ZIP_READ_ERRORS = (
    zipfile.BadZipFile,
    NotImplementedError,
    ValueError,
    OSError,
    EOFError,
    RuntimeError,
)


class ArchiveError(ValueError):
    """The archive is refused; args[0] says why, in Vietnamese, to follow "Tệp ... :"."""


def _is_unsafe_name(info: zipfile.ZipInfo) -> bool:
    name = info.filename.replace("\\", "/")
    is_link = stat.S_ISLNK(info.external_attr >> 16)
    return is_link or name.startswith("/") or ":" in name.split("/")[0] or ".." in name.split("/")


def check_zip(content: bytes) -> None:
    """Refuse an archive with too many entries, a large unpacked size or unsafe entry names
    (absolute paths, "..", drive letters, symbolic links), reading only its directory."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except ZIP_READ_ERRORS as error:
        raise ArchiveError(NOT_A_ZIP) from error
    if len(entries) > MAX_ENTRIES:
        raise ArchiveError(TOO_MANY_ENTRIES.format(count=len(entries)))
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNCOMPRESSED_BYTES or unpacked > MAX_RATIO * max(len(content), 1):
        raise ArchiveError(TOO_LARGE_UNPACKED.format(megabytes=unpacked // 1024 // 1024))
    for entry in entries:
        if _is_unsafe_name(entry):
            raise ArchiveError(UNSAFE_NAME.format(name=entry.filename[:80]))
