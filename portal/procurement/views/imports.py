"""Moderators: the OCDS import runs, and one run's counts, warnings and rejections."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from portal.procurement.models import ImportRun
from portal.procurement.rules import can_view_import_runs

RUNS_PAGE_SIZE = 25
REJECTIONS_PAGE_SIZE = 50


def _require_import_viewer(request) -> None:
    if not can_view_import_runs(request.user):
        raise Http404("No such page")


@login_required
@require_safe
def import_runs(request):
    _require_import_viewer(request)
    # The runs' rejections, conflicts and warnings can be long: only a run's own page
    # reads them.
    runs = ImportRun.objects.defer("rejections", "conflicts", "warnings", "error")
    page = Paginator(runs.order_by("-started", "-pk"), RUNS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "procurement/imports/runs.html", {"page_obj": page})


@login_required
@require_safe
def import_run(request, pk):
    _require_import_viewer(request)
    run = get_object_or_404(ImportRun.objects.select_related("started_by"), pk=pk)
    rejections = Paginator(run.rejections, REJECTIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"run": run, "page_obj": rejections}
    return render(request, "procurement/imports/run.html", context)
