from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from papitrack.backups.services import BackupError, DatabaseTarget, restore_backup


class Command(BaseCommand):
    help = (
        "Khôi phục bản sao lưu vào cơ sở dữ liệu đang cấu hình (phải mới tạo, trống) và thư mục "
        "minh chứng, rồi đối chiếu số dòng và mã kiểm tra của từng bảng với bản sao lưu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path, help="thư mục bản sao lưu")

    def handle(self, *args: object, **options: object) -> None:
        source = Path(str(options["input"]))
        try:
            result = restore_backup(
                source=source,
                target=DatabaseTarget.from_settings(),
                evidence_root=Path(settings.EVIDENCE_ROOT),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Đã khôi phục {result.tables} bảng ({result.rows} dòng) và {result.evidence_files} "
            f"tệp minh chứng trong {result.seconds:.1f} giây; số dòng và mã kiểm tra của mọi "
            f"bảng khớp bản sao lưu."
        )
        if result.pending_migrations:
            self.stderr.write(
                f"Còn {len(result.pending_migrations)} migration chưa áp dụng (bản sao lưu cũ hơn "
                f"mã nguồn): chạy manage.py migrate. " + ", ".join(result.pending_migrations)
            )
