from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from portal.accounts import views
from portal.accounts.forms import PasswordResetForm, SetPasswordForm

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("session/", views.session_status, name="session-status"),
    path("session/keep-alive/", views.keep_alive, name="keep-alive"),
    path("organisations/", views.organisations, name="organisations"),
    path("your-data/", views.your_data, name="your-data"),
    path("your-data/download/", views.download_your_data, name="your-data-download"),
    path("your-data/confirm-email/", views.send_email_proof, name="your-data-send-email-proof"),
    path(
        "your-data/confirm-email/<str:token>/",
        views.prove_email,
        name="your-data-prove-email",
    ),
    path("delete/", views.delete_account, name="delete-account"),
    path("deleted/", views.account_deleted, name="account-deleted"),
    path("requests/", views.membership_requests, name="membership-requests"),
    path(
        "requests/<int:pk>/decide/",
        views.decide_membership_request,
        name="membership-request-decide",
    ),
    # Django's password reset views: tokens, expiry and the one-use link are theirs.
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            template_name="accounts/password_reset_form.html",
            subject_template_name="emails/password_reset_subject.txt",
            email_template_name="emails/password_reset.txt",
            html_email_template_name="emails/password_reset.html",
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "password-reset/check-your-email/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html"
        ),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetPasswordForm,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
]
