"""Check an uploaded .xlsx as a zip archive before any XML parser sees it.

An XLSX file is a zip of XML parts. A "zip bomb" (a few kilobytes that inflate to
gigabytes), an archive with hostile entry names, or another file renamed to .xlsx must be
refused with a clear message before openpyxl opens it (quality.md R4). The generic zip
checks (unpacked size and ratio, entry names) are papitrack/lib/archives.py's; this module
adds the limits of a spreadsheet upload (5 MB, 200 parts, the parts an XLSX must have).
The XML itself is then parsed by openpyxl with defusedxml installed, which refuses entity
expansion ("billion laughs").
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from papitrack.lib.archives import ArchiveError, check_zip

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 200
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
ZIP_MAGIC = b"PK\x03\x04"

EMPTY_FILE = "Tệp «{name}» rỗng."
TOO_LARGE = "Tệp «{name}» quá lớn ({size} MB); tối đa {limit} MB."
NOT_XLSX = (
    "Tệp «{name}» không phải bảng tính Excel .xlsx (hệ thống kiểm tra nội dung tệp, không chỉ "
    "phần đuôi tên). Hãy dùng đúng tệp mẫu tải từ papitrack và lưu dạng Excel Workbook (.xlsx)."
)
OLD_EXCEL = (
    "Tệp «{name}» là bảng tính Excel 97–2003 (.xls). Hãy mở bằng Excel hoặc LibreOffice và lưu "
    "lại dạng Excel Workbook (.xlsx)."
)
MACRO_WORKBOOK = "Tệp «{name}» có macro (VBA); hãy lưu lại dạng .xlsx không có macro."
TOO_MANY_ENTRIES = (
    "Tệp «{name}» có {count} thành phần nén, nhiều bất thường (tối đa {limit}); tệp bị từ chối "
    "để bảo đảm an toàn."
)
REFUSED = (
    "Tệp «{name}» bị từ chối để bảo đảm an toàn: {reason}. Tệp nén kiểu này thường là tệp "
    "độc hại (ví dụ «zip bomb» giải nén ra hàng gigabyte)."
)
BROKEN_ARCHIVE = "Tệp «{name}» bị hỏng (không đọc được cấu trúc nén)."
ENCRYPTED = "Tệp «{name}» được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại."

# The first bytes of an OLE2 compound file: .xls, and password-protected .xlsx.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class ArchiveFacts:
    entries: int
    compressed: int
    uncompressed: int


def check_xlsx_archive(*, name: str, content: bytes) -> ArchiveFacts:
    """Refuse anything but a plain, reasonably sized XLSX zip; say why in Vietnamese."""
    if not content:
        raise ValidationError(EMPTY_FILE.format(name=name))
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            TOO_LARGE.format(
                name=name,
                size=round(len(content) / 1024 / 1024, 1),
                limit=MAX_UPLOAD_BYTES // 1024 // 1024,
            )
        )
    if content.startswith(OLE2_MAGIC):
        # Either an old .xls or an encrypted .xlsx: both are OLE2 containers.
        raise ValidationError(OLD_EXCEL.format(name=name))
    if not content.startswith(ZIP_MAGIC):
        raise ValidationError(NOT_XLSX.format(name=name))
    try:
        entries = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ValidationError(BROKEN_ARCHIVE.format(name=name)) from error
    try:
        # Entry count, unpacked size and ratio (≤ 100), entry names and links: shared with
        # the evidence upload check.
        check_zip(content)
    except ArchiveError as error:
        raise ValidationError(REFUSED.format(name=name, reason=error.args[0])) from error
    # An XLSX workbook has a few dozen parts; papitrack's templates about fifteen.
    if len(entries) > MAX_ENTRIES:
        raise ValidationError(
            TOO_MANY_ENTRIES.format(name=name, count=len(entries), limit=MAX_ENTRIES)
        )
    uncompressed = sum(entry.file_size for entry in entries)
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ValidationError(ENCRYPTED.format(name=name))
    names = {entry.filename for entry in entries}
    if not all(part in names for part in REQUIRED_PARTS):
        raise ValidationError(NOT_XLSX.format(name=name))
    if "xl/vbaProject.bin" in names:
        raise ValidationError(MACRO_WORKBOOK.format(name=name))
    return ArchiveFacts(entries=len(entries), compressed=len(content), uncompressed=uncompressed)
