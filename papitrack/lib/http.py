"""Facts about an HTTP request that several layers need."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: from settings.CLIENT_ADDRESS_HEADER behind a reverse proxy,
    else the connection's address; None when it is not a valid address.

    With a list (X-Forwarded-For) the last entry is taken: it is the one our own proxy
    appended; earlier entries come from the client and may be forged.
    """
    header = str(settings.CLIENT_ADDRESS_HEADER)
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    else:
        raw = request.META.get("REMOTE_ADDR", "")
    candidate = str(raw).split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
