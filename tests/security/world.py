"""The world the permission matrix and the headers walk run in: the ten roles of issue 18
and one object of each kind that a URL names, built once per test class.

Every object a URL names belongs to the "A" side (council A, cluster body X, founder A),
so the "B" roles (council B's curator, cluster Y's editor, founder B) try A's objects
through the same rows. ``url_for(name, world)`` is the one URL builder both tests use.

Roles, from DESIGN.md ("People and what they do"):
- founders need no account; founder A and founder B here are signed-in people with no
  organisation, each the owner of their own assessments (a session granted one by its
  link is tried in tests/diagnostics);
- curators, managers and analysts are members of a local authority: an analyst is "any
  member of a local-authority organisation", not a role of its own in DESIGN.md or in
  the code (portal/dashboards/rules.py), so the analyst of A is a third member (editor)
  of council A's organisation, and may do what council A's curator may;
- cluster X's and cluster Y's editors are members of two cluster bodies;
- the moderator is a member of the platform team with staff status, not a superuser and
  holding no model permission: the admin's permissions are the rules'
  (portal/lib/admin.py).
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.accounts.models import Role
from portal.catalogue.openreferral.taxonomies import TAXONOMIES, TERMS_BY_ID
from portal.catalogue.openreferral.writing import service_at_location_id
from tests.factories import (
    COUNCIL_A_GSS_CODE,
    cluster_body,
    council_a,
    create_assessment,
    create_cluster_body_poster,
    create_cluster_body_y_poster,
    create_council_a_curator,
    create_council_a_manager,
    create_council_b_curator,
    create_import_run,
    create_match_subscription,
    create_membership,
    create_membership_request,
    create_moderator,
    create_offer,
    create_offer_change,
    create_opportunity,
    create_opportunity_change,
    create_saved_opportunity,
    create_saved_search,
    create_user,
    new_buyer,
)

ROLES = (
    "anonymous",
    "founder_a",
    "founder_b",
    "council_a_curator",
    "council_b_curator",
    "council_a_manager",
    "cluster_x_editor",
    "cluster_y_editor",
    "analyst_a",
    "moderator",
)


def create_world() -> dict:
    """The roles (``world["users"]``, None for anonymous) and the objects, by name."""
    from diagnostics import services as diagnostics_services
    from portal.catalogue.models import Referral
    from portal.procurement.models import AlertDelivery
    from tests.advice.factories import create_advice_request, create_advice_team

    users = {
        "anonymous": None,
        "founder_a": create_user(email="founder.a@example.com", full_name="Fern Founder"),
        "founder_b": create_user(email="founder.b@example.com", full_name="Finn Founder"),
        "council_a_curator": create_council_a_curator(),
        "council_b_curator": create_council_b_curator(),
        "council_a_manager": create_council_a_manager(),
        "cluster_x_editor": create_cluster_body_poster(),
        "cluster_y_editor": create_cluster_body_y_poster(),
        "analyst_a": create_user(email="analyst.a@example.com", full_name="Ana Analyst"),
        "moderator": create_moderator(),
    }
    create_membership(user=users["analyst_a"], organisation=council_a(), role=Role.EDITOR)

    world = {"users": users}
    # Founder A's assessments: one in progress, one completed.
    world["assessment"] = create_assessment(user=users["founder_a"], sections=2)
    completed = create_assessment(user=users["founder_a"], sections=8)
    world["completed"] = diagnostics_services.submit_assessment(assessment=completed)
    # Council A's offers, one in each state an action needs.
    world["offer_draft"] = create_offer(title="Draft support A", status="draft")
    world["offer_review"] = create_offer(title="Support A in review", status="in_review")
    world["offer_published"] = create_offer(
        title="Published support A",
        status="published",
        published=timezone.now(),
        delivery="in_person",  # listed at a place by the Open Referral API too
    )
    create_offer_change(user=users["council_a_curator"], offer=world["offer_draft"])
    world["referral"] = Referral.objects.create(offer=world["offer_published"])
    # Cluster body X's opportunities.
    world["opportunity_draft"] = create_opportunity(title="Draft contract X", status="draft")
    world["opportunity_open"] = create_opportunity(
        title="Open contract X", status="open", ocid="ocds-test-x-1"
    )
    world["opportunity_pending"] = create_opportunity(
        title="Contract waiting for a moderator", status="pending", publisher=new_buyer()
    )
    create_opportunity_change(
        user=users["cluster_x_editor"], opportunity=world["opportunity_draft"]
    )
    world["import_run"] = create_import_run()
    world["saved_search"] = create_saved_search(email="founder.a@example.com")
    AlertDelivery.objects.create(
        saved_search=world["saved_search"], opportunity=world["opportunity_open"]
    )
    create_saved_opportunity(user=users["founder_a"], opportunity=world["opportunity_open"])
    world["match_subscription"] = create_match_subscription(email="founder.a@example.com")
    # Someone asking to join council A; council A's team receives advice requests.
    world["membership_request"] = create_membership_request(organisation=council_a())
    create_advice_team(organisation=council_a())
    world["advice_request"] = create_advice_request(name="Fern Founder")
    world["cluster_body"] = cluster_body()
    # A group for the admin's group pages to open (superusers' alone).
    world["group"] = Group.objects.create(name="Reviewers")
    return world


def _token(kind: str, world: dict) -> str:
    from diagnostics.tokens import make_resume_token
    from portal.accounts.personal_data import make_email_proof_token
    from portal.advice.tokens import make_request_token
    from portal.matching import alerts as match_alerts
    from portal.procurement import alert_links as alerts

    return {
        "resume": lambda: make_resume_token(world["assessment"].public_id),
        "advice": lambda: make_request_token(world["advice_request"].public_id),
        "email_proof": lambda: make_email_proof_token(world["users"]["founder_a"]),
        "alert_confirm": lambda: alerts.make_confirm_token(world["saved_search"]),
        "alert_unsubscribe": lambda: alerts.make_unsubscribe_token(world["saved_search"]),
        "alert_manage": lambda: alerts.make_manage_token(world["saved_search"].email),
        "match_confirm": lambda: match_alerts.LINKS.confirm_token(world["match_subscription"]),
        "match_unsubscribe": lambda: match_alerts.LINKS.unsubscribe_token(
            world["match_subscription"]
        ),
    }[kind]()


def _public_id(key: str):
    return lambda world: {"public_id": world[key].public_id}


def _token_of(kind: str):
    return lambda world: {"token": _token(kind, world)}


# URL name -> the keyword arguments of A's object (a function of the world).
_ARGUMENTS = {
    "choose-language": lambda w: {"code": "cy"},
    "accounts:your-data-prove-email": _token_of("email_proof"),
    "accounts:membership-request-decide": lambda w: {"pk": w["membership_request"].pk},
    "accounts:password-reset-confirm": lambda w: {
        "uidb64": urlsafe_base64_encode(force_bytes(w["users"]["founder_a"].pk)),
        "token": default_token_generator.make_token(w["users"]["founder_a"]),
    },
    "places:council-detail": lambda w: {"gss_code": COUNCIL_A_GSS_CODE},
    "diagnostics:task-list": _public_id("assessment"),
    "diagnostics:profile": _public_id("assessment"),
    "diagnostics:section": lambda w: {"public_id": w["assessment"].public_id, "number": 3},
    "diagnostics:check-answers": _public_id("assessment"),
    "diagnostics:save-and-leave": _public_id("assessment"),
    "diagnostics:resume": lambda w: {
        "public_id": w["assessment"].public_id,
        "token": _token("resume", w),
    },
    "diagnostics:results": _public_id("completed"),
    "diagnostics:email-results": _public_id("completed"),
    "diagnostics:download": _public_id("completed"),
    "diagnostics:delete": _public_id("completed"),
    "diagnostics:retake": _public_id("completed"),
    "catalogue:offer": lambda w: {"slug": w["offer_published"].slug},
    "catalogue:offer-go": lambda w: {"slug": w["offer_published"].slug},
    "catalogue:offer-edit": _public_id("offer_draft"),
    "catalogue:offer-places": _public_id("offer_draft"),
    "catalogue:offer-submit": _public_id("offer_draft"),
    "catalogue:offer-publish": _public_id("offer_review"),
    "catalogue:offer-archive": _public_id("offer_published"),
    "catalogue:offer-history": _public_id("offer_draft"),
    "procurement:detail": _public_id("opportunity_open"),
    "procurement:alert-confirm": _token_of("alert_confirm"),
    "procurement:alert-unsubscribe": _token_of("alert_unsubscribe"),
    "procurement:alert-manage": _token_of("alert_manage"),
    "procurement:opportunity-save": _public_id("opportunity_open"),
    "procurement:opportunity-edit": _public_id("opportunity_draft"),
    "procurement:opportunity-publish": _public_id("opportunity_draft"),
    "procurement:opportunity-close": _public_id("opportunity_open"),
    "procurement:opportunity-withdraw": _public_id("opportunity_open"),
    "procurement:opportunity-approve": _public_id("opportunity_pending"),
    "procurement:import-run": lambda w: {"pk": w["import_run"].pk},
    "matching:alert-confirm": _token_of("match_confirm"),
    "matching:alert-unsubscribe": _token_of("match_unsubscribe"),
    "advice:request": lambda w: {
        "public_id": w["advice_request"].public_id,
        "token": _token("advice", w),
    },
    "advice:sent": lambda w: {
        "public_id": w["advice_request"].public_id,
        "token": _token("advice", w),
    },
    "advice:withdraw": lambda w: {
        "public_id": w["advice_request"].public_id,
        "token": _token("advice", w),
    },
    "advice:queue": lambda w: {"slug": council_a().slug},
    "advice:staff-request": lambda w: {"pk": w["advice_request"].pk},
    "advice:staff-request-assign": lambda w: {"pk": w["advice_request"].pk},
    "advice:staff-request-note": lambda w: {"pk": w["advice_request"].pk},
    "advice:staff-request-status": lambda w: {"pk": w["advice_request"].pk},
    "advice:staff-request-outcome": lambda w: {"pk": w["advice_request"].pk},
    "dashboards:summary": lambda w: {"code": COUNCIL_A_GSS_CODE},
    "dashboards:full": lambda w: {"code": COUNCIL_A_GSS_CODE},
    "dashboards:summary_csv": lambda w: {"code": COUNCIL_A_GSS_CODE, "table": "bands"},
    "dashboards:full_csv": lambda w: {"code": COUNCIL_A_GSS_CODE, "table": "bands"},
    "openreferral:service": lambda w: {"service_id": str(w["offer_published"].public_id)},
    "openreferral:service-at-location": lambda w: {
        "service_at_location_id": service_at_location_id(w["offer_published"])
    },
    "openreferral:taxonomy": lambda w: {"taxonomy_id": TAXONOMIES[0].id},
    "openreferral:taxonomy-term": lambda w: {"term_id": next(iter(TERMS_BY_ID))},
    "openreferral:not-found": lambda w: {"unknown": "nothing-here"},
    "ocds:release": lambda w: {"ocid": w["opportunity_open"].ocid},
    "admin:view_on_site": lambda w: _view_on_site(w),
    "admin:auth_user_password_change": lambda w: {"id": w["users"]["founder_a"].pk},
}

# Patterns with no name: the admin's redirect from an object's address to its change
# page, and its catch-all (keyed by their route in the matrix).
ADMIN_CATCH_ALL = "admin/(?P<url>.*)$"


def _view_on_site(world) -> dict:
    from django.contrib.contenttypes.models import ContentType

    offer = world["offer_published"]
    return {
        "content_type_id": ContentType.objects.get_for_model(offer).pk,
        "object_id": offer.pk,
    }


def admin_object(model, world):
    """The row the admin's change, history and delete pages of ``model`` open."""
    if model._meta.proxy:
        # Questionnaire versions: the admin lists the data files, keyed by version.
        return model._meta.concrete_model.objects.order_by("pk").first()
    return model._default_manager.order_by("pk").first()


