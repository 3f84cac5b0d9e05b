from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from portal.accounts import services
from portal.accounts.forms import (
    MembershipDecisionForm,
    MembershipRequestForm,
    SignInForm,
    SignUpForm,
)
from portal.accounts.models import MembershipRequest, Organisation, OrganisationKind, Role
from portal.accounts.panels import render_account_panels
from portal.accounts.permissions import (
    can_decide_membership_request,
    is_moderator,
    manages_any_organisation,
    membership_requests_decidable_by,
)
from portal.places.models import Council

ORGANISATIONS_PER_PAGE = 50
MEMBERSHIP_REQUESTS_PER_PAGE = 25


def _safe_next_url(request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


@require_http_methods(["GET", "POST"])
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
            login(request, user)
            messages.success(request, _("Your account has been created."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/sign_up.html", {"form": form})


@require_http_methods(["GET", "POST"])
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


@require_POST
def sign_out(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
@require_http_methods(["GET"])
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
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_http_methods(["GET", "POST"])
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
@require_http_methods(["GET"])
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
