"""Pages of the matcher: "Recommended for you", the results page's "What to do next"
panel, and the "Useful / Not useful" marks."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from diagnostics.access import granted, latest_completed_for_visitor
from portal.core import visitor
from portal.lib.links import local_path
from portal.matching import rules, services
from portal.matching.alert_views import profile_query, signup_context
from portal.matching.forms import FeedbackForm, FilterForm, ProfileForm
from portal.matching.panels import render_recommended_panels
from portal.matching.recommendations import business_from_assessment, recommend
from portal.matching.shown import shown_lists
from portal.procurement.queries.filters import OpportunityFilters

PER_PAGE = 10
# The "Recommended for you" page ranks this many offers (then pages through them).
RANKED = 100
PANEL_OFFERS = 5
PANEL_OPPORTUNITIES = 5


def contracts_url(business, council) -> str:
    """The contracts list filtered for what the business supplies, in its council."""
    query = OpportunityFilters.for_supplies(
        business.supplies, council=council.gss_code if council is not None else ""
    ).to_querystring()
    return reverse("procurement:list") + (f"?{query}" if query else "")


def results_panel_context(*, request, assessment):
    """The results page's "What to do next": the best offers for the weakest dimensions
    and the flags, then the best opportunities (diagnostics' panel registry calls it)."""
    if not rules.can_see_recommendations_for(request.user, assessment, granted=granted(request)):
        return None
    business = business_from_assessment(assessment)
    found = recommend(
        business,
        offer_limit=PANEL_OFFERS,
        opportunity_limit=PANEL_OPPORTUNITIES,
    )
    offers, opportunities = shown_lists(found.support(), found.contracts())
    return {
        "offers": offers,
        "opportunities": opportunities,
        "profile_only": False,
        "source": request.path,
        **signup_context(request, assessment=assessment),
        "supplies": business.supplies,
        "contracts_url": contracts_url(business, assessment.council),
    }


def _profile_initial(request) -> dict:
    """The profile form starts with what the session knows of the business."""
    business = visitor.remembered(request)
    if business is None:
        return {}
    initial = {
        "council": business.council,
        "size": business.size,
        "stage": business.stage,
        "sic_section": business.sector,
        "supplies": list(business.supplies),
    }
    return {key: value for key, value in initial.items() if value}


@require_safe
@never_cache
def recommended(request):
    """The full ranked lists for the visitor's latest diagnostic, or for a profile they
    type in (ranked without their scores, and saying so)."""
    assessment = latest_completed_for_visitor(request)
    profile_form = None
    if assessment is not None:
        business = business_from_assessment(assessment)
        council = assessment.council
    else:
        if not rules.can_get_profile_recommendations(request.user):
            raise Http404
        profile_form = ProfileForm(
            request.GET if "council" in request.GET else None,
            initial=_profile_initial(request),
        )
        if not profile_form.is_valid():
            return render(request, "matching/profile.html", {"form": profile_form})
        business = profile_form.business()
        council = profile_form.cleaned_data["council"]
        visitor.remember(
            request,
            council=council.gss_code,
            size=profile_form.cleaned_data["size"],
            stage=profile_form.cleaned_data["stage"],
            sector=profile_form.cleaned_data["sic_section"],
            supplies=profile_form.cleaned_data.get("supplies") or None,
        )
    filters = FilterForm(request.GET)
    found = recommend(
        business,
        offer_limit=RANKED,
        kinds=filters.chosen("kind"),
        dimensions=filters.chosen("dimension"),
    )
    page = Paginator(found.support(), PER_PAGE).get_page(request.GET.get("page"))
    offers, opportunities = shown_lists(
        page.object_list,
        found.contracts() if page.number == 1 else [],
        first_rank=page.start_index(),
    )
    context = {
        "assessment": assessment,
        "business": business,
        "profile_form": profile_form,
        "filters": filters,
        "page_obj": page,
        "offers": offers,
        "opportunities": opportunities,
        "profile_only": found.profile_only,
        "eligible": found.offers.eligible,
        "source": request.path,
        **signup_context(
            request,
            assessment=assessment,
            query=profile_query(request.GET) if profile_form else "",
        ),
        "contracts_url": contracts_url(business, council),
    }
    template = "matching/recommended.html"
    if request.htmx:
        template += "#results"
    else:
        context["panels"] = render_recommended_panels(
            request=request, assessment=assessment, business=business
        )
    return render(request, template, context)


@require_POST
def feedback(request):
    """Record "Useful" or "Not useful" on one recommendation: the htmx form swaps in a
    thank-you; without JavaScript, back to the list with a message."""
    if not rules.can_give_feedback(request.user):
        raise Http404
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(request, "matching/feedback_refused.html", status=400)
    recorded = services.record_feedback(
        target=form.cleaned_data["target"],
        key=form.cleaned_data["key"],
        useful=form.cleaned_data["useful"] == "yes",
        rank=form.cleaned_data["rank"],
        reasons=form.cleaned_data["reasons"],
        from_profile_only=form.cleaned_data["profile_only"],
    )
    if recorded is None:
        raise Http404("No such recommendation")
    if request.htmx:
        return render(request, "matching/includes/feedback_thanks.html")
    messages.success(request, _("Thank you: your feedback helps us improve these suggestions."))
    return redirect(local_path(request, form.cleaned_data["next"]) or "matching:recommended")