def admin_models() -> list:
    return list(admin.site._registry)


def admin_url(model, page: str, world) -> str:
    info = (model._meta.app_label, model._meta.model_name)
    if page in ("changelist", "add"):
        return reverse(f"admin:{info[0]}_{info[1]}_{page}")
    obj = admin_object(model, world)
    object_id = obj.pk if obj is not None else 1
    if page == "object":  # the unnamed redirect to the change page
        return reverse("admin:index") + f"{info[0]}/{info[1]}/{object_id}/"
    return reverse(f"admin:{info[0]}_{info[1]}_{page}", args=[object_id])


def url_for(name: str, world: dict, language: str = "") -> str:
    """The address of the URL pattern ``name`` (a route for unnamed ones), with A's
    object where it names one, in ``language`` (English, unprefixed, by default; a
    pattern outside ``i18n_patterns`` has one address for all)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return _url_for(name, world)


def _url_for(name: str, world: dict) -> str:
    if name == ADMIN_CATCH_ALL:
        return reverse("admin:index") + "no-such-page/"
    if name.startswith("admin-object:"):
        model = next(m for m in admin_models() if _admin_key(m) == name.split(":", 1)[1])
        return admin_url(model, "object", world)
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": "catalogue"})
    if (
        name.startswith("admin:")
        and name.rsplit("_", 1)[-1]
        in (
            "changelist",
            "add",
            "change",
            "history",
            "delete",
        )
        and name not in ("admin:password_change",)
    ):
        for model in admin_models():
            prefix = f"admin:{_admin_key(model)}_"
            if name.startswith(prefix):
                return admin_url(model, name[len(prefix) :], world)
    arguments = _ARGUMENTS.get(name)
    return reverse(name, kwargs=arguments(world) if arguments else None)


def _admin_key(model) -> str:
    return f"{model._meta.app_label}_{model._meta.model_name}"


def _patterns(resolver, prefix="", namespace=None):
    """Every URL pattern: (name with its namespaces, or the route for unnamed ones)."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name
            elif route == ADMIN_CATCH_ALL:
                yield route
            else:  # the admin's redirect from an object's address to its change page
                app_label, model_name = route.split("/")[1:3]
                yield f"admin-object:{app_label}_{model_name}"


def every_pattern() -> list[str]:
    return list(_patterns(get_resolver()))


# The patterns outside ``i18n_patterns`` (portal/urls.py): one address in every
# language. Every other pattern has a Welsh twin under /cy/.
UNPREFIXED = ("healthz", "readyz", "robots-txt", "sitemap", "choose-language")
UNPREFIXED_NAMESPACES = ("admin", "admin-object", "openreferral", "ocds")


def welsh_patterns() -> list[str]:
    """The patterns with a Welsh twin (those of pages people read)."""
    return [
        name
        for name in every_pattern()
        if name not in UNPREFIXED
        and name != ADMIN_CATCH_ALL
        and name.split(":", 1)[0] not in UNPREFIXED_NAMESPACES
    ]
