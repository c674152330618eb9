"""Survey screens: list, estimates with intervals by district, import, codebook downloads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from papitrack.lib.numbers import round_half_up
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit
from papitrack.surveys.enums import Verdict
from papitrack.surveys.estimation import DEFAULT_REPLICATES, DEFAULT_SEED
from papitrack.surveys.exporters import CodebookCsvExporter, ResponseTemplateCsvExporter
from papitrack.surveys.models import Questionnaire
from papitrack.surveys.queries import (
    EstimateView,
    SurveyLookupError,
    SurveyReport,
    codebook,
    get_questionnaire,
    questionnaire_rows,
    survey_report,
    surveys_with_counts,
)
from papitrack.surveys.rules import can_import_survey
from papitrack.surveys.services import import_survey_responses, record_survey_microdata_access

CHART_PLACES = 4
NOT_PAPI = (
    "Đây là điểm ước lượng từ khảo sát tự đánh giá theo cấu trúc PAPI do tỉnh tự tổ chức, "
    "với phiếu hỏi do papitrack tự xây dựng — không phải điểm PAPI chính thức và không so "
    "sánh một-một với điểm PAPI."
)
IMPORT_FORBIDDEN = "Chỉ cán bộ điều phối hoặc quản trị hệ thống được nhập số liệu khảo sát."
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _chart_number(value: Decimal | None) -> str | None:
    return None if value is None else str(round_half_up(value, CHART_PLACES))


def _dimension_chart(report: SurveyReport) -> dict[str, Any]:
    rows = [row for row in report.comparisons if row.estimate.level == "dimension"]
    return {
        "categories": [row.label for row in rows],
        "estimate": [_chart_number(row.estimate.estimate) for row in rows],
        "low": [_chart_number(row.estimate.ci_low) for row in rows],
        "high": [_chart_number(row.estimate.ci_high) for row in rows],
        "target": [_chart_number(row.target.reference) for row in rows],
        "published": [_chart_number(row.published.reference) for row in rows],
        "target_label": f"Chỉ tiêu kế hoạch {report.plan.number}" if report.plan else "",
        "published_label": f"PAPI công bố {report.published_year}" if report.published_year else "",
        "min": "1",
        "max": "10",
    }


def _district_chart(report: SurveyReport) -> dict[str, Any]:
    rows = [row for row in report.districts if row.overall is not None]
    province = next((view for view in report.province_scores if view.level == "overall"), None)

    def value(view: EstimateView | None, field: str) -> str | None:
        return None if view is None else _chart_number(getattr(view, field))

    return {
        "categories": [row.unit_name for row in rows],
        "estimate": [value(row.overall, "estimate") for row in rows],
        "low": [value(row.overall, "ci_low") for row in rows],
        "high": [value(row.overall, "ci_high") for row in rows],
        "province": value(province, "estimate"),
        "province_label": f"Toàn tỉnh {report.survey.province.display_name}",
        "min": str(province.scale_min) if province else "8",
        "max": str(province.scale_max) if province else "80",
    }


@require_safe
@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/surveys/survey_list.html",
        {
            "surveys": list(surveys_with_counts()),
            "questionnaires": list(questionnaire_rows()),
            "can_import": can_import_survey(request.user),
            "not_papi": NOT_PAPI,
        },
    )


@require_safe
@login_required
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(surveys_with_counts(), pk=survey_id)
    report = survey_report(survey=survey)
    record_survey_microdata_access(actor=request.user, survey=survey, via="web:survey_detail")
    return render(
        request,
        "web/surveys/survey_detail.html",
        {
            "survey": survey,
            "report": report,
            "not_papi": NOT_PAPI,
            "dimension_chart": _dimension_chart(report),
            "district_chart": _district_chart(report),
            "verdicts": Verdict,
            "can_import": can_import_survey(request.user),
        },
    )


class SurveyImportForm(forms.Form):
    province = forms.ModelChoiceField(
        label="Tỉnh, thành phố",
        queryset=OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code__regex=r"^\d{2}$").order_by(
            "code"
        ),
        to_field_name="code",
    )
    year = forms.IntegerField(label="Năm khảo sát", min_value=2000, max_value=2100)
    name = forms.CharField(label="Tên đợt khảo sát", max_length=200)
    questionnaire = forms.ModelChoiceField(
        label="Phiên bản phiếu",
        queryset=Questionnaire.objects.order_by("version"),
        to_field_name="version",
    )
    responses = forms.FileField(
        label="Tệp trả lời (CSV hoặc XLSX)",
        help_text="Một dòng một người trả lời, một cột một câu hỏi, như tệp xuất KoboToolbox.",
    )
    population = forms.FileField(
        label="Bảng dân số theo huyện (CSV, không bắt buộc)",
        required=False,
        help_text="Cột district, variable, category, population; dùng để hậu phân tầng.",
    )
    replicates = forms.IntegerField(
        label="Số lần lặp bootstrap", initial=DEFAULT_REPLICATES, min_value=50, max_value=10_000
    )
    seed = forms.IntegerField(label="Hạt giống ngẫu nhiên", initial=DEFAULT_SEED, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def clean_responses(self) -> Any:
        upload = self.cleaned_data["responses"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("Tệp lớn hơn 10 MB.")
        return upload


@require_http_methods(["GET", "POST"])
@login_required
def survey_import(request: HttpRequest) -> HttpResponse:
    if not can_import_survey(request.user):
        raise PermissionDenied(IMPORT_FORBIDDEN)
    form = SurveyImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"province": "49", "questionnaire": "papi-aligned-v1"},
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        population = data["population"]
        try:
            summary = import_survey_responses(
                province=data["province"],
                year=data["year"],
                name=data["name"],
                questionnaire_version=data["questionnaire"].version,
                file_name=data["responses"].name,
                content=data["responses"].read(),
                population_file_name=population.name if population else "",
                population_content=population.read() if population else None,
                replicates=data["replicates"],
                seed=data["seed"],
            )
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("web:survey_detail", survey_id=summary.survey_id)
    return render(
        request,
        "web/surveys/survey_import.html",
        {"form": form, "errors": errors, "not_papi": NOT_PAPI},
        status=400 if errors or (request.method == "POST" and not form.is_valid()) else 200,
    )


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@require_safe
@login_required
def survey_codebook(request: HttpRequest, version: str) -> HttpResponse:
    try:
        questionnaire = get_questionnaire(version)
    except SurveyLookupError as error:
        raise Http404(str(error)) from error
    exporter = CodebookCsvExporter()
    return _download(
        exporter.render(codebook(questionnaire)),
        exporter.content_type,
        f"{questionnaire.version}-codebook.{exporter.file_extension}",
    )


@require_safe
@login_required
def survey_template(request: HttpRequest, version: str) -> HttpResponse:
    try:
        questionnaire = get_questionnaire(version)
    except SurveyLookupError as error:
        raise Http404(str(error)) from error
    exporter = ResponseTemplateCsvExporter()
    return _download(
        exporter.render(codebook(questionnaire)),
        exporter.content_type,
        f"{questionnaire.version}-template.{exporter.file_extension}",
    )
