"""The daily digest e-mail: one per user per day, built from frozen data, rendered as text."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.template.loader import render_to_string

from papitrack.notifications.enums import NoticeKind

DATE_FORMAT = "%d/%m/%Y"
# A digest lists at most this many notices per section and links to the rest, so that a
# coordinator told about hundreds of overdue communes still gets a readable message.
MAX_ITEMS_PER_SECTION = 25
SUBJECT = "[PAPITrack] Thông báo ngày {day}: {summary}"

# Sections in the order a reader should act on them, with the short form for the subject.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    (NoticeKind.RETURNED, "Báo cáo bị trả lại, cần chỉnh sửa và gửi lại", "bị trả lại"),
    (NoticeKind.ESCALATION, "Báo cáo quá hạn trên 5 ngày làm việc, cần đôn đốc", "cần đôn đốc"),
    (NoticeKind.OVERDUE, "Báo cáo quá hạn", "quá hạn"),
    (NoticeKind.DUE_TODAY, "Báo cáo đến hạn hôm nay", "đến hạn hôm nay"),
    (NoticeKind.REMINDER, "Báo cáo sắp đến hạn", "sắp đến hạn"),
    (NoticeKind.SUBMITTED, "Báo cáo chờ xem xét, phê duyệt", "chờ duyệt"),
    (NoticeKind.APPROVED, "Báo cáo đã được phê duyệt", "đã phê duyệt"),
)


@dataclass(frozen=True)
class DigestItem:
    kind: str
    message: str
    url: str


@dataclass(frozen=True)
class DigestSection:
    title: str
    short_title: str
    count: int
    items: tuple[DigestItem, ...]

    @property
    def more(self) -> int:
        return self.count - len(self.items)


@dataclass(frozen=True)
class DigestContent:
    recipient_name: str
    unit_name: str
    outside_command: bool
    day: datetime.date
    sections: tuple[DigestSection, ...]
    notifications_url: str
    preferences_url: str

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def day_text(self) -> str:
        return self.day.strftime(DATE_FORMAT)


def build_sections(items: Iterable[DigestItem]) -> tuple[DigestSection, ...]:
    """Group notices by kind in reading order; empty sections are left out."""
    by_kind: dict[str, list[DigestItem]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    return tuple(
        DigestSection(
            title=title,
            short_title=short,
            count=len(by_kind[kind]),
            items=tuple(by_kind[kind][:MAX_ITEMS_PER_SECTION]),
        )
        for kind, title, short in SECTIONS
        if by_kind.get(kind)
    )


def digest_subject(content: DigestContent) -> str:
    summary = ", ".join(f"{section.count} {section.short_title}" for section in content.sections)
    return SUBJECT.format(day=content.day_text, summary=summary)


def render_digest(content: DigestContent) -> tuple[str, str]:
    """Return (subject, plain-text body) in Vietnamese."""
    body = render_to_string("notifications/digest_email.txt", {"digest": content})
    return digest_subject(content), body
