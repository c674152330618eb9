"""Build the demo province by calling the services, so demo data passes the same checks.

Tests reuse these builders; `manage.py seed_demo` is a thin wrapper around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from papitrack.accounts.enums import Role
from papitrack.accounts.services import create_or_update_user
from papitrack.indices.services import import_published_scores, load_index_framework
from papitrack.orgunits.models import OrgUnit
from papitrack.orgunits.services import load_org_units
from papitrack.plans.models import Plan
from papitrack.plans.services import load_plan

DEMO_PASSWORD = "papitrack-demo"  # noqa: S105 - documented demo password, demo loader only
PLAN_FILE = "qna-4055-2020.yaml"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    unit_code: str
    role: str
    full_name: str
    job_title: str
    is_staff: bool = False


DEMO_ACCOUNTS = (
    DemoAccount(
        "demo-coordinator",
        "QNA-SNV",
        Role.COORDINATOR,
        "Nguyễn Thị Điều Phối",
        "Chuyên viên Sở Nội vụ",
    ),
    DemoAccount(
        "demo-lead",
        "QNA-SLDTBXH",
        Role.LEAD_REVIEWER,
        "Trần Văn Chủ Trì",
        "Chuyên viên Sở LĐ-TB&XH",
    ),
    DemoAccount(
        "demo-district",
        "508",
        Role.UNIT_REPORTER,
        "Lê Văn Huyện",
        "Chuyên viên UBND huyện Duy Xuyên",
    ),
    DemoAccount(
        "demo-commune",
        "20605",
        Role.UNIT_REPORTER,
        "Phạm Thị Xã",
        "Công chức văn phòng UBND xã Duy Phú",
    ),
    DemoAccount("demo-leader", "49", Role.LEADER, "Hồ Lãnh Đạo", "Lãnh đạo UBND tỉnh"),
    # Old Đà Nẵng city: a real unit with no part in Quảng Nam's plan.
    DemoAccount(
        "demo-outsider",
        "48",
        Role.UNIT_REPORTER,
        "Võ Văn Ngoài",
        "Chuyên viên UBND thành phố Đà Nẵng",
    ),
    DemoAccount(
        "demo-admin",
        "QNA-SNV",
        Role.ADMINISTRATOR,
        "Quản trị hệ thống",
        "Quản trị viên",
        is_staff=True,
    ),
)


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def build_foundation() -> Plan:
    """Units, the PAPI framework, every published score file and plan 4055."""
    load_org_units(directory=data_dir() / "orgunits")
    load_index_framework(path=data_dir() / "indices" / "papi.yaml")
    for path in sorted((data_dir() / "papi").glob("papi_scores_*.csv")):
        import_published_scores(index_code="PAPI", path=path, source=path.name)
    return load_plan(path=data_dir() / "plans" / PLAN_FILE).plan


def build_demo_accounts() -> None:
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    for account in DEMO_ACCOUNTS:
        create_or_update_user(
            username=account.username,
            password=DEMO_PASSWORD,
            unit=units[account.unit_code],
            role=account.role,
            full_name=account.full_name,
            job_title=account.job_title,
            is_staff=account.is_staff,
            is_superuser=account.is_staff,
        )
