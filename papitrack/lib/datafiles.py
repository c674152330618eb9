"""Reading the data files shipped with papitrack: YAML and CSV with strict encoding checks."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from papitrack.lib.text import normalize_text

ENCODING_ERROR = "Tệp {name} không phải UTF-8 hợp lệ (byte lỗi ở vị trí {position})."
YAML_ERROR = "Tệp {name} không đúng cú pháp YAML: {problem}."


class DataFileError(ValueError):
    """A data file cannot be read; the message is in Vietnamese for the user."""


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataFileError(ENCODING_ERROR.format(name=path.name, position=error.start)) from error


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(read_text(path))
    except yaml.YAMLError as error:
        raise DataFileError(YAML_ERROR.format(name=path.name, problem=error)) from error


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of a CSV file with NFC-normalised, trimmed values."""
    reader = csv.DictReader(io.StringIO(read_text(path)))
    return [
        {normalize_text(key or ""): normalize_text(value or "") for key, value in row.items()}
        for row in reader
    ]
