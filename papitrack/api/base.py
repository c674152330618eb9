"""The NinjaAPI papitrack uses: every error in the shape docs/api.md promises, and documented.

django-ninja answers invalid input with {"detail": [pydantic errors]} in English, a missing
token with {"detail": "Unauthorized"}, and leaves both out of the OpenAPI schema. Clients (and
schemathesis) rely on the schema, so here every error is {"detail": "<Vietnamese>", "errors":
[...]} and each operation lists the error statuses it can answer.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError
from ninja.openapi.schema import OpenAPISchema

INVALID_INPUT = "Dữ liệu gửi lên không hợp lệ."
UNAUTHENTICATED = (
    "Chưa đăng nhập: gửi mã truy cập (Authorization: Bearer …, lấy từ POST /api/v1/auth/token) "
    "hoặc đăng nhập trên trang web."
)
ERROR_SCHEMA = "Error"
ERROR_DESCRIPTIONS = {
    "400": "Không đọc được nội dung yêu cầu",
    "401": "Chưa đăng nhập",
    "403": "Không có quyền, hoặc thiếu mã CSRF khi dùng phiên đăng nhập của trình duyệt",
    "413": "Yêu cầu quá lớn",
    "422": "Dữ liệu không hợp lệ",
}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}
# Paging offsets are clamped to this: a larger one would overflow the database's integer
# (a 500) and can only ever return an empty page anyway.
MAX_OFFSET = 10**9


def _location(error: dict[str, Any]) -> str:
    return ".".join(str(part) for part in error.get("loc", ()))


class PapitrackAPI(NinjaAPI):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_exception_handler(InputError, self._invalid_input)
        self.add_exception_handler(AuthenticationError, self._unauthenticated)
        self.add_exception_handler(HttpError, self._http_error)

    # ninja types a handler's error as "the exception or its class"; only instances arrive.
    def _invalid_input(self, request: HttpRequest, error: Any) -> HttpResponse:
        messages = [f"{_location(item)}: {item.get('msg', '')}" for item in error.errors]
        return self.create_response(
            request, {"detail": INVALID_INPUT, "errors": messages}, status=422
        )

    def _unauthenticated(self, request: HttpRequest, error: Any) -> HttpResponse:
        return self.create_response(
            request, {"detail": UNAUTHENTICATED, "errors": []}, status=error.status_code
        )

    def _http_error(self, request: HttpRequest, error: Any) -> HttpResponse:
        return self.create_response(
            request, {"detail": str(error), "errors": []}, status=error.status_code
        )

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The schema, with the error answers every operation can give added where missing."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA] = {
            "title": ERROR_SCHEMA,
            "type": "object",
            "properties": {
                "detail": {"title": "Detail", "type": "string"},
                "errors": {"title": "Errors", "type": "array", "items": {"type": "string"}},
            },
            "required": ["detail"],
        }
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                statuses = ["422"]
                if "requestBody" in operation:
                    statuses += ["400", "413"]
                if operation.get("security"):
                    statuses.append("401")
                    if method in UNSAFE_METHODS:
                        statuses.append("403")
                responses = operation.setdefault("responses", {})
                for status in statuses:
                    responses.setdefault(
                        status,
                        {
                            "description": ERROR_DESCRIPTIONS[status],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
                                }
                            },
                        },
                    )
        return schema
