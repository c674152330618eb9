"""A full disk during an upload: a clear Vietnamese error, no half file, nothing in the database.

The disk is a real 64 KB tmpfs when the tests run as root (CI and the dev machines do); where
mounting is not allowed, that variant is skipped and the mock variant (the write stops half way
with ENOSPC) still runs.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from papitrack.audit.models import AuditEntry
from papitrack.reports import services
from papitrack.reports.evidence import STORAGE_FULL, store_evidence_bytes
from papitrack.reports.models import Evidence, Report
from tests.reports.helpers import report_for

pytestmark = pytest.mark.django_db

TMPFS_BYTES = 64 * 1024
# Larger than the tmpfs, well under the 10 MB limit; the content check reads only the header.
LARGE_PDF = b"%PDF-1.4\n" + b"0" * (4 * TMPFS_BYTES)


def _mount_tmpfs(path: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    result = subprocess.run(  # noqa: S603 - fixed arguments, a path under tmp_path
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES},mode=0700", "tmpfs", str(path)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def _unmount(path: Path) -> None:
    if subprocess.run(["umount", str(path)], check=False).returncode != 0:  # noqa: S603, S607
        subprocess.run(["umount", "-l", str(path)], check=False)  # noqa: S603, S607


@pytest.fixture(params=["tmpfs", "mock"])
def full_disk(request, tmp_path, settings, monkeypatch):
    """EVIDENCE_ROOT on a disk that fills up during the write; yields that folder."""
    root = tmp_path / "evidence"
    root.mkdir()
    settings.EVIDENCE_ROOT = root
    if request.param == "mock":
        write_bytes = Path.write_bytes

        def write_half_then_fail(path: Path, data: bytes) -> int:
            if path.parent != root:
                return write_bytes(path, data)
            write_bytes(path, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

        monkeypatch.setattr(Path, "write_bytes", write_half_then_fail)
        yield root
        return
    if not _mount_tmpfs(root):
        pytest.skip("mounting a tmpfs needs root; the mock variant covers this machine")
    try:
        yield root
    finally:
        _unmount(root)


def test_upload_on_a_full_disk_leaves_no_file_and_no_row(full_disk, user_named):
    report = report_for("D2-T2", "20605")
    audit_entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.add_evidence(
            report_id=report.pk,
            actor=user_named("demo-commune"),
            kpi_code="D2-T2-K1",
            file_name="biên bản.pdf",
            content=LARGE_PDF,
        )
    assert error.value.messages == [STORAGE_FULL]
    assert list(full_disk.iterdir()) == []
    assert Evidence.objects.filter(report=report).count() == 0
    assert Report.objects.get(pk=report.pk).version == report.version
    assert AuditEntry.objects.count() == audit_entries


def test_api_upload_on_a_full_disk_answers_422_with_the_reason(full_disk, client, user_named):
    report = report_for("D2-T2", "20605")
    client.force_login(user_named("demo-commune"))
    upload = SimpleUploadedFile("biên bản.pdf", LARGE_PDF, content_type="application/pdf")
    response = client.post(
        f"/api/v1/reports/{report.pk}/evidence", data={"kpi_code": "D2-T2-K1", "file": upload}
    )
    assert response.status_code == 422
    assert response.json() == {"detail": "Dữ liệu không hợp lệ.", "errors": [STORAGE_FULL]}
    assert list(full_disk.iterdir()) == []
    assert Evidence.objects.filter(report=report).count() == 0


def test_other_storage_errors_are_not_reported_as_a_full_disk(tmp_path, settings, monkeypatch):
    settings.EVIDENCE_ROOT = tmp_path

    def refuse(path: Path, data: bytes) -> int:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    with pytest.raises(PermissionError):
        store_evidence_bytes(content=LARGE_PDF, extension="pdf")
    assert list(tmp_path.iterdir()) == []
