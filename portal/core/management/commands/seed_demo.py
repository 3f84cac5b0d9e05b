"""Demo organisations and one account per role, for trying Waymark on a laptop.

Running it again changes nothing: rows are matched by slug or email address and brought
back to the values below. A demo account gets a random password when it is created (only
ever with DEBUG on), so there is never a password written in the code or the docs that
would open a deployment left in debug mode. The passwords are kept, readable by their
owner only, in the file ``DEMO_PASSWORDS_FILE`` names (git ignores it), beside the hash
they were set with: the next run prints the same passwords while an account still has
that hash, and gives a new one to an account whose password has changed since (or whose
database is new). ``--new-passwords`` gives every account a new one.

Then each app's demo data, from the module its AppConfig names (``demo``, in
``demo_order``: portal/lib/registry.py), which may add options of its own.
"""

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify

from portal.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from portal.lib.links import site_url
from portal.lib.registry import demo_modules
from portal.places.models import Council

PLATFORM_TEAM = "Waymark platform team"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: OrganisationKind
    council_gss_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoAccount:
    role_description: str
    email: str
    full_name: str
    organisation: str
    role: Role
    superuser: bool = False


# Councils by GSS code (places.Council). North of Tyne's combined authority was
# replaced in May 2024 by the North East Combined Authority, which covers these seven.
ORGANISATIONS = (
    DemoOrganisation(PLATFORM_TEAM, OrganisationKind.PLATFORM),
    DemoOrganisation("Gateshead Council", OrganisationKind.LOCAL_AUTHORITY, ("E08000037",)),
    DemoOrganisation("Newcastle City Council", OrganisationKind.LOCAL_AUTHORITY, ("E08000021",)),
    DemoOrganisation(
        "North East Combined Authority",
        OrganisationKind.LOCAL_AUTHORITY,
        (
            "E06000047",  # County Durham
            "E08000037",  # Gateshead
            "E08000021",  # Newcastle upon Tyne
            "E08000022",  # North Tyneside
            "E06000057",  # Northumberland
            "E08000023",  # South Tyneside
            "E08000024",  # Sunderland
        ),
    ),
    DemoOrganisation("Cardiff Council", OrganisationKind.LOCAL_AUTHORITY, ("W06000015",)),
    DemoOrganisation("Glasgow City Council", OrganisationKind.LOCAL_AUTHORITY, ("S12000049",)),
    DemoOrganisation("Manchester City Council", OrganisationKind.LOCAL_AUTHORITY, ("E08000003",)),
    # Fictional, so the demo speaks for no real body.
    DemoOrganisation("North East Tech Cluster", OrganisationKind.CLUSTER_BODY),
    DemoOrganisation("Tees Valley Digital Cluster", OrganisationKind.CLUSTER_BODY),
    DemoOrganisation("Northern Hospitals Purchasing Group", OrganisationKind.BUYER),
    DemoOrganisation("Northern Growth Hub", OrganisationKind.SUPPORT_PROVIDER),
    # Buyers that post the demo contract opportunities (portal/procurement/demo.py):
    # councils' own procurement teams, and two fictional buying partnerships.
    DemoOrganisation("Gateshead Council Procurement", OrganisationKind.BUYER, ("E08000037",)),
    DemoOrganisation("Newcastle City Council Procurement", OrganisationKind.BUYER, ("E08000021",)),
    DemoOrganisation(
        "Manchester City Council Procurement", OrganisationKind.BUYER, ("E08000003",)
    ),
    DemoOrganisation("Leeds City Council Procurement", OrganisationKind.BUYER, ("E08000035",)),
    DemoOrganisation("Bristol City Council Procurement", OrganisationKind.BUYER, ("E06000023",)),
    DemoOrganisation("Cardiff Council Procurement", OrganisationKind.BUYER, ("W06000015",)),
    DemoOrganisation("Glasgow City Council Procurement", OrganisationKind.BUYER, ("S12000049",)),
    DemoOrganisation("Belfast City Council Procurement", OrganisationKind.BUYER, ("N09000003",)),
    DemoOrganisation("Midlands Schools Buying Partnership", OrganisationKind.BUYER),
    DemoOrganisation("Southern Councils Digital Partnership", OrganisationKind.BUYER),
)

