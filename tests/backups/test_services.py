"""Backup and restore drill (quality.md R9): restore into a fresh database, compare every table.

The source is the shared demo database (committed once per test session): on SQLite the
in-memory test database, on PostgreSQL the test database of `make test-pg`, restored into a
database created for the test and dropped after it.
"""

from __future__ import annotations

import sqlite3
import stat
import uuid
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from papitrack.backups import services
from papitrack.backups.checksums import table_checksums
from papitrack.backups.services import BackupError, DatabaseTarget
from papitrack.reports.models import Evidence, Report

pytestmark = pytest.mark.django_db

# Two evidence files as EVIDENCE_ROOT holds them, and an upload still in progress.
EVIDENCE = {
    f"{'a' * 32}.pdf": b"%PDF-1.4\nbien ban\n",
    f"{'b' * 32}.png": bytes.fromhex("89504e470d0a1a0a") + b"anh",
}


@pytest.fixture
def evidence_root(tmp_path, settings):
    root = tmp_path / "evidence"
    root.mkdir()
    for name, content in EVIDENCE.items():
        (root / name).write_bytes(content)
    (root / f".{'c' * 32}.pdf.part").write_bytes(b"%PDF-half")
    settings.EVIDENCE_ROOT = root
    return root


@pytest.fixture
def fresh_target(tmp_path):
    """An empty database of the test's engine, dropped afterwards (PostgreSQL)."""
    if connection.vendor == "sqlite":
        yield DatabaseTarget(vendor="sqlite", name=str(tmp_path / "restored.sqlite3"))
        return
    source = DatabaseTarget.from_settings()
    name = f"{source.name}_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(
        dbname=source.name,
        host=source.host or None,
        port=source.port or None,
        user=source.user or None,
        password=source.password or None,
        autocommit=True,
    ) as server:
        server.execute(f'CREATE DATABASE "{name}"')
        try:
            yield DatabaseTarget(
                vendor="postgresql",
                name=name,
                host=source.host,
                port=source.port,
                user=source.user,
                password=source.password,
            )
        finally:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def live_database(tmp_path):
    """The database to back up: the shared demo.

    On SQLite it is first copied to a file (serialize): the in-memory test database is held
    by this test's own open transaction, which blocks the backup API's reader (shared-cache
    locking); a real database file in WAL mode has no such limit (see the test below).
    """
    if connection.vendor != "sqlite":
        return DatabaseTarget.from_settings()
    connection.ensure_connection()
    path = tmp_path / "live.sqlite3"
    path.write_bytes(connection.connection.serialize())
    return DatabaseTarget(vendor="sqlite", name=str(path))


def live_checksums():
    """Every table as this test's connection sees it (committed data, nothing written yet)."""
    connection.ensure_connection()
    return table_checksums(connection.connection, connection.vendor)


