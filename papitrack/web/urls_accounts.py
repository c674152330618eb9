"""Sign-in, two-factor and password pages, mounted at /accounts/ without a namespace.

Django's own views serve logout and the password pages; sign-in is ours (lockout, audit,
second factor).
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from papitrack.web.views import accounts

urlpatterns = [
    path("login/", accounts.SignInView.as_view(), name="login"),
    path("two-factor/verify/", accounts.two_factor_verify, name="two_factor_verify"),
    path("two-factor/", accounts.two_factor_setup, name="two_factor_setup"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
