"""Replay the notification job and the daily digests over the demo's 2020 cycle, day by day.

Data: a copy of the demo database (var/papitrack.sqlite3, built by `make seed`), so the
original is never touched; the demo accounts get e-mail addresses in the copy, mails go to
Django's in-memory outbox. Every calendar day from --first to --last runs
`run_notification_job` at 07:00 and `send_daily_digests` at 07:30, as cron would.

Checks: at most one e-mail per user per day; a second run of the worst day creates nothing.

Run:
    .venv/bin/python benchmarks/notifications_replay.py   # --first 2020-09-01 --last 2021-01-15

The last line:
    notices=<created> mails=<sent> worst_day=<date> worst_notices=<n> worst_seconds=<s>
    total_cpu_seconds=<s>
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_ACCOUNTS = ("demo-coordinator", "demo-lead", "demo-district", "demo-commune")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=datetime.date.fromisoformat, default="2020-09-01")
    parser.add_argument("--last", type=datetime.date.fromisoformat, default="2021-01-15")
    parser.add_argument("--database", type=Path, default=ROOT / "var" / "papitrack.sqlite3")
    options = parser.parse_args()
    if not options.database.exists():
        sys.exit(f"{options.database} is missing: run `make seed` first.")
    work = Path(tempfile.mkdtemp(prefix="papitrack-notifications-"))
    copy = work / "replay.sqlite3"
    shutil.copyfile(options.database, copy)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{copy}",
        PAPITRACK_ALLOW_DEV_SECRET="1",  # noqa: S106 - a flag, not a password
        DJANGO_SETTINGS_MODULE="papitrack.settings",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    sys.path.insert(0, str(ROOT))
    import django  # noqa: PLC0415 - set up only after the environment points at the copy

    django.setup()
    from django.core import mail  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    from papitrack.accounts.models import User  # noqa: PLC0415
    from papitrack.notifications.services import (  # noqa: PLC0415
        run_notification_job,
        send_daily_digests,
    )

    call_command("migrate", verbosity=0)
    for user in User.objects.filter(username__in=DEMO_ACCOUNTS):
        user.email = f"{user.username}@example.invalid"
        user.save(update_fields=["email"])
    mail.outbox = []
    print(f"python {sys.version.split()[0]}, django {django.get_version()}, {os.cpu_count()} CPUs")
    total = 0
    worst = (options.first, 0, 0.0)
    cpu = time.process_time()
    day = options.first
    while day <= options.last:
        at = datetime.datetime.combine(day, datetime.time(7), tzinfo=LOCAL)
        started = time.perf_counter()
        result = run_notification_job(today=day, now=at)
        digests = send_daily_digests(day=day, now=at + datetime.timedelta(minutes=30))
        seconds = time.perf_counter() - started
        total += result.created
        if result.created > worst[1]:
            worst = (day, result.created, seconds)
        if result.created:
            print(f"{day} {result.created:>6} notices {digests.sent:>3} mails {seconds:6.2f} s")
        day += datetime.timedelta(days=1)
    cpu = time.process_time() - cpu
    per_user_day: dict[tuple[str, str], int] = {}
    for message in mail.outbox:
        key = (message.to[0], message.subject.split(":")[0])
        per_user_day[key] = per_user_day.get(key, 0) + 1
    again = run_notification_job(
        today=worst[0], now=datetime.datetime.combine(worst[0], datetime.time(7), tzinfo=LOCAL)
    )
    print(f"max mails per user and day: {max(per_user_day.values(), default=0)} (must be 1)")
    print(f"second run of {worst[0]}: {again.created} new notices (must be 0)")
    shutil.rmtree(work)
    print(
        f"notices={total} mails={len(mail.outbox)} worst_day={worst[0]} worst_notices={worst[1]} "
        f"worst_seconds={worst[2]:.2f} total_cpu_seconds={cpu:.1f}"
    )


if __name__ == "__main__":
    main()
