"""A questionnaire version as plain data: items, answer scales and scoring rules.

The file format is described in docs/survey-method.md ("Questionnaire file"). Parsing is pure
(no database); the loading service checks the dimension and sub-dimension codes against the
index in the database before a version is stored.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from papitrack.surveys.enums import ItemKind, ScaleKind

# ODK and KoboToolbox accept these as field names, so the same codes work as export columns.
ITEM_CODE_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The marker a scale uses for "don't know": scored 0 or missing depending on the item kind.
DONT_KNOW = "dont_know"

BAD_QUESTIONNAIRE = "Phiếu khảo sát không hợp lệ: {problem}"


class QuestionnaireError(ValueError):
    """A questionnaire file breaks a rule; the message is in Vietnamese for the user."""

    def __init__(self, problem: str) -> None:
        super().__init__(BAD_QUESTIONNAIRE.format(problem=problem))


@dataclass(frozen=True)
class AnswerOption:
    code: str
    label_vi: str
    # A value in [0, 1] before reversal; None means "don't know".
    value: float | None

    @property
    def is_dont_know(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Scale:
    code: str
    kind: str
    label_vi: str
    # Choice scales: every allowed code. Number scales: the special codes only (e.g. 98).
    options: tuple[AnswerOption, ...]
    minimum: float | None = None
    maximum: float | None = None
    positive_min: float | None = None
    positive_max: float | None = None

    def option(self, code: str) -> AnswerOption | None:
        return next((option for option in self.options if option.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)


@dataclass(frozen=True)
class Condition:
    """The item is asked only when another item's answer is one of codes (skip logic)."""

    item: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    code: str
    ref: str
    subdimension: str | None
    kind: str
    scale: Scale
    reverse: bool
    text_vi: str
    text_en: str
    basis: str
    asked_if: Condition | None

    @property
    def scored(self) -> bool:
        return self.kind != ItemKind.FILTER

    @property
    def dont_know_value(self) -> float | None:
        """Knowledge items count "don't know" as not knowing (0); others as missing."""
        return 0.0 if self.kind == ItemKind.KNOWLEDGE else None

    def score_of(self, option: AnswerOption) -> float | None:
        """The scored value in [0, 1] of a choice answer, reversal applied; None = missing."""
        if option.value is None:
            return self.dont_know_value
        return 1.0 - option.value if self.reverse else option.value


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    subdimensions: tuple[str, ...]

    @property
    def k(self) -> int:
        return len(self.subdimensions)


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title_vi: str
    index_code: str
    status: str
    notice_vi: str
    min_respondents: int
    min_answered_share: float
    design_options: Mapping[str, Mapping[str, str]]
    dimensions: tuple[DimensionSpec, ...]
    items: tuple[Item, ...]
    checksum: str

    def item(self, code: str) -> Item:
        return next(item for item in self.items if item.code == code)

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.scored)

    @property
    def subdimension_codes(self) -> tuple[str, ...]:
        return tuple(code for dimension in self.dimensions for code in dimension.subdimensions)

    def dimension_of(self, subdimension: str) -> DimensionSpec:
        return next(d for d in self.dimensions if subdimension in d.subdimensions)