ACCOUNTS = (
    DemoAccount(
        "moderator",
        "moderator@waymark.example",
        "Morgan Moderator",
        PLATFORM_TEAM,
        Role.MANAGER,
        superuser=True,
    ),
    DemoAccount(
        "council curator",
        "curator@waymark.example",
        "Casey Curator",
        "Gateshead Council",
        Role.EDITOR,
    ),
    DemoAccount(
        "council manager",
        "council.manager@waymark.example",
        "Robin Manager",
        "Gateshead Council",
        Role.MANAGER,
    ),
    DemoAccount(
        "cluster body poster",
        "cluster.poster@waymark.example",
        "Priya Poster",
        "North East Tech Cluster",
        Role.EDITOR,
    ),
    DemoAccount(
        "buyer editor",
        "buyer@waymark.example",
        "Bola Buyer",
        "Northern Hospitals Purchasing Group",
        Role.EDITOR,
    ),
)


class Command(BaseCommand):
    help = (
        "Create demo organisations and one account per role, and print their passwords. "
        "Runs only with DEBUG on; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-passwords",
            action="store_true",
            help="Give every demo account a new password (by default they are kept).",
        )
        for module in demo_modules():
            if hasattr(module, "add_arguments"):
                module.add_arguments(parser)

    def handle(self, *args, new_passwords=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts and prints their passwords, so it runs only "
                "with DEBUG on. It is for development machines, never for a live service."
            )
        kept = {} if new_passwords else _read_kept_passwords()
        with transaction.atomic():
            organisations = {demo.name: self._seed_organisation(demo) for demo in ORGANISATIONS}
            passwords = {
                account.email: self._seed_account(
                    account, organisations[account.organisation], kept.get(account.email)
                )
                for account in ACCOUNTS
            }
        _keep_passwords(passwords)
        self._print_accounts(passwords)
        for module in demo_modules():
            self.stdout.write(module.seed_demo(options))

    def _seed_organisation(self, demo: DemoOrganisation) -> Organisation:
        organisation, _created = Organisation.objects.update_or_create(
            slug=slugify(demo.name),
            defaults={"name": demo.name, "kind": demo.kind, "verified": True},
        )
        if demo.council_gss_codes:
            councils = list(Council.objects.filter(gss_code__in=demo.council_gss_codes))
            missing = sorted(set(demo.council_gss_codes) - {c.gss_code for c in councils})
            for gss_code in missing:
                self.stderr.write(
                    self.style.WARNING(
                        f"No council with GSS code {gss_code}: {demo.name} will not cover it. "
                        "Have the places migrations run?"
                    )
                )
            organisation.councils.set(councils)
        return organisation

    def _seed_account(
        self, account: DemoAccount, organisation: Organisation, kept: dict | None
    ) -> tuple[str, str]:
        """The account brought to its demo values, and its password with the hash it
        was set with: the kept one while the account still has that hash."""
        user, created = User.objects.update_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "is_active": True,
                "is_staff": account.superuser,
                "is_superuser": account.superuser,
            },
        )
        Membership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": account.role}
        )
        if kept and not created and kept.get("hash") == user.password:
            return kept["password"], user.password
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        return password, user.password

    def _print_accounts(self, passwords: dict[str, tuple[str, str]]) -> None:
        sign_in_url = site_url() + reverse("accounts:sign-in")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (sign in at {sign_in_url}):"))
        width = max(len(account.email) for account in ACCOUNTS)
        for account in ACCOUNTS:
            password, _hash = passwords[account.email]
            self.stdout.write(
                f"  {account.email.ljust(width)}  {password}  "
                f"{account.role_description}, {account.organisation}"
            )
        self.stdout.write(
            f"The same passwords on every run (kept in {settings.DEMO_PASSWORDS_FILE}); "
            "--new-passwords gives new ones."
        )


def _read_kept_passwords() -> dict[str, dict]:
    """The passwords an earlier run set, by email; none if the file is missing or
    unreadable (the accounts then get new ones)."""
    try:
        kept = json.loads(Path(settings.DEMO_PASSWORDS_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _keep_passwords(passwords: dict[str, tuple[str, str]]) -> None:
    """Write the file readable and writable by its owner only, replacing it whole."""
    path = Path(settings.DEMO_PASSWORDS_FILE)
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(
            {email: {"password": pw, "hash": hashed} for email, (pw, hashed) in passwords.items()},
            file,
            indent=2,
        )
    os.replace(partial, path)
