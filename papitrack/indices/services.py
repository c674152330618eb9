"""Writes for indices: load an index framework file, import published scores."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from papitrack.indices.enums import GroupSizeStatus, NameStatus, ScoreStatus
from papitrack.indices.models import Dimension, GroupSizeRule, Index, PublishedScore, SubDimension
from papitrack.lib.datafiles import read_csv_rows, read_yaml
from papitrack.lib.numbers import DecimalParseError, parse_decimal
from papitrack.lib.text import fold_text
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit

MISSING_COLUMNS = "Thiếu cột bắt buộc: {columns}."
UNKNOWN_PROVINCE = "Dòng {row}: không có tỉnh «{value}» trong danh mục 63 tỉnh, thành phố."
UNKNOWN_DIMENSION = "Dòng {row}: chỉ số nội dung «{value}» không thuộc chỉ số {index}."
BAD_YEAR = "Dòng {row}: năm «{value}» không hợp lệ."
BAD_NUMBER = "Dòng {row}, cột {column}: «{value}» không phải là số."
OUT_OF_RANGE = "Dòng {row}: điểm {value} nằm ngoài thang {low}–{high} của «{dimension}»."
BAD_INTERVAL = "Dòng {row}: khoảng tin cậy [{low}; {high}] không chứa điểm {value}."
DUPLICATE_ROW = "Dòng {row}: trùng với dòng {first} ({province}, {year}, {dimension})."
BAD_STATUS = "Dòng {row}: trạng thái «{value}» không hợp lệ."
EMPTY_FILE = "Tệp không có dòng số liệu nào."
BAD_GROUP_SIZES = "Quy tắc chia nhóm {sizes} không khớp số tỉnh {count}."

REQUIRED_SCORE_COLUMNS = ("province", "year", "dimension", "score")


@dataclass(frozen=True)
class ScoreImportResult:
    created: int
    updated: int
    unchanged: int


def _name_status(value: str) -> str:
    if value not in NameStatus.values:
        raise ValidationError(f"Trạng thái tên «{value}» không hợp lệ.")
    return value


@transaction.atomic
def load_index_framework(*, path: Path) -> Index:
    """Create or update an index, its dimensions, sub-dimensions and group rules from YAML."""
    data: dict[str, Any] = read_yaml(path)
    index, _ = Index.objects.update_or_create(
        code=data["code"],
        defaults={
            "name_vi": data["name_vi"],
            "name_en": data["name_en"],
            "publisher": data.get("publisher", ""),
            "url": data.get("url", ""),
            "group_count": data.get("group_count", 4),
            "description": data.get("description", ""),
        },
    )
    aggregate = data["aggregate"]
    low, high = (Decimal(part) for part in aggregate["scale"])
    Dimension.objects.update_or_create(
        index=index,
        code=aggregate["code"],
        defaults={
            "number": 0,
            "name_vi": aggregate["name_vi"],
            "name_en": aggregate["name_en"],
            "short_name_vi": aggregate.get("short_name_vi", "PAPI tổng hợp"),
            "is_aggregate": True,
            "scale_min": low,
            "scale_max": high,
            "valid_from_year": aggregate["valid_from_year"],
        },
    )
    for entry in data["dimensions"]:
        dimension, _ = Dimension.objects.update_or_create(
            index=index,
            code=entry["code"],
            defaults={
                "number": entry["number"],
                "name_vi": entry["name_vi"],
                "name_en": entry["name_en"],
                "short_name_vi": entry.get("short_name_vi", ""),
                "is_aggregate": False,
                "scale_min": Decimal(1),
                "scale_max": Decimal(10),
                "valid_from_year": entry["valid_from_year"],
                "valid_to_year": entry.get("valid_to_year"),
            },
        )
        for position, sub in enumerate(entry.get("subdimensions", []), start=1):
            SubDimension.objects.update_or_create(
                dimension=dimension,
                code=sub["code"],
                valid_from_year=sub.get("valid_from_year", entry["valid_from_year"]),
                defaults={
                    "position": position,
                    "name_vi": sub["name_vi"],
                    "name_en": sub["name_en"],
                    "name_vi_status": _name_status(sub["vi"]),
                    "name_en_status": _name_status(sub["en"]),
                    "valid_to_year": sub.get("valid_to_year"),
                    "note": sub.get("note", ""),
                },
            )
    for rule in data.get("group_rules", []):
        sizes = [int(part) for part in str(rule["sizes"]).split(",")]
        if sum(sizes) != rule["province_count"] or len(sizes) != index.group_count:
            raise ValidationError(
                BAD_GROUP_SIZES.format(sizes=rule["sizes"], count=rule["province_count"])
            )
        GroupSizeRule.objects.update_or_create(
            index=index,
            year=rule.get("year"),
            province_count=rule["province_count"],
            defaults={
                "sizes": ",".join(str(size) for size in sizes),
                "status": GroupSizeStatus(rule["status"]),
                "source": rule.get("source", ""),
            },
        )
    return index


def _province_lookup() -> dict[str, OrgUnit]:
    lookup: dict[str, OrgUnit] = {}
    for province in OrgUnit.objects.filter(kind=UnitKind.PROVINCE):
        for name in (province.code, province.name, province.short_name):
            if name:
                lookup[fold_text(name)] = province
    return lookup


def _parse_optional(
    row: dict[str, str], column: str, line: int, errors: list[str]
) -> Decimal | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        number = parse_decimal(value)
        # More digits than the column holds would overflow in PostgreSQL: refuse them here.
        field = PublishedScore._meta.get_field(column)
        assert isinstance(field, models.DecimalField)  # noqa: S101 - the score columns
        field.run_validators(number)
    except (DecimalParseError, ValidationError):
        errors.append(BAD_NUMBER.format(row=line, column=column, value=value))
        return None
    return number


@transaction.atomic
def import_published_scores(*, index_code: str, path: Path, source: str = "") -> ScoreImportResult:
    """Import a CSV of published scores atomically: every row is valid or nothing is written.

    Columns: province, year, dimension, score, and optionally ci_low, ci_high, std_error,
    status. Re-importing the same file changes nothing. A row absent from the file is left
    alone: missing values stay missing, never zero.
    """
    index = Index.objects.get(code=index_code)
    rows = read_csv_rows(path)
    if not rows:
        raise ValidationError(EMPTY_FILE)
    missing = [column for column in REQUIRED_SCORE_COLUMNS if column not in rows[0]]
    if missing:
        raise ValidationError(MISSING_COLUMNS.format(columns=", ".join(missing)))
    provinces = _province_lookup()
    dimensions = {dimension.code: dimension for dimension in index.dimensions.all()}
    errors: list[str] = []
    parsed: dict[tuple[str, int, str], dict[str, Any]] = {}
    first_line: dict[tuple[str, int, str], int] = {}
    for line, row in enumerate(rows, start=2):
        province = provinces.get(fold_text(row["province"]))
        if province is None:
            errors.append(UNKNOWN_PROVINCE.format(row=line, value=row["province"]))
            continue
        dimension = dimensions.get(row["dimension"].strip().lower())
        if dimension is None:
            errors.append(
                UNKNOWN_DIMENSION.format(row=line, value=row["dimension"], index=index.code)
            )
            continue
        # isascii: "²" and other Unicode digits pass isdigit() but not int().
        year_text = row["year"]
        if not (year_text.isascii() and year_text.isdigit()) or not 1990 <= int(year_text) <= 2100:
            errors.append(BAD_YEAR.format(row=line, value=row["year"]))
            continue
        year = int(row["year"])
        status = row.get("status") or ScoreStatus.PUBLISHED
        if status not in ScoreStatus.values:
            errors.append(BAD_STATUS.format(row=line, value=status))
            continue
        score = _parse_optional(row, "score", line, errors)
        ci_low = _parse_optional(row, "ci_low", line, errors)
        ci_high = _parse_optional(row, "ci_high", line, errors)
        std_error = _parse_optional(row, "std_error", line, errors)
        if status == ScoreStatus.PUBLISHED and score is None and row["score"] == "":
            errors.append(BAD_NUMBER.format(row=line, column="score", value=""))
            continue
        if score is not None and not dimension.scale_min <= score <= dimension.scale_max:
            errors.append(
                OUT_OF_RANGE.format(
                    row=line,
                    value=row["score"],
                    low=dimension.scale_min,
                    high=dimension.scale_max,
                    dimension=dimension.name_vi,
                )
            )
            continue
        if (
            score is not None
            and ci_low is not None
            and ci_high is not None
            and not ci_low <= score <= ci_high
        ):
            errors.append(BAD_INTERVAL.format(row=line, low=ci_low, high=ci_high, value=score))
            continue
        key = (province.code, year, dimension.code)
        if key in parsed:
            errors.append(
                DUPLICATE_ROW.format(
                    row=line,
                    first=first_line[key],
                    province=province.short_name,
                    year=year,
                    dimension=dimension.code,
                )
            )
            continue
        first_line[key] = line
        parsed[key] = {
            "province": province,
            "dimension": dimension,
            "year": year,
            "score": score,
            "ci_low": ci_low,
            "ci_high": ci_high,
            "std_error": std_error,
            "status": status,
        }
    if errors:
        raise ValidationError(errors)
    existing = {
        (score.province.code, score.year, score.dimension.code): score
        for score in PublishedScore.objects.filter(
            index=index, year__in={key[1] for key in parsed}
        ).select_related("province", "dimension")
    }
    created = updated = unchanged = 0
    to_create: list[PublishedScore] = []
    for key, values in parsed.items():
        current = existing.get(key)
        if current is None:
            to_create.append(PublishedScore(index=index, source=source, **values))
            created += 1
            continue
        fields = ("score", "ci_low", "ci_high", "std_error", "status")
        if all(getattr(current, field) == values[field] for field in fields):
            unchanged += 1
            continue
        for field in fields:
            setattr(current, field, values[field])
        current.source = source or current.source
        current.full_clean()
        current.save()
        updated += 1
    PublishedScore.objects.bulk_create(to_create)
    return ScoreImportResult(created=created, updated=updated, unchanged=unchanged)
