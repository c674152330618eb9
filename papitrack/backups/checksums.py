"""Row counts and checksums of every table, read through a plain DB-API connection.

The same function runs on the live database, on a backup and on a restored copy, so a restore
is checked against what was backed up. Each row is read as the database's own text for its
values (SQLite: quote() of every column; PostgreSQL: the row cast to text, with the session in
UTC), so the driver's type conversions cannot make equal rows differ. Rows are ordered by
primary key (by all columns when there is none) and hashed with SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BATCH_ROWS = 2000


@dataclass(frozen=True)
class TableChecksum:
    rows: int
    sha256: str


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def canonical_row(row: tuple[Any, ...]) -> bytes:
    # Every value is the database's text (or None): repr of the tuple is unambiguous and fast.
    return repr(tuple(row)).encode() + b"\n"


def table_names(connection: Any, vendor: str) -> list[str]:
    with closing(connection.cursor()) as cursor:
        if vendor == SQLITE:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            )
        else:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        return [str(row[0]) for row in cursor.fetchall()]


def _columns(connection: Any, vendor: str, table: str) -> tuple[list[str], list[str]]:
    """(all columns, primary-key columns in key order) of a table."""
    with closing(connection.cursor()) as cursor:
        if vendor == SQLITE:
            cursor.execute(f"PRAGMA table_info({quote_name(table)})")
            info = cursor.fetchall()
            keys = sorted((column[5], column[1]) for column in info if column[5] > 0)
            return [str(column[1]) for column in info], [str(name) for _, name in keys]
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        columns = [str(row[0]) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = %s::regclass AND i.indisprimary "
            "ORDER BY array_position(i.indkey::int2[], a.attnum)",
            [quote_name(table)],
        )
        return columns, [str(row[0]) for row in cursor.fetchall()]


def _rows(connection: Any, vendor: str, table: str) -> Iterator[tuple[Any, ...]]:
    columns, keys = _columns(connection, vendor, table)
    order = ", ".join(quote_name(column) for column in keys or columns)
    if vendor == SQLITE:
        values = ", ".join(f"quote({quote_name(column)})" for column in columns)
    else:
        values = "row_value::text"
    # Only identifiers are inserted: read from the database's own catalogue and quoted by
    # quote_name; no user input reaches this query.
    query = " ".join(("SELECT", values, "FROM", quote_name(table), "AS row_value ORDER BY", order))
    # PostgreSQL: a server-side cursor, so a large table is streamed, not loaded whole.
    cursor = connection.cursor(name="papitrack_checksum") if vendor == POSTGRESQL else None
    with closing(cursor or connection.cursor()) as open_cursor:
        open_cursor.execute(query)
        while batch := open_cursor.fetchmany(BATCH_ROWS):
            yield from batch


def table_checksums(
    connection: Any, vendor: str, *, only: set[str] | None = None
) -> dict[str, TableChecksum]:
    """Row count and SHA-256 of every table, or of the tables named in `only`.

    On PostgreSQL run it inside one transaction, so all tables come from one snapshot.
    """
    result: dict[str, TableChecksum] = {}
    for table in table_names(connection, vendor):
        if only is not None and table not in only:
            continue
        digest = hashlib.sha256()
        count = 0
        for row in _rows(connection, vendor, table):
            digest.update(canonical_row(row))
            count += 1
        result[table] = TableChecksum(rows=count, sha256=digest.hexdigest())
    return result


def sequence_values(connection: Any, vendor: str) -> dict[str, int]:
    """Next-id counters (sqlite_sequence, PostgreSQL sequences): a restore must keep them."""
    with closing(connection.cursor()) as cursor:
        if vendor == SQLITE:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name = 'sqlite_sequence'"
            )
            if not cursor.fetchone()[0]:
                return {}
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        else:
            cursor.execute(
                "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences "
                "WHERE schemaname = current_schema() ORDER BY sequencename"
            )
        return {str(name): int(value) for name, value in cursor.fetchall()}
