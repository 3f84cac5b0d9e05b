"""The CPV search: a page to look codes up without JavaScript, and, asked with
``format=json``, the picker's suggestions (at most 20 codes, broadest first)."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from portal.procurement.cpv import (
    MAX_QUERY_LENGTH,
    division_choices,
    matching_cpv_codes,
    search_cpv,
)

RESULTS_PER_PAGE = 50


@require_safe
def cpv_search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "results": [
                    {"code": code.code, "description": code.description}
                    for code in (search_cpv(query) if query else [])
                ]
            }
        )
    paginator = Paginator(matching_cpv_codes(query), RESULTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    response = render(
        request,
        "procurement/cpv/search.html",
        {
            "query": query,
            "page_obj": page,
            "codes": page.object_list,
            "total": paginator.count,
            "divisions": [] if query else division_choices(),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
