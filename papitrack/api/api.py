"""The JSON API, version 1, mounted at /api/v1/ with its schema at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI

from papitrack.api import plans, provinces

api = NinjaAPI(
    title="papitrack API",
    version="1",
    description=(
        "API đọc dữ liệu của papitrack: tỉnh, điểm PAPI công bố với thứ hạng và nhóm, "
        "kế hoạch, nhiệm vụ và kết quả đánh giá kế hoạch. Số thập phân trả về dạng chuỗi "
        "để giữ chính xác. Xem docs/api.md."
    ),
    urls_namespace="api",
    # The interactive docs page loads its assets from a CDN; closed intranets cannot, so it is
    # off and docs/api.md documents every endpoint instead.
    docs_url=None,
    openapi_url="/openapi.json",
)
api.add_router("", provinces.router)
api.add_router("", plans.router)
