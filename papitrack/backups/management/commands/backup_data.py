from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from papitrack.backups.services import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (SQLite: API sao lưu trực tuyến; PostgreSQL: pg_dump -Fc) và các "
        "tệp minh chứng vào một thư mục mới, kèm bảng kê số dòng và mã kiểm tra từng bảng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="thư mục mới hoặc trống")

    def handle(self, *args: object, **options: object) -> None:
        output = Path(str(options["output"]))
        try:
            manifest = create_backup(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Đã sao lưu {len(manifest.tables)} bảng ({manifest.rows} dòng) và "
            f"{len(manifest.evidence_files)} tệp minh chứng vào {output} "
            f"trong {manifest.seconds:.1f} giây."
        )
        if manifest.evidence_missing:
            self.stderr.write(
                f"Cảnh báo: {len(manifest.evidence_missing)} tệp minh chứng có trong cơ sở dữ "
                f"liệu nhưng không có trong thư mục minh chứng (xem manifest.json)."
            )
