"""The NinjaAPI papitrack uses: every error in the shape docs/api.md promises, and documented.

django-ninja answers invalid input with {"detail": [pydantic errors]} in English, a missing
token with {"detail": "Unauthorized"}, and leaves both out of the OpenAPI schema. Clients (and
schemathesis) rely on the schema, so here every error is {"detail": "<Vietnamese>", "errors":
[...]} and each operation lists the error statuses it can answer.

Also the API's common rules: every operation needs a user unless declared PUBLIC (then it is
throttled per client address), and numbers typed as text are read as the web form reads them
(TypedDecimal).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as InputError
from ninja.openapi.schema import OpenAPISchema
from ninja.throttling import SimpleRateThrottle
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from papitrack.lib.http import client_address
from papitrack.lib.numbers import AmbiguousDecimalError, DecimalParseError, parse_typed_decimal

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
    "429": "Quá nhiều yêu cầu từ một địa chỉ (thao tác không cần đăng nhập)",
}
THROTTLED = "Quá nhiều yêu cầu từ địa chỉ của bạn. Vui lòng thử lại sau {seconds} giây."
UNSAFE_METHODS = {"post", "put", "patch", "delete"}
# Paging offsets are clamped to this: a larger one would overflow the database's integer
# (a 500) and can only ever return an empty page anyway.
MAX_OFFSET = 10**9


# Numbers a client sends as text are read like the web form reads them (lib.numbers).
DECIMAL_AMBIGUOUS = (
    "«{text}» không rõ là số nguyên có dấu chấm phân cách hàng nghìn hay số thập phân; hãy gửi "
    'số JSON (1250 hoặc 1.25) hoặc chuỗi không có dấu chấm hàng nghìn ("1250", "1,25").'
)
DECIMAL_INVALID = "«{text}» không phải là số (ví dụ 12,5 hoặc 1250)."


def _typed_decimal(value: Any) -> Any:
    """Text in either notation ("12,5", "12.5", "1.250,5") becomes a Decimal; "1.250" is
    refused as on the web form. JSON numbers go on to pydantic unchanged: in JSON the point
    is always the decimal point, so 1.250 is 1,25 without doubt."""
    if not isinstance(value, str):
        return value
    text = value[:40]
    try:
        return parse_typed_decimal(value)
    except AmbiguousDecimalError as error:
        raise PydanticCustomError("decimal_ambiguous", DECIMAL_AMBIGUOUS, {"text": text}) from error
    except DecimalParseError as error:
        raise PydanticCustomError("decimal_parsing", DECIMAL_INVALID, {"text": text}) from error


TypedDecimal = Annotated[
    Decimal,
    BeforeValidator(_typed_decimal),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": (
                'Số JSON (12.5) hoặc chuỗi theo cách gõ của người Việt ("12,5", "1.250,5"); '
                'chuỗi "1.250" bị từ chối vì không rõ là 1250 hay 1,25.'
            ),
        }
    ),
]


class AnonymousThrottle(SimpleRateThrottle):
    """At most settings.API_ANONYMOUS_RATE requests per client address and window.

    The address is the one sign-in throttling uses (lib.http.client_address: the reverse
    proxy's header when configured), not ninja's X-Forwarded-For guess, which a client can
    forge and which behind our proxy would put the whole province in one bucket. The rate is
    read per request so that it follows the settings.
    """

    scope = "papitrack_anonymous"

    def __init__(self) -> None:
        super().__init__(rate=str(settings.API_ANONYMOUS_RATE))

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests, self.duration = self.parse_rate(str(settings.API_ANONYMOUS_RATE))
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        address = client_address(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": address}


# Every operation needs a user (PapitrackAPI is created with auth=USER_AUTH) unless its router
# or the operation itself says **PUBLIC: then anyone may call it, throttled per address.
PUBLIC: dict[str, Any] = {"auth": None, "throttle": [AnonymousThrottle()]}


def _location(error: dict[str, Any]) -> str:
    return ".".join(str(part) for part in error.get("loc", ()))


class PapitrackAPI(NinjaAPI):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_exception_handler(InputError, self._invalid_input)
        self.add_exception_handler(AuthenticationError, self._unauthenticated)
        self.add_exception_handler(HttpError, self._http_error)
        self.add_exception_handler(Throttled, self._throttled)

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

    def _throttled(self, request: HttpRequest, error: Any) -> HttpResponse:
        # ninja adds Retry-After (the wait rounded up) to the response returned here.
        seconds = max(1, math.ceil(error.wait or 1))
        return self.create_response(
            request, {"detail": THROTTLED.format(seconds=seconds), "errors": []}, status=429
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
                else:
                    statuses.append("429")
                responses = operation.setdefault("responses", {})
                for status in statuses:
                    # ninja keys its own answers by number: "422" beside 422 would be written
                    # twice into the JSON.
                    if int(status) in responses:
                        continue
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
