"""Curators: the queue, the list of published and archived offers, creating and editing
offers, the review workflow, history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.accounts.access import organisation_to_act_for
from portal.catalogue import curator_list, queries
from portal.catalogue.access import get_offer_for_editor
from portal.catalogue.forms import OfferForm, RegionFilterForm
from portal.catalogue.rules import (
    can_curate,
    can_publish_offer,
    organisations_user_curates_for,
)
from portal.catalogue.services import curation as services
from portal.lib.versioning import StaleEditError, StatusError

QUEUE_PREVIEW_SIZE = 5
QUEUE_PAGE_SIZE = 25
LIST_PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 50


def _require_curator(request) -> None:
    if not can_curate(request.user):
        raise PermissionDenied(_("Only council staff who curate support can see this page."))


@login_required
@require_safe
def queue(request):
    """The curator's home: their organisations' offers that need something doing."""
    _require_curator(request)
    chosen = request.GET.get("group")
    if chosen and chosen not in queries.QUEUE_GROUP_KEYS:
        raise Http404("No such group")
    groups = []
    for group in queries.curation_queue(request.user, only=chosen or None):
        if chosen:
            page = Paginator(group.offers, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
            items = page.object_list
        else:
            page = None
            items = list(group.offers[:QUEUE_PREVIEW_SIZE]) if group.count else []
        groups.append(
            {
                "key": group.key,
                "heading": group.heading,
                "count": group.count,
                "offers": items,
                "page": page,
            }
        )
    curating = list(organisations_user_curates_for(request.user)[:2])
    context = {
        "groups": groups,
        "chosen": chosen,
        # One organisation: its export at once; several: the import page asks which.
        "export_url": (
            reverse("catalogue:offer-export")
            if len(curating) == 1
            else reverse("catalogue:offer-import") + "#export"
        ),
    }
    return render(request, "catalogue/curation/queue.html", context)


@login_required
@require_safe
def offer_list(request):
    """The user's organisations' published and archived offers: search, filter, sort."""
    _require_curator(request)
    criteria = curator_list.criteria_from_query(request.GET)
    organisations, several = curator_list.organisations_to_filter_by(request.user)
    offers, counts = curator_list.curator_offers(
        request.user, criteria, organisations=organisations
    )
    paginator = Paginator(offers, LIST_PAGE_SIZE)
    paginator.count = counts.total  # counted with the filters: no second count query
    page = paginator.get_page(criteria.page)
    context = {
        "criteria": criteria,
        "page_obj": page,
        "offers": page.object_list,
        "total": counts.total,
        "facets": curator_list.facet_groups(criteria, counts, organisations),
        "sorts": curator_list.SORTS.offered(words=False),
        "several_organisations": several,
    }
    return render(request, "catalogue/curation/offer_list.html", context)


def _region_filter(request):
    form = RegionFilterForm(request.GET)
    return form, (form.cleaned_data["region"] if form.is_valid() else None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def offer_create(request):
    _require_curator(request)
    curator = organisation_to_act_for(request, organisations_user_curates_for(request.user))
    if curator is None:
        organisations = organisations_user_curates_for(request.user).order_by("name")
        page = Paginator(organisations, 50).get_page(request.GET.get("page"))
        return render(request, "catalogue/curation/choose_organisation.html", {"page": page})

    form = OfferForm(
        request.POST if request.method == "POST" else None, user=request.user, curator=curator
    )
    if form.is_bound and form.is_valid():
        try:
            offer = services.create_offer(
                curator=curator, user=request.user, fields=form.changes()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Offer saved as a draft."))
            return redirect("catalogue:offer-edit", public_id=offer.public_id)
    context = {"form": form, "curator": curator, "offer": None}
    return render(request, "catalogue/curation/offer_form.html", context)


def _render_edit(request, *, offer, form, region_filter, status=200):
    context = {
        "form": form,
        "offer": offer,
        "curator": offer.curator,
        "region_filter": region_filter,
        "can_publish": can_publish_offer(request.user, offer),
    }
    return render(request, "catalogue/curation/offer_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def offer_edit(request, public_id):
    offer = get_offer_for_editor(request, public_id)
    region_filter, _region = _region_filter(request)
    form = OfferForm(
        request.POST if request.method == "POST" else None,
        instance=offer,
        user=request.user,
        curator=offer.curator,
    )
    if form.is_bound and form.is_valid():
        try:
            services.update_offer(
                offer=offer,
                user=request.user,
                changes=form.changes(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
            return _render_edit(
                request, offer=offer, form=form, region_filter=region_filter, status=409
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("catalogue:offer-edit", public_id=offer.public_id)
    return _render_edit(request, offer=offer, form=form, region_filter=region_filter)


@login_required
@require_safe
def offer_places(request, public_id):
    """The places fieldset with the councils of one region shown. htmx asks for the
    fragment as the region filter changes, sending the form's current choices; without
    JavaScript the filter's button gets the whole edit page with the councils narrowed."""
    offer = get_offer_for_editor(request, public_id)
    region_filter, region = _region_filter(request)
    initial = None
    if request.htmx:
        initial = {"councils": request.GET.getlist("councils")}
        if "uk_wide" in request.GET:
            initial["uk_wide"] = True
        if "regions" in request.GET:
            initial["regions"] = request.GET.getlist("regions")
    form = OfferForm(
        instance=offer,
        initial=initial,
        user=request.user,
        curator=offer.curator,
        shown_region=region,
    )
    if request.htmx:
        context = {"form": form, "offer": offer, "region_filter": region_filter}
        return render(request, "catalogue/curation/offer_form.html#places", context)
    return _render_edit(request, offer=offer, form=form, region_filter=region_filter)


def _status_action(request, offer, *, service, done: str):
    try:
        service(offer=offer, user=request.user)
    except StatusError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"title": offer.title})
    return redirect("catalogue:offer-edit", public_id=offer.public_id)


@login_required
@require_POST
def offer_submit(request, public_id):
    return _status_action(
        request,
        get_offer_for_editor(request, public_id),
        service=services.submit_offer_for_review,
        done=_("%(title)s has been sent to a manager to publish."),
    )


@login_required
@require_POST
def offer_publish(request, public_id):
    offer = get_offer_for_editor(request, public_id)
    if not can_publish_offer(request.user, offer):
        raise PermissionDenied(_("Only a manager of your organisation can publish offers."))
    return _status_action(
        request, offer, service=services.publish_offer, done=_("%(title)s is published.")
    )


@login_required
@require_POST
def offer_archive(request, public_id):
    return _status_action(
        request,
        get_offer_for_editor(request, public_id),
        service=services.archive_offer,
        done=_("%(title)s has been archived. It no longer shows in search."),
    )


@login_required
@require_safe
def offer_history(request, public_id):
    offer = get_offer_for_editor(request, public_id)
    changes = offer.changes.select_related("user").order_by("-at", "-id")
    page = Paginator(changes, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalogue/curation/history.html", {"offer": offer, "page": page})
