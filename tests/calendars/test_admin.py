import pytest

pytestmark = pytest.mark.django_db


def test_calendar_days_are_listed_for_an_administrator(admin_client, seeded):
    response = admin_client.get("/admin/calendars/calendarday/?date__year=2020")
    assert response.status_code == 200
    assert "Mùng hai Tết Nguyên Đán" in response.content.decode()


def test_administrator_confirms_days_in_bulk(admin_client, seeded):
    from papitrack.calendars.models import CalendarDay

    ids = list(CalendarDay.objects.filter(date__year=2027).values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/calendars/calendarday/",
        {"action": "mark_confirmed", "_selected_action": [str(pk) for pk in ids]},
    )
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date__year=2027, confirmed=False).exists()


def test_due_date_rules_are_listed(admin_client, seeded):
    response = admin_client.get("/admin/calendars/duedaterule/")
    assert response.status_code == 200
    assert "Sở Nội vụ (tổng hợp, trình UBND tỉnh)" in response.content.decode()
