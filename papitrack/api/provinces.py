"""Provinces and their published index scores."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from papitrack.api.base import PUBLIC
from papitrack.api.converters import plain, province_payload
from papitrack.api.schemas import ErrorOut, ProvinceOut, ProvinceScoresOut
from papitrack.indices.models import Index
from papitrack.indices.queries import province_history, score_years
from papitrack.orgunits.enums import UnitKind
from papitrack.orgunits.models import OrgUnit

# Published scores are public: no sign-in, throttled per address (api/base.py).
router = Router(tags=["provinces"], **PUBLIC)

UNKNOWN_PROVINCE = "Không có tỉnh mã {code}."
UNKNOWN_INDEX = "Không có chỉ số {code}."
NO_SCORES = "Chỉ số {index} chưa có điểm công bố năm {year} cho tỉnh {province}."


def _provinces() -> Any:
    # Provinces before 1 July 2025 carry the official two-digit codes the PAPI data use.
    return (
        OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code__regex=r"^\d{2}$")
        .prefetch_related("successor_links__successor")
        .order_by("code")
    )


@router.get(
    "/provinces", response=list[ProvinceOut], summary="Tỉnh, thành phố (63 đơn vị trước 1/7/2025)"
)
def list_provinces(request: HttpRequest) -> list[dict[str, Any]]:
    return [province_payload(province) for province in _provinces()]


@router.get(
    "/provinces/{code}/scores",
    response={200: ProvinceScoresOut, 404: ErrorOut},
    summary="Điểm công bố của một tỉnh trong một năm, với thứ hạng và nhóm",
)
def province_scores(
    request: HttpRequest, code: str, year: int | None = None, index: str = "PAPI"
) -> dict[str, Any]:
    """Per dimension and overall: score, rank among scored provinces, group 1–4, n ranked.

    Without `year`, the latest year with published scores. Missing values are absent, never 0.
    """
    province = _provinces().filter(code=code).first()
    if province is None:
        raise HttpError(404, UNKNOWN_PROVINCE.format(code=code))
    index_obj = Index.objects.filter(code=index).first()
    if index_obj is None:
        raise HttpError(404, UNKNOWN_INDEX.format(code=index))
    years = score_years(index=index_obj)
    chosen = year if year is not None else (years[-1] if years else 0)
    dimensions = {dimension.code: dimension for dimension in index_obj.dimensions.all()}
    rows = [
        row
        for row in province_history(index=index_obj, province=province)
        if row.current.year == chosen
    ]
    if not rows:
        raise HttpError(
            404, NO_SCORES.format(index=index, year=chosen, province=province.short_name)
        )
    rows.sort(key=lambda row: dimensions[row.current.dimension_code].number)
    return {
        "province": province_payload(province),
        "index": index_obj.code,
        "year": chosen,
        "scores": [
            {
                "dimension": row.current.dimension_code,
                "dimension_name": dimensions[row.current.dimension_code].name_vi,
                "score": plain(row.current.score),
                "rank": row.current.rank,
                "group": row.current.group,
                "count": row.current.count,
                "group_sizes": list(row.current.group_sizes),
                "group_sizes_status": row.current.group_status,
                "tied": row.current.tied,
                "tied_at_two_decimals": row.current.tied_at_two_decimals,
                "gap_to_next_group": plain(row.current.gap_to_next_group),
                "change": plain(row.change),
                "rank_change": row.rank_change,
                "ci_low": plain(row.current.ci_low),
                "ci_high": plain(row.current.ci_high),
            }
            for row in rows
        ],
    }