def checksum_of(data: Mapping[str, Any]) -> str:
    """A stable hash of the parsed file, so that a published version cannot change silently."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise QuestionnaireError(f"{where} thiếu trường «{key}».")
    return data[key]


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QuestionnaireError(f"{where}: «{value}» không phải là số.")
    return float(value)


def _option(raw: Mapping[str, Any], where: str) -> AnswerOption:
    code = str(_require(raw, "code", where))
    value = raw.get("value")
    if value == DONT_KNOW:
        parsed = None
    else:
        parsed = _number(value, f"{where}, mã {code}")
        if parsed is None or not 0.0 <= parsed <= 1.0:
            raise QuestionnaireError(f"{where}, mã {code}: điểm phải nằm trong [0; 1].")
    return AnswerOption(code=code, label_vi=str(raw.get("label_vi", code)), value=parsed)


def _scale(code: str, raw: Mapping[str, Any]) -> Scale:
    where = f"Thang «{code}»"
    kind = str(raw.get("type", ScaleKind.CHOICE))
    if kind not in ScaleKind.values:
        raise QuestionnaireError(f"{where}: loại «{kind}» không hợp lệ.")
    options = tuple(_option(option, where) for option in raw.get("options", []))
    codes = [option.code for option in options]
    if len(set(codes)) != len(codes):
        raise QuestionnaireError(f"{where}: có mã trả lời trùng nhau.")
    if kind == ScaleKind.CHOICE:
        if not any(option.value is not None for option in options):
            raise QuestionnaireError(f"{where}: cần ít nhất một phương án có điểm.")
        return Scale(code=code, kind=kind, label_vi=str(raw.get("label_vi", code)), options=options)
    minimum = _number(_require(raw, "min", where), where)
    maximum = _number(_require(raw, "max", where), where)
    positive = raw.get("positive") or {}
    positive_min = _number(positive.get("min"), where)
    positive_max = _number(positive.get("max"), where)
    if minimum is None or maximum is None or minimum > maximum:
        raise QuestionnaireError(f"{where}: khoảng giá trị không hợp lệ.")
    if positive_min is None and positive_max is None:
        raise QuestionnaireError(f"{where}: thiếu ngưỡng «positive» (min và/hoặc max).")
    for option in options:
        if not _is_number(option.code):
            raise QuestionnaireError(f"{where}: mã đặc biệt «{option.code}» phải là số.")
        if minimum <= float(option.code) <= maximum:
            raise QuestionnaireError(
                f"{where}: mã đặc biệt {option.code} trùng với khoảng giá trị hợp lệ."
            )
    return Scale(
        code=code,
        kind=kind,
        label_vi=str(raw.get("label_vi", code)),
        options=options,
        minimum=minimum,
        maximum=maximum,
        positive_min=positive_min,
        positive_max=positive_max,
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _condition(raw: Any, item_code: str, earlier: Mapping[str, Item]) -> Condition | None:
    if raw is None:
        return None
    where = f"Câu «{item_code}», điều kiện hỏi"
    target = str(_require(raw, "item", where))
    if target not in earlier:
        raise QuestionnaireError(f"{where}: câu «{target}» phải đứng trước câu này.")
    codes = tuple(str(code) for code in raw.get("codes", []))
    unknown = [code for code in codes if earlier[target].scale.option(code) is None]
    if not codes or unknown:
        raise QuestionnaireError(f"{where}: mã trả lời không thuộc thang của «{target}».")
    return Condition(item=target, codes=codes)


def parse_questionnaire(data: Mapping[str, Any]) -> Questionnaire:
    """Check a questionnaire file's content and return it as frozen data."""
    if not isinstance(data, Mapping):
        raise QuestionnaireError("nội dung tệp phải là một bảng (mapping) YAML.")
    version = str(_require(data, "version", "Phiếu"))
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{0,59}", version):
        raise QuestionnaireError(f"mã phiên bản «{version}» chỉ gồm chữ thường, số, «-» và «.».")
    scales = {str(code): _scale(str(code), raw) for code, raw in (data.get("scales") or {}).items()}
    dimensions = tuple(
        DimensionSpec(
            code=str(_require(raw, "code", "Chỉ số nội dung")),
            subdimensions=tuple(str(code) for code in _require(raw, "subdimensions", "Chỉ số")),
        )
        for raw in _require(data, "dimensions", "Phiếu")
    )
    subdimensions = [code for dimension in dimensions for code in dimension.subdimensions]
    if len(set(subdimensions)) != len(subdimensions):
        raise QuestionnaireError("một chỉ số nội dung thành phần được khai báo hai lần.")
    items: dict[str, Item] = {}
    for position, raw in enumerate(_require(data, "items", "Phiếu"), start=1):
        code = str(_require(raw, "code", f"Câu thứ {position}"))
        if not ITEM_CODE_PATTERN.match(code):
            raise QuestionnaireError(f"mã câu «{code}» không hợp lệ cho KoboToolbox/ODK.")
        if code in items:
            raise QuestionnaireError(f"mã câu «{code}» bị trùng.")
        scale_code = str(_require(raw, "scale", f"Câu «{code}»"))
        if scale_code not in scales:
            raise QuestionnaireError(f"câu «{code}» dùng thang «{scale_code}» chưa khai báo.")
        kind = str(_require(raw, "kind", f"Câu «{code}»"))
        if kind not in ItemKind.values:
            raise QuestionnaireError(f"câu «{code}»: loại «{kind}» không hợp lệ.")
        subdimension = raw.get("subdimension")
        subdimension = None if subdimension is None else str(subdimension)
        if kind != ItemKind.FILTER and subdimension not in subdimensions:
            raise QuestionnaireError(
                f"câu «{code}» gắn với chỉ số thành phần «{subdimension}» không có trong phiếu."
            )
        items[code] = Item(
            code=code,
            ref=str(raw.get("ref", code)),
            subdimension=subdimension,
            kind=kind,
            scale=scales[scale_code],
            reverse=bool(raw.get("reverse", False)),
            text_vi=str(_require(raw, "text_vi", f"Câu «{code}»")),
            text_en=str(raw.get("text_en", "")),
            basis=str(raw.get("basis", "")),
            asked_if=_condition(raw.get("asked_if"), code, items),
        )
    for code in subdimensions:
        if not any(item.subdimension == code and item.scored for item in items.values()):
            raise QuestionnaireError(f"chỉ số thành phần «{code}» không có câu hỏi tính điểm.")
    design = data.get("design_variables") or {}
    design_options = {
        str(name): {str(key): str(label) for key, label in (spec.get("options") or {}).items()}
        for name, spec in design.items()
    }
    for name in ("sex", "age_group", "urban_rural"):
        if not design_options.get(name):
            raise QuestionnaireError(f"thiếu danh mục mã của biến thiết kế «{name}».")
    share = _number(data.get("min_answered_share", 0.5), "min_answered_share")
    if share is None or not 0.0 < share <= 1.0:
        raise QuestionnaireError("min_answered_share phải nằm trong (0; 1].")
    return Questionnaire(
        version=version,
        title_vi=str(_require(data, "title_vi", "Phiếu")),
        index_code=str(_require(data, "index", "Phiếu")),
        status=str(data.get("status", "draft")),
        notice_vi=str(data.get("notice_vi", "")),
        min_respondents=int(data.get("min_respondents", 10)),
        min_answered_share=share,
        design_options=design_options,
        dimensions=dimensions,
        items=tuple(items.values()),
        checksum=checksum_of(data),
    )
