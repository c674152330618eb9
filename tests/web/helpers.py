"""Helpers for the web screen tests: read what a page embeds for its scripts."""

from __future__ import annotations

import json
import re
from typing import Any

LOGIN_URL = "/accounts/login/"


def embedded_json(response: Any, element_id: str) -> Any:
    """The data of a json_script element, as the page's JavaScript reads it."""
    html = response.content.decode()
    match = re.search(
        rf'<script id="{re.escape(element_id)}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match is not None, f"no json_script element #{element_id}"
    return json.loads(match.group(1))


def task_labels(response: Any) -> list[str]:
    return [task.printed_label for task in response.context["tasks"]]
