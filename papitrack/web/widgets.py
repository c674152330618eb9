"""Form widgets tuned for the busiest pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A select written in Python, with exactly the HTML of Django's templates.

    Django renders one template per option; for the several hundred units of a report
    filter that is most of the page's time (tests/web/test_widgets.py compares the output).
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            format_html('<select name="{}"', widget["name"]),
            _attributes(widget["attrs"]),
            ">",
        ]
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    '\n  <option value="'
                    + conditional_escape(str(option["value"]))
                    + '"'
                    + _attributes(option["attrs"])
                    + format_html(">{}</option>\n", option["label"])
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        # The HTML is built from escaped parts only.
        return mark_safe("".join(parts).strip())  # noqa: S308  # nosec B308 B703
