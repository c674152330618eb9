"""Draft the documents that are waiting (queued, or abandoned by a stopped process)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from papitrack.exports.jobs import purge_finished_jobs, run_pending_jobs


class Command(BaseCommand):
    help = "Tạo các văn bản đang chờ (báo cáo tổng hợp, báo cáo đơn vị, mẫu kế hoạch)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument(
            "--purge-days",
            type=int,
            default=0,
            help="Xóa văn bản đã tạo xong từ hơn số ngày này (0: không xóa).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = run_pending_jobs(limit=options["limit"])
        for job in jobs:
            self.stdout.write(f"{job.pk} {job.status} {job.title}")
        self.stdout.write(f"{len(jobs)} văn bản đã xử lý.")
        if options["purge_days"]:
            purged = purge_finished_jobs(older_than_days=options["purge_days"])
            self.stdout.write(f"Đã xóa {purged} văn bản cũ.")
