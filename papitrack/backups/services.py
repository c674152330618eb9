"""Backup and restore of the database and the evidence files, checked table by table.

A backup folder holds:

- `database.sqlite3` (SQLite's online backup API, a consistent copy of a live database) or
  `database.dump` (PostgreSQL `pg_dump --format=custom`);
- `evidence.tar`: the files under EVIDENCE_ROOT (write-once, random names);
- `manifest.json`: engine, row count and SHA-256 of every table, the id counters and the
  size and SHA-256 of every evidence file.

The folder and its files are readable by their owner only: they hold password hashes,
two-factor secrets and survey answers.

On PostgreSQL the checksums are read in the very snapshot pg_dump dumps (an exported
snapshot), so they describe the dump exactly even while users keep writing. The evidence is
archived after that snapshot: evidence files are never deleted or rewritten, so every file
the dump refers to is in the archive (files uploaded meanwhile are extra, never missing).

A restore goes into a fresh, empty database, then reads every table back and compares it with
the manifest; any difference is an error. See docs/backup.md.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

from papitrack.backups.checksums import (
    POSTGRESQL,
    SQLITE,
    TableChecksum,
    sequence_values,
    table_checksums,
)
from papitrack.reports.models import Evidence
from papitrack.unitplans.models import UnitPlan

MANIFEST = "manifest.json"
# Owner only: a backup holds password hashes, two-factor secrets and personal data.
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600
EVIDENCE_ARCHIVE = "evidence.tar"
DATABASE_FILES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.dump"}
FORMAT_VERSION = 1
ENGINES = {
    "django.db.backends.sqlite3": SQLITE,
    "django.db.backends.postgresql": POSTGRESQL,
}

UNSUPPORTED_ENGINE = "Không hỗ trợ sao lưu cơ sở dữ liệu loại {engine}."
OUTPUT_NOT_EMPTY = "Thư mục sao lưu {path} đã có dữ liệu; hãy chọn một thư mục mới."
NOT_A_BACKUP = "Thư mục {path} không phải bản sao lưu của papitrack (thiếu {file})."
UNKNOWN_FORMAT = "Bản sao lưu có định dạng {format} mà phiên bản này không đọc được."
ENGINE_MISMATCH = (
    "Bản sao lưu là của {backup}, còn cơ sở dữ liệu đích là {target}; hãy khôi phục vào cùng "
    "loại cơ sở dữ liệu."
)
CORRUPT_FILE = "Tệp {file} của bản sao lưu bị hỏng hoặc bị sửa (mã kiểm tra không khớp)."
TARGET_NOT_EMPTY = (
    "Cơ sở dữ liệu đích {name} không trống ({count} bảng). Chỉ khôi phục vào một cơ sở dữ liệu "
    "mới tạo, trống."
)
EVIDENCE_CONFLICT = "Thư mục minh chứng đích đã có tệp {name} với nội dung khác."
TOOL_MISSING = "Không tìm thấy chương trình {tool} (gói postgresql-client của Debian)."
TOOL_FAILED = "{tool} báo lỗi: {detail}"
INTEGRITY_FAILED = "Tệp SQLite {path} không toàn vẹn: {detail}"
RESTORE_MISMATCH = "Dữ liệu khôi phục không khớp bản sao lưu: {differences}"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Vietnamese)."""


@dataclass(frozen=True)
class DatabaseTarget:
    """A database to read or restore into: an SQLite file or a PostgreSQL database."""

    vendor: str
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, alias: str = "default") -> DatabaseTarget:
        database = settings.DATABASES[alias]
        vendor = ENGINES.get(database["ENGINE"])
        if vendor is None:
            raise BackupError(UNSUPPORTED_ENGINE.format(engine=database["ENGINE"]))
        return cls(
            vendor=vendor,
            name=str(database["NAME"]),
            host=str(database.get("HOST") or ""),
            port=str(database.get("PORT") or ""),
            user=str(database.get("USER") or ""),
            password=str(database.get("PASSWORD") or ""),
        )

    def tool_environment(self) -> dict[str, str]:
        """libpq variables for pg_dump / pg_restore (the password never on a command line)."""
        variables = {
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": self.name,
        }
        return {**os.environ, **{key: value for key, value in variables.items() if value}}


