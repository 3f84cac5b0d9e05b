from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from portal.accounts import account_data
        from portal.accounts.personal_data import declare_personal_fields, register_personal_data

        declare_personal_fields(*account_data.FIELDS)
        # First: the admin log's entries are found through the rows erased after them.
        register_personal_data(
            "account",
            label=_("Your account: your name, email address and when you joined"),
            export=account_data.export_account,
            erase=account_data.erase_account,
            order=0,
        )
        register_personal_data(
            "memberships",
            label=_("The organisations you belong to and your role in each"),
            export=account_data.export_memberships,
            erase=account_data.erase_memberships,
            order=1,
        )
        register_personal_data(
            "membership_requests",
            label=_("Your requests to join organisations"),
            export=account_data.export_membership_requests,
            erase=account_data.erase_membership_requests,
            order=2,
        )
        register_personal_data(
            "membership_decisions",
            label=_("Requests to join an organisation that you decided"),
            export=account_data.export_membership_decisions,
            erase=account_data.erase_membership_decisions,
            order=3,
        )
        register_personal_data(
            "admin_actions",
            label=_("What you changed in the admin site"),
            export=account_data.export_admin_actions,
            erase=None,
            order=4,
        )
