"""Run document jobs: in a thread started after the request commits, or from the command.

`process_document_job` does the work and records progress on the row as it goes, so the
page that polls the job can show a progress bar. It is a plain function: tests call it
directly; the web and the API call `start_document_job`, which runs it in a thread once the
transaction that created the job has committed; `manage.py run_document_jobs` picks up jobs
that no thread finished (e.g. after a restart).
"""

from __future__ import annotations

import datetime
import logging
import threading

from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from papitrack.exports.documents.build import render_document
from papitrack.exports.enums import JobStatus
from papitrack.exports.models import DocumentJob
from papitrack.exports.pdf import PdfConversionError, docx_to_pdf

logger = logging.getLogger(__name__)

STEP_DATA = "Đang tổng hợp số liệu"
STEP_DOCX = "Đang soạn văn bản Word"
STEP_PDF = "Đang chuyển sang PDF"
STEP_DONE = "Đã xong"
UNKNOWN_PERIOD = "Không có kỳ báo cáo «{period}» trong kế hoạch."
FAILED = "Không tạo được văn bản do lỗi hệ thống; hãy thử lại hoặc báo quản trị hệ thống."
PDF_FAILED = "Đã tạo tệp Word nhưng chưa tạo được PDF: {detail}"
# A job running longer than this was abandoned (the process stopped): run it again.
STALE_AFTER = datetime.timedelta(minutes=15)


def _progress(job: DocumentJob, percent: int, step: str) -> None:
    job.progress = percent
    job.step = step
    DocumentJob.objects.filter(pk=job.pk).update(progress=percent, step=step)


def _claim(job_id: int) -> bool:
    """Mark a queued (or abandoned) job running; False when another worker has it."""
    stale = timezone.now() - STALE_AFTER
    claimed = DocumentJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=5, step=STEP_DATA
    ) or DocumentJob.objects.filter(
        pk=job_id, status=JobStatus.RUNNING, started_at__lt=stale
    ).update(started_at=timezone.now(), progress=5, step=STEP_DATA)
    return bool(claimed)


def process_document_job(job_id: int) -> DocumentJob:
    """Draft the job's document (DOCX, then PDF if asked) and store the files on the row.

    A failed PDF conversion keeps the Word file and says why; any other failure marks the
    job failed with a Vietnamese message (the details go to the log).
    """
    if not _claim(job_id):
        return DocumentJob.objects.get(pk=job_id)
    job = DocumentJob.objects.get(pk=job_id)
    try:
        _progress(job, 10, STEP_DATA)
        docx = render_document(job.kind, job.parameters)
        _progress(job, 60, STEP_PDF if job.with_pdf else STEP_DOCX)
        job.docx = docx
        DocumentJob.objects.filter(pk=job.pk).update(docx=docx)
        if job.with_pdf:
            try:
                job.pdf = docx_to_pdf(docx)
            except PdfConversionError as error:
                job.error = PDF_FAILED.format(detail=error)
        job.status = JobStatus.DONE
    except KeyError as error:
        logger.info("document job %s: unknown key %s", job_id, error)
        job.status = JobStatus.FAILED
        job.error = UNKNOWN_PERIOD.format(period=job.parameters.get("period", ""))
    except Exception:
        logger.exception("document job %s failed", job_id)
        job.status = JobStatus.FAILED
        job.error = FAILED
    job.progress = 100
    job.step = STEP_DONE if job.status == JobStatus.DONE else job.error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "progress", "step", "pdf", "error", "finished_at"])
    return job


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        process_document_job(job_id)
    finally:
        connection.close()


def start_document_job(job_id: int) -> None:
    """Run the job in a background thread once the current transaction has committed."""

    def start() -> None:
        threading.Thread(
            target=_run_in_thread, args=(job_id,), name=f"document-job-{job_id}", daemon=True
        ).start()

    transaction.on_commit(start)


def run_pending_jobs(*, limit: int = 20) -> list[DocumentJob]:
    """Process queued and abandoned jobs, oldest first (the management command)."""
    stale = timezone.now() - STALE_AFTER
    waiting = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, started_at__lt=stale)
    ids = list(
        DocumentJob.objects.filter(waiting).order_by("pk").values_list("pk", flat=True)[:limit]
    )
    return [process_document_job(job_id) for job_id in ids]


def purge_finished_jobs(*, older_than_days: int) -> int:
    """Delete finished jobs (and their files) asked for more than so many days ago."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = DocumentJob.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.FAILED], created_at__lt=cutoff
    ).delete()
    return deleted