@dataclass(frozen=True)
class EvidenceFile:
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    database_file: str
    database_sha256: str
    tables: dict[str, TableChecksum]
    sequences: dict[str, int]
    evidence_files: dict[str, EvidenceFile]
    # Files the database refers to that were not in EVIDENCE_ROOT at backup time.
    evidence_missing: list[str] = field(default_factory=list)
    seconds: float = 0.0
    format: int = FORMAT_VERSION

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables.values())

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT_VERSION:
            raise BackupError(UNKNOWN_FORMAT.format(format=data.get("format")))
        return cls(
            engine=data["engine"],
            created_at=data["created_at"],
            database_file=data["database_file"],
            database_sha256=data["database_sha256"],
            tables={name: TableChecksum(**value) for name, value in data["tables"].items()},
            sequences={name: int(value) for name, value in data["sequences"].items()},
            evidence_files={
                name: EvidenceFile(**value) for name, value in data["evidence_files"].items()
            },
            evidence_missing=list(data["evidence_missing"]),
            seconds=float(data["seconds"]),
        )


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    evidence_files: int
    seconds: float
    pending_migrations: list[str]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _read_only_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def _sqlite_connect(name: str) -> sqlite3.Connection:
    """Open an SQLite database given as Django names it: a path or a "file:" URI."""
    return sqlite3.connect(name, uri=name.startswith("file:"))


@contextmanager
def open_database(target: DatabaseTarget) -> Iterator[Any]:
    """A plain DB-API connection (PostgreSQL: in a transaction, session time zone UTC)."""
    if target.vendor == SQLITE:
        uri = target.name if target.name.startswith("file:") else _read_only_uri(Path(target.name))
        with closing(sqlite3.connect(uri, uri=True)) as connection:
            yield connection
        return
    with psycopg.connect(
        dbname=target.name,
        host=target.host or None,
        port=target.port or None,
        user=target.user or None,
        password=target.password or None,
        options="-c TimeZone=UTC",
    ) as connection:
        yield connection


def database_checksums(target: DatabaseTarget) -> dict[str, TableChecksum]:
    with open_database(target) as connection:
        return table_checksums(connection, target.vendor)


def _database_sequences(target: DatabaseTarget) -> dict[str, int]:
    with open_database(target) as connection:
        return sequence_values(connection, target.vendor)


def _run(tool: str, arguments: list[str], target: DatabaseTarget) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(TOOL_MISSING.format(tool=tool))
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments built here
        [executable, *arguments],
        env=target.tool_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(TOOL_FAILED.format(tool=tool, detail=result.stderr.strip()[-2000:]))


def _check_sqlite(target: DatabaseTarget) -> None:
    with open_database(target) as connection:
        detail = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if detail != "ok":
        raise BackupError(INTEGRITY_FAILED.format(path=target.name, detail=detail))


def _backup_database(
    output: Path, target: DatabaseTarget
) -> tuple[dict[str, TableChecksum], dict[str, int]]:
    path = output / DATABASE_FILES[target.vendor]
    if target.vendor == SQLITE:
        # The online backup API copies a consistent snapshot of the live database through a
        # connection of its own; in WAL mode writers do not block it.
        with closing(_sqlite_connect(target.name)) as live, closing(sqlite3.connect(path)) as copy:
            live.backup(copy)
            # The copy inherits WAL mode; as a rollback-journal database it is one file, with
            # no -wal and -shm beside it to be copied (or forgotten) with the backup.
            copy.execute("PRAGMA journal_mode=DELETE")
        copied = DatabaseTarget(vendor=SQLITE, name=str(path))
        _check_sqlite(copied)
        return database_checksums(copied), _database_sequences(copied)
    with open_database(target) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        _run(
            "pg_dump",
            ["--format=custom", f"--snapshot={snapshot}", f"--file={path}", target.name],
            target,
        )
        return table_checksums(connection, POSTGRESQL), sequence_values(connection, POSTGRESQL)


