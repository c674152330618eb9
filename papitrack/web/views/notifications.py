"""The user's own notices (mark read) and how they want to be told."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from papitrack.accounts.models import User
from papitrack.notifications import services
from papitrack.notifications.queries import notifications_for, preference_for, unread_count
from papitrack.web.forms_notifications import NotificationPreferenceForm

PAGE_SIZE = 50
MARKED_ONE = "Đã đánh dấu thông báo là đã đọc."
MARKED_ALL = "Đã đánh dấu {count} thông báo là đã đọc."
UNKNOWN_ACTION = "Thao tác không hợp lệ."
PREFERENCES_SAVED = "Đã lưu cách nhận thông báo."


def _user(request: HttpRequest) -> User:
    # login_required has run: the user is a real account.
    assert isinstance(request.user, User)  # noqa: S101
    return request.user


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    unread_only = request.GET.get("unread") == "1"
    if request.method == "POST":
        action = request.POST.get("action", "")
        notification = request.POST.get("notification", "")
        # isascii: "²" passes isdigit() but not int().
        if action == "read" and notification.isascii() and notification.isdigit():
            services.mark_notification_read(
                user=user, notification_id=int(request.POST["notification"])
            )
            messages.success(request, MARKED_ONE)
        elif action == "read_all":
            count = services.mark_all_notifications_read(user=user)
            messages.success(request, MARKED_ALL.format(count=count))
        else:
            messages.error(request, UNKNOWN_ACTION)
        query = request.GET.urlencode()
        return redirect(reverse("web:notification_list") + (f"?{query}" if query else ""))
    page = Paginator(notifications_for(user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "web/notifications/notification_list.html",
        {"page": page, "unread_only": unread_only, "unread_count": unread_count(user)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    preference = preference_for(user)
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None, instance=preference
    )
    if request.method == "POST" and form.is_valid():
        services.update_notification_preferences(user=user, **form.cleaned_data)
        messages.success(request, PREFERENCES_SAVED)
        return redirect("web:notification_preferences")
    return render(
        request,
        "web/notifications/notification_preferences.html",
        {"form": form, "email": user.email},
        status=400 if form.errors else 200,
    )
