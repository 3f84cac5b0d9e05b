"""Demo advice teams for seed_demo (portal/lib/registry.py): Gateshead Council and the
North East Combined Authority both take requests (so a founder in Gateshead chooses
between them), and Cardiff Council; Glasgow and Manchester take none, so founders there
are pointed to Business Gateway and the North West's Growth Hubs. The addresses are on
example.org, which delivers nothing. Running it again changes nothing."""

from portal.accounts.models import Organisation
from portal.advice.models import AdviceTeam

DEMO_TEAMS = ("gateshead-council", "north-east-combined-authority", "cardiff-council")


def seed_demo(options) -> str:
    organisations = Organisation.objects.filter(slug__in=DEMO_TEAMS)
    for organisation in organisations:
        AdviceTeam.objects.update_or_create(
            organisation=organisation,
            defaults={
                "receives_requests": True,
                "team_email": f"business-support@{organisation.slug}.example.org",
            },
        )
    names = ", ".join(organisation.name for organisation in organisations)
    return f"Demo advice teams taking requests: {names or 'none'}."