def test_restore_into_a_fresh_database_matches_every_table_and_file(
    tmp_path, evidence_root, live_database, fresh_target, settings, monkeypatch, capsys
):
    # The commands back up and restore "the configured database": here the live database,
    # then the fresh one.
    targets = iter([live_database, fresh_target])
    monkeypatch.setattr(DatabaseTarget, "from_settings", lambda alias="default": next(targets))
    call_command("backup_data", output=tmp_path / "backup")
    manifest = services.read_manifest(tmp_path / "backup")
    settings.EVIDENCE_ROOT = tmp_path / "restored-evidence"
    call_command("restore_data", input=tmp_path / "backup")

    source = live_checksums()
    assert manifest.tables == source
    assert manifest.tables["reports_report"].rows == Report.objects.count() == 14875
    assert services.database_checksums(fresh_target) == source
    assert services.pending_migrations(fresh_target) == []
    restored = settings.EVIDENCE_ROOT
    assert {path.name: path.read_bytes() for path in restored.iterdir()} == EVIDENCE
    assert set(manifest.evidence_files) == set(EVIDENCE)
    stored = set(Evidence.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    assert set(manifest.evidence_missing) == stored  # the demo's own files live elsewhere
    out = capsys.readouterr().out
    assert f"Đã sao lưu {len(source)} bảng ({manifest.rows} dòng) và 2 tệp minh chứng" in out
    assert f"Đã khôi phục {len(source)} bảng ({manifest.rows} dòng) và 2 tệp minh chứng" in out
    assert "mã kiểm tra của mọi bảng khớp bản sao lưu" in out


def test_restore_refuses_a_database_in_use_and_a_damaged_backup(
    tmp_path, evidence_root, live_database, fresh_target, monkeypatch
):
    backup = tmp_path / "backup"
    manifest = services.create_backup(output=backup, source=live_database)
    with pytest.raises(BackupError, match="đã có dữ liệu"):
        services.create_backup(output=backup, source=live_database)
    monkeypatch.setattr(DatabaseTarget, "from_settings", lambda alias="default": live_database)
    with pytest.raises(CommandError, match="không trống"):
        call_command("restore_data", input=backup)

    database = backup / manifest.database_file
    damaged = bytearray(database.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    database.write_bytes(damaged)
    with pytest.raises(BackupError, match="bị hỏng"):
        services.restore_backup(source=backup, target=fresh_target, evidence_root=tmp_path / "e")
    if fresh_target.vendor == "sqlite":
        assert not Path(fresh_target.name).exists()
    else:
        assert services.database_checksums(fresh_target) == {}


def test_sqlite_backup_does_not_wait_for_writers_and_skips_their_uncommitted_rows(
    tmp_path, evidence_root
):
    path = tmp_path / "busy.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
    writer.execute("INSERT INTO note (text) VALUES ('đã lưu')")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO note (text) VALUES ('chưa lưu')")
    try:
        manifest = services.create_backup(
            output=tmp_path / "backup", source=DatabaseTarget(vendor="sqlite", name=str(path))
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert manifest.tables["note"].rows == 1


def test_checksums_see_a_change_in_one_row_of_one_table():
    tables = {"reports_report", "reports_reporttransition", "audit_auditentry"}
    connection.ensure_connection()
    before = table_checksums(connection.connection, connection.vendor, only=tables)
    report = Report.objects.order_by("pk").first()
    Report.objects.filter(pk=report.pk).update(version=report.version + 1)
    after = table_checksums(connection.connection, connection.vendor, only=tables)
    assert set(after) == tables
    assert {name for name in tables if before[name] != after[name]} == {"reports_report"}
    assert after["reports_report"].rows == before["reports_report"].rows


def test_a_folder_that_is_not_a_backup_or_of_another_kind_is_refused(tmp_path):
    with pytest.raises(BackupError, match="không phải bản sao lưu"):
        services.read_manifest(tmp_path)
    (tmp_path / services.MANIFEST).write_text('{"format": 99}')
    with pytest.raises(BackupError, match="định dạng 99"):
        services.read_manifest(tmp_path)
    (tmp_path / "database.dump").write_bytes(b"PGDMP")
    manifest = services.Manifest(
        engine="postgresql",
        created_at="2026-11-26T00:00:00+00:00",
        database_file="database.dump",
        database_sha256=services.file_sha256(tmp_path / "database.dump"),
        tables={},
        sequences={},
        evidence_files={},
    )
    (tmp_path / services.MANIFEST).write_text(manifest.to_json())
    assert services.read_manifest(tmp_path) == manifest
    sqlite_target = DatabaseTarget(vendor="sqlite", name=str(tmp_path / "new.sqlite3"))
    with pytest.raises(BackupError, match="cùng loại"):
        services.restore_backup(source=tmp_path, target=sqlite_target, evidence_root=tmp_path)


def test_backup_folder_is_private_and_the_sqlite_copy_is_one_file(tmp_path, evidence_root):
    path = tmp_path / "wal.sqlite3"
    with closing(sqlite3.connect(path)) as live:
        live.execute("PRAGMA journal_mode=WAL")
        live.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        live.commit()
    backup = tmp_path / "backup"

    services.create_backup(output=backup, source=DatabaseTarget(vendor="sqlite", name=str(path)))

    modes = {item.name: stat.S_IMODE(item.stat().st_mode) for item in backup.iterdir()}
    assert stat.S_IMODE(backup.stat().st_mode) == services.PRIVATE_FOLDER
    assert modes == {
        "database.sqlite3": services.PRIVATE_FILE,
        services.EVIDENCE_ARCHIVE: services.PRIVATE_FILE,
        services.MANIFEST: services.PRIVATE_FILE,
    }
