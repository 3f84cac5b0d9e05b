import json
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.accounts import idle, personal_data, services
from portal.accounts.forms import (
    DeleteAccountForm,
    MembershipDecisionForm,
    MembershipRequestForm,
    SignInForm,
    SignUpForm,
)
from portal.accounts.models import MembershipRequest, Organisation, OrganisationKind, Role
from portal.accounts.panels import render_account_panels
from portal.accounts.permissions import (
    can_decide_membership_request,
    can_delete_own_account,
    can_download_own_data,
    is_moderator,
    manages_any_organisation,
    membership_requests_decidable_by,
    organisations_needing_another_manager,
)
from portal.lib.links import local_path
from portal.places.models import Council

ORGANISATIONS_PER_PAGE = 50
MEMBERSHIP_REQUESTS_PER_PAGE = 25
# Set in the new, signed-out session once an account is deleted, for the page after.
ACCOUNT_DELETED_SESSION_KEY = "accounts_account_deleted"


def _safe_next_url(request) -> str:
    return local_path(request, request.POST.get("next") or request.GET.get("next") or "")


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("password", "password_again")
@never_cache
def sign_up(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            user = services.sign_up(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Just created with the password given: no sign-in check (nor lockout) to pass.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account has been created."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/sign_up.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("password")
@never_cache
def sign_in(request):
    next_url = _safe_next_url(request)
    if request.method == "POST":
        form = SignInForm(request, data=request.POST)
        if form.is_valid():
            login(request, form.get_user())
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    elif request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    else:
        form = SignInForm(request)
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


@require_safe
@never_cache
def session_status(request):
    """How long the session has before it ends for being idle (the timeout warning's
    script asks; asking does not count as activity). Anyone may ask about their own
    session: the answer is about nobody else."""
    left = idle.seconds_left(request)
    return JsonResponse(
        {
            "signed_in": request.user.is_authenticated,
            "seconds_left": None if left is None else max(left, 0),
        }
    )


@require_POST
@never_cache
def keep_alive(request):
    """ "Stay signed in": the request itself is the activity the middleware notes."""
    if (left := idle.seconds_left(request)) is not None and request.user.is_authenticated:
        request.session[idle.LAST_SEEN_KEY] = int(time.time())
        left = settings.STAFF_IDLE_TIMEOUT_SECONDS
    return JsonResponse({"signed_in": request.user.is_authenticated, "seconds_left": left})


@require_POST
def sign_out(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
@require_safe
def account(request):
    user = request.user
    can_decide = is_moderator(user) or manages_any_organisation(user)
    context = {
        "memberships": user.memberships.select_related("organisation"),
        "pending_requests": user.membership_requests.pending().select_related("organisation"),
        "can_decide_requests": can_decide,
        "waiting_count": (
            membership_requests_decidable_by(user).pending().count() if can_decide else 0
        ),
        "panels": render_account_panels(request=request, user=user),
        "can_download_data": can_download_own_data(user),
        "can_delete_account": can_delete_own_account(user),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_safe
@never_cache
def your_data(request):
    """What "Download your data" gives, the button, and the way to add what is held under
    the person's email address without an account (by proving the address)."""
    if not can_download_own_data(request.user):
        raise PermissionDenied
    context = {
        "sources": personal_data.personal_data_sources(),
        "proven_email": personal_data.proven_email(request),
        "can_delete_account": can_delete_own_account(request.user),
    }
    return render(request, "accounts/your_data.html", context)


@login_required
@require_POST
@never_cache
def download_your_data(request):
    """Everything the apps hold about the person, as a JSON attachment, never cached."""
    if not can_download_own_data(request.user):
        raise PermissionDenied
    document = personal_data.export_personal_data(
        user=request.user, email=personal_data.proven_email(request)
    )
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    filename = f"{slugify(settings.SERVICE_NAME)}-your-data-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_POST
def send_email_proof(request):
    if not can_download_own_data(request.user):
        raise PermissionDenied
    names = {"email": request.user.email}
    if services.send_email_proof_link(user=request.user):
        messages.success(
            request,
            _(
                "We have sent a link to %(email)s. Open it within 1 hour, while signed in, "
                "to confirm the address is yours."
            )
            % names,
        )
    else:
        messages.info(
            request,
            _(
                "We sent a link to %(email)s a few minutes ago. Check your inbox and spam "
                "folder, or ask again in a few minutes."
            )
            % names,
        )
    return redirect("accounts:your-data")


@login_required
@require_safe
@never_cache
def prove_email(request, token: str):
    """The emailed link: marks this session as having proved the account's address (a
    change to the session only)."""
    if not can_download_own_data(request.user):
        raise PermissionDenied
    try:
        email = personal_data.prove_email(request, token)
    except personal_data.InvalidEmailProof as error:
        if error.expired:
            text = _("That link has expired: links work for 1 hour. Ask for a new one below.")
        else:
            text = _(
                "That link does not work for this account. Check you are signed in to the "
                "account it was sent for, or ask for a new one below."
            )
        messages.error(request, text)
    else:
        messages.success(
            request,
            _(
                "You have confirmed that %(email)s is yours. Your download now includes "
                "what we hold under it, and deleting your account erases that too."
            )
            % {"email": email},
        )
    return redirect("accounts:your-data")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("password")
@never_cache
def delete_account(request):
    """Ask for the password, then delete the account and everything held about the person
    (services.delete_account), sign them out and say it is done. People who can use the
    admin site, and the only manager of an organisation others belong to, get the reason
    instead of the form."""
    user = request.user
    allowed = can_delete_own_account(user)
    if request.method == "POST" and not allowed:
        raise PermissionDenied
    needing_a_manager = list(organisations_needing_another_manager(user)) if allowed else []
    email = personal_data.proven_email(request)
    form = DeleteAccountForm(
        request.POST if request.method == "POST" and not needing_a_manager else None,
        request=request,
    )
    if form.is_bound and form.is_valid():
        try:
            services.delete_account(user=user, email=email)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            request.session[ACCOUNT_DELETED_SESSION_KEY] = True
            return redirect("accounts:account-deleted")
    context = {
        "form": form,
        "allowed": allowed,
        "needing_a_manager": needing_a_manager,
        "memberships": user.memberships.select_related("organisation"),
        "proven_email": email,
    }
    return render(request, "accounts/delete_account.html", context)


@require_safe
@never_cache
def account_deleted(request):
    """Shown once, in the signed-out session the deletion left."""
    if not request.session.pop(ACCOUNT_DELETED_SESSION_KEY, False):
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(request, "accounts/account_deleted.html")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisations(request):
    form = MembershipRequestForm(
        request.POST if request.method == "POST" else None, user=request.user
    )
    if form.is_bound and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.request_membership(
                user=request.user,
                organisation=organisation,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("You have asked to join %(organisation)s. We will email you their decision.")
                % {"organisation": organisation.name},
            )
            return redirect("accounts:account")
    listed = Organisation.objects.exclude(kind=OrganisationKind.PLATFORM).prefetch_related(
        Prefetch("councils", queryset=Council.objects.only("pk", "name"))
    )
    page = Paginator(listed, ORGANISATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/organisations.html", {"form": form, "page": page})


def get_membership_request_for_decider(request, pk: int) -> MembershipRequest:
    """The membership request, if the signed-in user may decide it; 404 otherwise.

    404 rather than 403, so nobody learns which requests exist elsewhere.
    """
    membership_request = get_object_or_404(
        MembershipRequest.objects.select_related("user", "organisation"), pk=pk
    )
    if not can_decide_membership_request(request.user, membership_request):
        raise Http404("No membership request here for this user.")
    return membership_request


def _render_membership_requests(request, *, bound_form: MembershipDecisionForm | None = None):
    waiting = (
        membership_requests_decidable_by(request.user)
        .pending()
        .select_related("user", "organisation")
        .order_by("created", "pk")
    )
    page = Paginator(waiting, MEMBERSHIP_REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for membership_request in page:
        form = MembershipDecisionForm(membership_request=membership_request)
        if bound_form is not None and bound_form.membership_request_pk == membership_request.pk:
            form = bound_form
        rows.append((membership_request, form))
    context = {"page": page, "rows": rows, "form": bound_form}
    return render(request, "accounts/membership_requests.html", context)


@login_required
@require_safe
def membership_requests(request):
    return _render_membership_requests(request)


@login_required
@require_POST
def decide_membership_request(request, pk: int):
    membership_request = get_membership_request_for_decider(request, pk)
    form = MembershipDecisionForm(request.POST, membership_request=membership_request)
    if not form.is_valid():
        return _render_membership_requests(request, bound_form=form)
    names = {
        "person": membership_request.user.get_full_name(),
        "organisation": membership_request.organisation.name,
    }
    try:
        if form.cleaned_data["decision"] == "approve":
            role = Role(form.cleaned_data["role"])
            services.approve_membership_request(
                request=membership_request, decided_by=request.user, role=role
            )
            names["role"] = role.label.lower()
            messages.success(
                request,
                _("%(person)s is now a member of %(organisation)s, as %(role)s.") % names,
            )
        else:
            services.decline_membership_request(
                request=membership_request, decided_by=request.user
            )
            messages.success(
                request, _("You declined %(person)s’s request to join %(organisation)s.") % names
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:membership-requests")
