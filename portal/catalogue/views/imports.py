"""Curators: import offers from a CSV file (check, preview, confirm), the template, export.

The check is a dry run of the import service. Between the preview and the confirmation
the file waits in the session (compressed; sessions are in the database, so any web
process can finish the import), and the confirmation imports it again, for real, with
every check repeated: nothing seen in the preview is trusted.
"""

import base64
import csv
import io
import secrets
import zlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from portal.catalogue.csv_format import COLUMNS, HEADERS, MAX_FILE_BYTES, offer_row
from portal.catalogue.import_forms import OfferExportForm, OfferImportForm
from portal.catalogue.rules import can_curate, organisations_user_curates_for
from portal.catalogue.services.imports import csv_file as services
from portal.catalogue.services.imports.report import summary_of

PENDING_SESSION_KEY = "catalogue_pending_import"
ROWS_SHOWN = 200
ERRORS_SHOWN = 500


def _require_curator(request) -> None:
    if not can_curate(request.user):
        raise PermissionDenied(_("Only council staff who curate support can import offers."))


def _keep_pending(request, *, content: bytes, organisation, name: str) -> str:
    token = secrets.token_urlsafe(16)
    request.session[PENDING_SESSION_KEY] = {
        "token": token,
        "organisation": organisation.pk,
        "name": name,
        "content": base64.b64encode(zlib.compress(content)).decode("ascii"),
    }
    return token


def _take_pending(request, token: str):
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending or not secrets.compare_digest(pending.get("token", ""), token):
        return None
    return pending


def _render(request, form, *, report=None, token="", file_name="", status=200):
    context = {
        "form": form,
        "export_form": OfferExportForm(user=request.user, auto_id="export_%s"),
        "report": report,
        "token": token,
        "file_name": file_name,
        "columns": COLUMNS,
        "rows_shown": report.rows[:ROWS_SHOWN] if report else [],
        "errors_shown": report.errors[:ERRORS_SHOWN] if report else [],
        "errors_hidden": max(len(report.errors) - ERRORS_SHOWN, 0) if report else 0,
        "summary": summary_of(report) if report and report.ok else "",
    }
    return render(request, "catalogue/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def offer_import(request):
    _require_curator(request)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    if request.method == "POST":
        form = OfferImportForm(request.POST, request.FILES, user=request.user)
    else:
        form = OfferImportForm(user=request.user)
    if not form.is_bound or not form.is_valid():
        return _render(request, form)
    organisation = form.cleaned_data["organisation"]
    upload = form.cleaned_data["file"]
    if upload.size > MAX_FILE_BYTES:
        content = b""  # the service refuses it by its size without reading it
        report = services.import_offers_csv(
            file=upload, organisation=organisation, user=request.user, dry_run=True
        )
    else:
        content = upload.read()
        report = services.import_offers_csv(
            file=io.BytesIO(content), organisation=organisation, user=request.user, dry_run=True
        )
    if report.problem:
        form.add_error("file", report.problem)
        return _render(request, form)
    if report.errors:
        form.add_error(
            None,
            ngettext(
                "%(count)d problem was found in the file, so nothing has been saved. "
                "Fix it and upload the file again.",
                "%(count)d problems were found in the file, so nothing has been saved. "
                "Fix them and upload the file again.",
                len(report.errors),
            )
            % {"count": len(report.errors)},
        )
        return _render(request, form, report=report)
    token = ""
    if report.to_create or report.to_update:
        token = _keep_pending(
            request, content=content, organisation=organisation, name=upload.name
        )
    return _render(request, form, report=report, token=token, file_name=upload.name)


def _confirm(request):
    pending = _take_pending(request, request.POST.get("token", ""))
    form = OfferImportForm(user=request.user)
    if pending is None:
        messages.error(request, _("The checked file has expired. Upload it again."))
        return redirect("catalogue:offer-import")
    organisation = (
        organisations_user_curates_for(request.user).filter(pk=pending["organisation"]).first()
    )
    if organisation is None:
        raise PermissionDenied(_("You no longer curate offers for this organisation."))
    content = zlib.decompress(base64.b64decode(pending["content"]))
    report = services.import_offers_csv(
        file=io.BytesIO(content), organisation=organisation, user=request.user, dry_run=False
    )
    request.session.pop(PENDING_SESSION_KEY, None)
    if not report.saved:
        # The offers changed since the check: show what is wrong now.
        if report.problem:
            form.add_error(None, report.problem)
        else:
            form.add_error(
                None,
                ngettext(
                    "The offers changed since the file was checked, and %(count)d problem "
                    "was found. Nothing has been saved.",
                    "The offers changed since the file was checked, and %(count)d problems "
                    "were found. Nothing has been saved.",
                    len(report.errors),
                )
                % {"count": len(report.errors)},
            )
        return _render(request, form, report=report if report.errors else None)
    messages.success(
        request,
        _("%(file)s imported for %(organisation)s: %(summary)s.")
        % {
            "file": pending["name"],
            "organisation": organisation.name,
            "summary": summary_of(report),
        },
    )
    return redirect("catalogue:offer-import")


@require_safe
def import_template(request):
    """The header row and nothing else: the import page explains each column."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="waymark-offers-template.csv"'
    response.write("\ufeff")  # so that spreadsheets open it as UTF-8
    csv.writer(response).writerow(HEADERS)
    return response


@login_required
@require_safe
def offer_export(request):
    """The offers of one of the user's organisations, in the import's format."""
    _require_curator(request)
    organisations = organisations_user_curates_for(request.user)
    slug = request.GET.get("organisation", "")
    if slug:
        organisation = organisations.filter(slug=slug).first()
    else:
        candidates = list(organisations[:2])
        organisation = candidates[0] if len(candidates) == 1 else None
    if organisation is None:
        messages.error(request, _("Choose the organisation whose offers to export."))
        return redirect("catalogue:offer-import")
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="waymark-offers-{organisation.slug}-{stamp}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(HEADERS)
    for offer in services.offers_for_export(organisation):
        writer.writerow(offer_row(offer))
    return response
