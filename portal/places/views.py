from django.db.models import Case, IntegerField, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from portal.places.forms import CouncilForm
from portal.places.models import Council

SEARCH_RESULTS_LIMIT = 20


@require_safe
def council_choose(request):
    """Where is your business? A GET form, so the answer can be linked to and bookmarked."""
    form = CouncilForm(request.GET if "council" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("places:council-detail", gss_code=form.cleaned_data["council"].gss_code)
    return render(request, "places/council_choose.html", {"form": form})


@require_safe
def council_detail(request, gss_code):
    council = get_object_or_404(
        Council.objects.active().select_related("region"), gss_code=gss_code
    )
    return render(request, "places/council_detail.html", {"council": council})


@require_safe
def council_search(request):
    """Councils whose name contains the query, those starting with it first, as JSON."""
    query = request.GET.get("q", "").strip()[:100]
    councils = Council.objects.active().select_related("region")
    if query:
        councils = (
            councils.filter(name__icontains=query)
            .annotate(
                rank=Case(
                    When(name__istartswith=query, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "name")
        )
    results = [
        {
            "gss_code": council.gss_code,
            "name": council.name,
            "region": council.region.name,
            "nation": council.region.get_nation_display(),
        }
        for council in councils[:SEARCH_RESULTS_LIMIT]
    ]
    return JsonResponse({"results": results})
