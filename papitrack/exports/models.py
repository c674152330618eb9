"""Document jobs (drafts generated in the background) and spreadsheet imports."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from papitrack.exports.enums import DocumentKind, ImportStatus, JobStatus


class DocumentJob(models.Model):
    """One request to draft a document; the page polls its progress and downloads the files.

    The files are kept in the database: a drafted report is a few hundred kilobytes, and the
    row then needs no file storage, no cleanup of orphans and no second permission check.
    """

    kind = models.CharField("loại văn bản", max_length=30, choices=DocumentKind.choices)
    parameters = models.JSONField(
        "tham số", default=dict, help_text="Kế hoạch, kỳ, đơn vị và các dòng ký."
    )
    title = models.CharField("tên văn bản", max_length=300)
    status = models.CharField(
        "trạng thái", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    step = models.CharField("bước đang làm", max_length=200, blank=True)
    with_pdf = models.BooleanField("tạo cả PDF", default=True)
    docx = models.BinaryField("tệp Word", null=True, blank=True, editable=False)
    pdf = models.BinaryField("tệp PDF", null=True, blank=True, editable=False)
    file_stem = models.CharField("tên tệp (không đuôi)", max_length=150)
    error = models.TextField("lỗi", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="document_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "yêu cầu tạo văn bản"
        verbose_name_plural = "yêu cầu tạo văn bản"
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}


class SpreadsheetImport(models.Model):
    """An uploaded spreadsheet for one report: checked (dry run), then committed or not.

    The file stays here between the dry run and the commit, so the commit writes exactly
    what the user saw checked; `report_version` is the version the dry run compared with.
    """

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="spreadsheet_imports"
    )
    file_name = models.CharField("tên tệp", max_length=200)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(editable=False)
    report_version = models.PositiveIntegerField("phiên bản báo cáo khi kiểm tra")
    status = models.CharField(
        "trạng thái", max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED
    )
    summary = models.JSONField("kết quả kiểm tra", default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spreadsheet_imports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "tệp Excel nhập số liệu"
        verbose_name_plural = "tệp Excel nhập số liệu"

    def __str__(self) -> str:
        return f"{self.file_name} · {self.get_status_display()}"