def _evidence_names(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    # Hidden names are temporaries of uploads in progress (".<name>.part").
    return sorted(
        path for path in root.iterdir() if path.is_file() and not path.name.startswith(".")
    )


def _archive_evidence(output: Path, root: Path) -> dict[str, EvidenceFile]:
    files: dict[str, EvidenceFile] = {}
    with tarfile.open(output / EVIDENCE_ARCHIVE, "w") as archive:
        for path in _evidence_names(root):
            archive.add(path, arcname=path.name, recursive=False)
            files[path.name] = EvidenceFile(size=path.stat().st_size, sha256=file_sha256(path))
    return files


def _referenced_evidence() -> set[str]:
    stored = set(Evidence.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    documents = UnitPlan.objects.exclude(document_stored_name="").values_list(
        "document_stored_name", flat=True
    )
    return stored | set(documents)


def create_backup(
    *, output: Path, source: DatabaseTarget | None = None, evidence_root: Path | None = None
) -> Manifest:
    """Back up the database (default: the configured one) and the evidence files into a new
    folder, with the manifest. Users may keep working meanwhile."""
    started = time.perf_counter()
    target = source or DatabaseTarget.from_settings()
    root = Path(evidence_root or settings.EVIDENCE_ROOT)
    if output.exists() and any(output.iterdir()):
        raise BackupError(OUTPUT_NOT_EMPTY.format(path=output))
    output.mkdir(parents=True, exist_ok=True)
    output.chmod(PRIVATE_FOLDER)
    tables, sequences = _backup_database(output, target)
    files = _archive_evidence(output, root)
    database_file = DATABASE_FILES[target.vendor]
    manifest = Manifest(
        engine=target.vendor,
        created_at=datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds"),
        database_file=database_file,
        database_sha256=file_sha256(output / database_file),
        tables=tables,
        sequences=sequences,
        evidence_files=files,
        evidence_missing=sorted(_referenced_evidence() - set(files)),
        seconds=round(time.perf_counter() - started, 3),
    )
    (output / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    for path in output.iterdir():
        path.chmod(PRIVATE_FILE)
    return manifest


def read_manifest(source: Path) -> Manifest:
    """The manifest of a backup folder, after checking the database file is intact."""
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(NOT_A_BACKUP.format(path=source, file=MANIFEST))
    manifest = Manifest.from_json(path.read_text(encoding="utf-8"))
    database = source / manifest.database_file
    if not database.is_file():
        raise BackupError(NOT_A_BACKUP.format(path=source, file=manifest.database_file))
    if file_sha256(database) != manifest.database_sha256:
        raise BackupError(CORRUPT_FILE.format(file=manifest.database_file))
    return manifest


def _table_count(target: DatabaseTarget) -> int:
    if target.vendor == SQLITE and not target.name.startswith("file:"):
        path = Path(target.name)
        if not path.exists() or path.stat().st_size == 0:
            return 0
    with open_database(target) as connection, closing(connection.cursor()) as cursor:
        if target.vendor == SQLITE:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        else:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        return int(cursor.fetchone()[0])


def _restore_database(source: Path, manifest: Manifest, target: DatabaseTarget) -> None:
    database = source / manifest.database_file
    if target.vendor == SQLITE:
        with (
            closing(sqlite3.connect(_read_only_uri(database), uri=True)) as backup,
            closing(_sqlite_connect(target.name)) as restored,
        ):
            backup.backup(restored)
        _check_sqlite(target)
        return
    _run(
        "pg_restore",
        [
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={target.name}",
            str(database),
        ],
        target,
    )


def _restore_evidence(source: Path, manifest: Manifest, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / EVIDENCE_ARCHIVE) as archive:
        for member in archive.getmembers():
            existing = root / member.name
            expected = manifest.evidence_files.get(member.name)
            if existing.exists() and (expected is None or file_sha256(existing) != expected.sha256):
                raise BackupError(EVIDENCE_CONFLICT.format(name=member.name))
        # The "data" filter refuses absolute paths, links and anything outside root.
        archive.extractall(root, filter="data")
    for name, expected in manifest.evidence_files.items():
        path = root / name
        if not path.is_file() or file_sha256(path) != expected.sha256:
            raise BackupError(CORRUPT_FILE.format(file=f"{EVIDENCE_ARCHIVE}:{name}"))


def _differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    return [
        f"{name} (sao lưu {expected.get(name)}, khôi phục {actual.get(name)})"
        for name in sorted(set(expected) | set(actual))
        if expected.get(name) != actual.get(name)
    ]


def pending_migrations(target: DatabaseTarget) -> list[str]:
    """Migrations of this code not applied in the target (as `migrate --check` sees them)."""
    with open_database(target) as connection, closing(connection.cursor()) as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = {(str(app), str(name)) for app, name in cursor.fetchall()}
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return sorted(f"{app}.{name}" for app, name in set(graph.nodes) - applied)


def restore_backup(*, source: Path, target: DatabaseTarget, evidence_root: Path) -> RestoreResult:
    """Restore into a fresh, empty database and evidence folder; verify every table.

    Raises BackupError when the backup is damaged, the target is not empty, or the restored
    data differ from the manifest in any table's row count or checksum, or in an id counter.
    """
    manifest = read_manifest(source)
    if manifest.engine != target.vendor:
        raise BackupError(ENGINE_MISMATCH.format(backup=manifest.engine, target=target.vendor))
    count = _table_count(target)
    if count:
        raise BackupError(TARGET_NOT_EMPTY.format(name=target.name, count=count))
    started = time.perf_counter()
    _restore_database(source, manifest, target)
    _restore_evidence(source, manifest, evidence_root)
    seconds = time.perf_counter() - started
    differences = _differences(manifest.tables, database_checksums(target))
    differences += _differences(manifest.sequences, _database_sequences(target))
    if differences:
        raise BackupError(RESTORE_MISMATCH.format(differences="; ".join(differences[:10])))
    return RestoreResult(
        tables=len(manifest.tables),
        rows=manifest.rows,
        evidence_files=len(manifest.evidence_files),
        seconds=round(seconds, 3),
        pending_migrations=pending_migrations(target),
    )
