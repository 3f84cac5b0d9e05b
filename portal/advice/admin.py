from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.advice.models import AdviceTeam
from portal.advice.rules import can_manage_advice_teams
from portal.lib.admin import RuleMixin


class AdviceTeamForm(forms.ModelForm):
    class Meta:
        model = AdviceTeam
        fields = ["organisation", "receives_requests", "team_email"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("receives_requests") and not cleaned.get("team_email"):
            self.add_error(
                "team_email",
                _("Enter the team’s email address: new requests are announced to it"),
            )
        return cleaned


@admin.register(AdviceTeam)
class AdviceTeamAdmin(RuleMixin, admin.ModelAdmin):
    """Which organisations receive advice requests, and their team's address. (Requests
    themselves are not in the admin: they hold founders' personal details, which only
    the organisation they went to may see.)"""

    list_display = ["organisation", "receives_requests", "team_email", "digest_sent_on"]
    list_filter = ["receives_requests"]
    search_fields = ["organisation__name", "team_email"]
    form = AdviceTeamForm
    fields = ["organisation", "receives_requests", "team_email"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]

    rule = staticmethod(can_manage_advice_teams)
