"""DOCX to PDF with LibreOffice headless, so that the PDF matches the Word file exactly.

Each call gets its own LibreOffice profile directory: two conversions sharing a profile
block each other (stack.md §7). The call is bounded by a timeout and leaves nothing behind.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE_NAMES = ("soffice", "libreoffice")
CONVERSION_TIMEOUT_SECONDS = 120
NOT_INSTALLED = (
    "Máy chủ chưa cài LibreOffice nên chưa tạo được tệp PDF "
    "(cài gói Debian libreoffice-writer-nogui); tệp Word vẫn tải được."
)
CONVERSION_FAILED = "LibreOffice không chuyển được văn bản sang PDF: {detail}"
CONVERSION_TIMED_OUT = "LibreOffice chuyển văn bản sang PDF quá {seconds} giây và đã bị dừng."


class PdfConversionError(RuntimeError):
    """LibreOffice is missing, failed or ran too long (the message is in Vietnamese)."""


def soffice_path() -> str:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfConversionError(NOT_INSTALLED)


def docx_to_pdf(docx: bytes, *, timeout: int = CONVERSION_TIMEOUT_SECONDS) -> bytes:
    """Convert a DOCX document to PDF bytes (about 1–2 s; the first start is slower)."""
    program = soffice_path()
    with tempfile.TemporaryDirectory(prefix="papitrack-pdf-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(docx)
        profile = folder / "profile"
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            completed = subprocess.run(  # noqa: S603 - fixed program and arguments
                command,
                capture_output=True,
                timeout=timeout,
                check=False,
                cwd=folder,
                env={"HOME": str(folder), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            )
        except subprocess.TimeoutExpired as error:
            raise PdfConversionError(CONVERSION_TIMED_OUT.format(seconds=timeout)) from error
        target = folder / "document.pdf"
        if completed.returncode != 0 or not target.exists():
            detail = (completed.stderr or completed.stdout).decode("utf-8", "replace").strip()
            raise PdfConversionError(CONVERSION_FAILED.format(detail=detail[-300:] or "?"))
        return target.read_bytes()
