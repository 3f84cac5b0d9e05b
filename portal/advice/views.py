"""The founder's pages of asking for advice: the question (where the business is, who
to ask, then the form), the confirmation, the request by its signed link (with
withdrawal) and the privacy notice. The staff's queue is elsewhere.

The asking page is one view over one URL whose query string says what is asked about
(``from``, ``assessment``, ``offer``, and ``council`` and ``organisation`` once the
founder has chosen them): each step is a GET form back to it, so every step works
without JavaScript, and the request itself is a POST to the same address.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.advice import rules, services
from portal.advice.access import get_request_by_link
from portal.advice.asking import (
    Asking,
    concerned_dimension,
    public_service_near,
    recommendations_for,
    teams_for,
)
from portal.advice.asking import what_is_asked as read_what_is_asked
from portal.advice.choices import AskedFrom, ContactPreference
from portal.advice.display import back_link, shared_rows
from portal.advice.forms import AskForm, OrganisationChoiceForm
from portal.advice.tokens import make_request_token
from portal.places.forms import CouncilForm


def ask_url(asking: Asking, **extra) -> str:
    return reverse("advice:ask") + "?" + urlencode(asking.query(**extra))


def _where(request, asking: Asking):
    """No council known: ask for it first (a GET form back to this page)."""
    form = CouncilForm(request.GET if "council" in request.GET else None)
    if form.is_bound:
        form.is_valid()  # a council we know would have been read already: show why not
    return render(
        request,
        "advice/where.html",
        {"form": form, "hidden": asking.query(), "back": back_link(asking)},
    )


def _choose(request, asking: Asking, teams):
    """Several organisations serve the council: the founder chooses one."""
    form = OrganisationChoiceForm(
        request.GET if "organisation" in request.GET else None, teams=teams
    )
    if form.is_bound and form.is_valid():
        return None, form
    return (
        render(
            request,
            "advice/choose.html",
            {
                "form": form,
                "council": asking.council,
                "hidden": asking.query(council=asking.council.code),
                "back": back_link(asking),
            },
        ),
        form,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def ask(request):
    if not rules.can_ask_for_advice(request.user):
        raise Http404
    asking = read_what_is_asked(request)
    if asking.council is None:
        return _where(request, asking)
    teams = teams_for(asking.council)
    if not teams:
        return render(
            request,
            "advice/no_organisation.html",
            {
                "council": asking.council,
                "service": public_service_near(asking.council),
                "back": back_link(asking),
            },
        )
    team = teams[0]
    several = len(teams) > 1
    if several:
        page, choice = _choose(request, asking, teams)
        if page is not None:
            return page
        slug = choice.cleaned_data["organisation"]
        team = next(team for team in teams if team.organisation.slug == slug)
    organisation = team.organisation

    recommendations = recommendations_for(asking)
    form = AskForm(
        request.POST if request.method == "POST" else None,
        organisation_name=organisation.name,
        with_diagnostic=bool(asking.diagnostic),
        recommendations=recommendations.choosable,
    )
    if form.is_bound and form.is_valid():
        chosen = set(form.chosen_offer_ids())
        shared = [item for item in recommendations.choosable if item.offer_id in chosen]
        if recommendations.asked_about is not None:
            shared.insert(0, recommendations.asked_about)
        snapshot = services.Snapshot(
            profile=asking.profile,
            diagnostic=asking.diagnostic,
            recommendations=[item.as_snapshot() for item in shared],
            dimension=concerned_dimension(asking),
            offer_kind=asking.offer.kind if asking.offer is not None else "",
        )
        try:
            advice_request = services.ask_for_advice(
                organisation=organisation,
                council_id=asking.council.council_id,
                asked_from=asking.asked_from,
                details=form.details(),
                snapshot=snapshot,
                assessment=asking.assessment,
                offer=asking.offer,
                founder=request.user,
            )
        except services.TooManyRequests as error:
            form.add_error(None, error)
        except services.NotReceivingRequests:
            form.add_error(
                None,
                _(
                    "%(organisation)s has just stopped taking requests through this "
                    "service. Nothing has been sent. Go back and choose again."
                )
                % {"organisation": organisation.name},
            )
        else:
            return redirect(
                "advice:sent",
                public_id=advice_request.public_id,
                token=make_request_token(advice_request.public_id),
            )
    action_query = asking.query(
        council=asking.council.code, organisation=organisation.slug if several else ""
    )
    return render(
        request,
        "advice/ask.html",
        {
            "form": form,
            "organisation": organisation,
            "action": reverse("advice:ask") + "?" + urlencode(action_query),
            "change_organisation_url": ask_url(asking, council=asking.council.code)
            if several
            else "",
            "shared": shared_rows(asking, recommendations.asked_about),
            "back": back_link(asking),
        },
    )


@require_safe
@never_cache
def sent(request, public_id, token):
    """The confirmation, right after asking."""
    advice_request = get_request_by_link(public_id, token)
    return render(
        request,
        "advice/sent.html",
        {
            "advice_request": advice_request,
            "request_url": reverse("advice:request", args=[public_id, token]),
            "by_phone": advice_request.contact_preference == ContactPreference.PHONE,
        },
    )


@require_safe
@never_cache
def request_page(request, public_id, token):
    """The founder's request, by its signed link: what was sent, and withdrawing it."""
    advice_request = get_request_by_link(public_id, token)
    return render(
        request,
        "advice/request.html",
        {
            "advice_request": advice_request,
            "can_withdraw": rules.can_withdraw_request(advice_request, link_opens=True),
            "withdraw_url": reverse("advice:withdraw", args=[public_id, token]),
            "asked_about": _asked_about(advice_request),
        },
    )


def _asked_about(advice_request) -> str:
    first = advice_request.recommendations[0] if advice_request.recommendations else None
    if (
        first
        and advice_request.asked_from == AskedFrom.OFFER
        and first.get("offer_id") == advice_request.offer_id
    ):
        return first.get("title", "")
    return ""


@require_POST
def withdraw(request, public_id, token):
    advice_request = get_request_by_link(public_id, token)
    if not rules.can_withdraw_request(advice_request, link_opens=True):
        # Withdrawn already (a second click, another tab): the page says so.
        return redirect("advice:request", public_id=public_id, token=token)
    services.withdraw_request(advice_request=advice_request)
    messages.success(
        request,
        _(
            "You have withdrawn your request. We have erased your details and everything "
            "you shared with %(organisation)s."
        )
        % {"organisation": advice_request.organisation.name},
    )
    return redirect("advice:request", public_id=public_id, token=token)


@require_safe
def privacy(request):
    return render(request, "advice/privacy.html")
