"""Document jobs are claimed by one process only (issue 7, deployment: several application
processes and the scheduled `run_document_jobs` must not run the same job twice).

The claim is one conditional UPDATE (queued → running), which the database applies to one
caller only, whichever process or machine it comes from.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from papitrack.exports import jobs
from papitrack.exports.enums import JobStatus
from papitrack.exports.models import DocumentJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(user_named: Any) -> DocumentJob:
    return DocumentJob.objects.create(
        kind="unit_plan_template",
        parameters={},
        title="Mẫu kế hoạch",
        file_stem="ke-hoach-20605",
        with_pdf=False,
        requested_by=user_named("demo-commune"),
    )


def test_a_queued_job_is_claimed_once(queued):
    assert [jobs._claim(queued.pk), jobs._claim(queued.pk)] == [True, False]
    assert DocumentJob.objects.get(pk=queued.pk).status == JobStatus.RUNNING


def test_a_job_running_elsewhere_is_left_alone(queued, monkeypatch):
    jobs._claim(queued.pk)
    drafted: list[str] = []
    monkeypatch.setattr(jobs, "render_document", lambda kind, parameters: drafted.append(kind))

    second = jobs.process_document_job(queued.pk)
    picked_up = jobs.run_pending_jobs()

    assert (second.status, drafted, picked_up) == (JobStatus.RUNNING, [], [])


def test_a_job_abandoned_by_a_stopped_process_is_claimed_again_once(queued):
    jobs._claim(queued.pk)
    abandoned_at = timezone.now() - jobs.STALE_AFTER - datetime.timedelta(minutes=1)
    DocumentJob.objects.filter(pk=queued.pk).update(started_at=abandoned_at)

    assert [jobs._claim(queued.pk), jobs._claim(queued.pk)] == [True, False]
