"""The permission matrix: every URL pattern × method × role → the expected outcome.

Written from DESIGN.md ("People and what they do", "Rules that keep it simple") and the
issues (``issues show N``), not captured from what the code does. tests/security/
test_matrix.py runs it all, with CSRF enforced; a meta-test fails when a URL pattern has
no row here (or a row names no pattern).

Outcomes: an HTTP status (200, 204, 302, 400, 403, 404, 405), or ``SIGN_IN``: a
redirect to the sign-in page (the site's, or the admin's for admin pages).

Each row is built by ``who()``: a default, then groups of roles overriding it, later
ones winning: ``signed_in`` (everyone but anonymous), ``founders``, ``local_authority``
(members of council A's or B's organisation: curators, the manager, the analyst),
``council_a`` (members of council A's organisation), ``posters`` (cluster X's and Y's
editors), then single roles by name. The objects a row names are A's
(tests/security/world.py), so B's roles are refused A's objects in the same rows.

Methods: GET and HEAD for every pattern; POST for every pattern outside the admin (a
page that only shows refuses it with 405). HEAD is GET without a body: the same outcome
everywhere. The admin's pages are tried with GET and HEAD.
"""

from tests.security.world import ADMIN_CATCH_ALL, ROLES

SIGN_IN = "sign-in"

GROUPS = {
    "signed_in": [role for role in ROLES if role != "anonymous"],
    "founders": ["founder_a", "founder_b"],
    "local_authority": [
        "council_a_curator",
        "council_b_curator",
        "council_a_manager",
        "analyst_a",
    ],
    "council_a": ["council_a_curator", "council_a_manager", "analyst_a"],
    "posters": ["cluster_x_editor", "cluster_y_editor"],
}


def who(default=None, **overrides) -> dict[str, object]:
    """Every role's outcome: ``default``, then the groups and roles given, in the order
    of GROUPS and then of ROLES (a role named beats its group)."""
    outcome = dict.fromkeys(ROLES, default)
    for group, members in GROUPS.items():
        if group in overrides:
            outcome.update(dict.fromkeys(members, overrides[group]))
    for role in ROLES:
        if role in overrides:
            outcome[role] = overrides[role]
    unknown = set(overrides) - set(GROUPS) - set(ROLES)
    assert not unknown, f"no such role or group: {unknown}"
    return outcome


EVERYONE_200 = who(200)
READ_ONLY = who(405)  # POST to a page that only shows
# Signed-in pages (login_required before the method is checked): anonymous goes to sign in.
SIGNED_IN_READ_ONLY = who(405, anonymous=SIGN_IN)
# Council A's staff and moderators (curation, A's dashboards); anonymous signs in.
CURATORS_A = {"anonymous": SIGN_IN, "signed_in": 404, "council_a": 200, "moderator": 200}


def public(get=200, post=405):
    """A page anyone may read: GET ``get`` for all, POST ``post`` for all."""
    return {"GET": who(get), "POST": who(post)}


def signed_in_page(get=200, post=405, **overrides):
    return {
        "GET": who(get, anonymous=SIGN_IN, **overrides),
        "POST": who(post, anonymous=SIGN_IN, **overrides) if post != 405 else SIGNED_IN_READ_ONLY,
    }


def post_only(**post):
    """An action: POST does it; GET is refused (405) once signed in where it needs it."""
    anonymous = post.get("anonymous")
    get = SIGNED_IN_READ_ONLY if anonymous == SIGN_IN else READ_ONLY
    return {"GET": get, "POST": who(**post)}


def _complete(row: dict) -> dict:
    for outcomes in row.values():
        missing = [role for role, outcome in outcomes.items() if outcome is None]
        assert not missing, f"roles without an outcome: {missing}"
    return row


# Founder A's own objects (the assessment in progress and the completed one).
FOUNDER_A = {"default": 404, "founder_a": 200}

MATRIX: dict[str, dict[str, dict[str, object]]] = {
    # Core pages and health checks: public.
    "core:home": public(),
    "core:accessibility": public(),
    "core:privacy": public(),
    "core:cookies": public(),
    # Health checks, for crawlers and the language switcher: from the root URLconf, one
    # address for every language. Choosing a language sets its cookie and redirects.
    "healthz": public(),
    "readyz": public(),
    "robots-txt": public(),
    "sitemap": public(),
    "choose-language": public(get=302),
    # Accounts.
    "accounts:account": signed_in_page(),
    # Signing up or in again while signed in goes to the account page.
    "accounts:sign-up": {"GET": who(302, anonymous=200), "POST": who(302, anonymous=200)},
    # A sign-in form posted empty is answered with its errors, whoever posts it.
    "accounts:sign-in": {"GET": who(302, anonymous=200), "POST": who(200)},
    "accounts:sign-out": post_only(default=302),
    # The idle timer asks about the asker's own session: anyone.
    "accounts:session-status": {"GET": EVERYONE_200, "POST": READ_ONLY},
    "accounts:keep-alive": post_only(default=200),
    "accounts:organisations": signed_in_page(post=200),
    "accounts:your-data": signed_in_page(),
    # Downloading your data: anyone signed in (it is theirs).
    "accounts:your-data-download": post_only(default=200, anonymous=SIGN_IN),
    "accounts:your-data-send-email-proof": post_only(default=302, anonymous=SIGN_IN),
    # Founder A's emailed link: back to "your data", proved only for founder A.
    "accounts:your-data-prove-email": signed_in_page(get=302),
    # Deleting your account: anyone signed in but platform staff (the admin's log
    # needs them; DESIGN: moderators use the admin). Staff see the page saying so.
    "accounts:delete-account": {
        "GET": who(200, anonymous=SIGN_IN),
        "POST": who(200, anonymous=SIGN_IN, moderator=403),
    },
    # Shown only straight after a deletion (the session says so): home otherwise.
    "accounts:account-deleted": {"GET": who(302), "POST": READ_ONLY},
    # Membership requests: managers for their organisation and moderators decide. The
    # list is of the requests the person may decide: empty for anyone else.
    "accounts:membership-requests": signed_in_page(),
    # Posted empty: the form's errors for those who may decide; a 404 for others.
    "accounts:membership-request-decide": post_only(
        default=404, anonymous=SIGN_IN, council_a_manager=200, moderator=200
    ),
    "accounts:password-reset": public(post=200),
    "accounts:password-reset-done": public(),
    # A valid reset link sets the session's token and redirects to the form.
    "accounts:password-reset-confirm": public(get=302, post=302),
    "accounts:password-reset-complete": public(),
    # Places: public.
    "places:council-choose": public(),
    "places:council-search": public(),
    "places:council-detail": public(),
    # The diagnostic: anyone starts one; an assessment is its owner's (or a session's it
    # was granted to) and nobody else's, moderators included (404).
    "diagnostics:start": public(post=302),
    "diagnostics:task-list": {"GET": who(**FOUNDER_A), "POST": READ_ONLY},
    "diagnostics:profile": {"GET": who(**FOUNDER_A), "POST": who(**FOUNDER_A)},
    "diagnostics:section": {"GET": who(**FOUNDER_A), "POST": who(**FOUNDER_A)},
    "diagnostics:check-answers": {"GET": who(**FOUNDER_A), "POST": who(**FOUNDER_A)},
    "diagnostics:save-and-leave": {"GET": who(**FOUNDER_A), "POST": who(**FOUNDER_A)},
    # The resume link is the founder's key: whoever holds it is let in.
    "diagnostics:resume": {"GET": who(302), "POST": READ_ONLY},
    "diagnostics:results": {"GET": who(**FOUNDER_A), "POST": READ_ONLY},
    "diagnostics:email-results": {"GET": who(**FOUNDER_A), "POST": who(**FOUNDER_A)},
    "diagnostics:download": {"GET": who(**FOUNDER_A), "POST": READ_ONLY},
    # Posted without the confirmation: the form's errors.
    "diagnostics:delete": {"GET": who(**FOUNDER_A), "POST": who(**FOUNDER_A)},
    "diagnostics:retake": {"GET": READ_ONLY, "POST": who(404, founder_a=302)},
    # The catalogue: public search and offer pages; the outbound link records a referral.
    "catalogue:search": public(),
    "catalogue:offer": public(),
    "catalogue:offer-go": public(get=302),
    # Curation: members of a local authority and moderators; others are refused (403),
    # anonymous signs in; another council's offers are 404.
    "catalogue:curation-queue": signed_in_page(403, local_authority=200, moderator=200),
    "catalogue:offer-list": signed_in_page(403, local_authority=200, moderator=200),
    "catalogue:offer-create": signed_in_page(403, 403, local_authority=200, moderator=200),
    "catalogue:offer-import": signed_in_page(403, 403, local_authority=200, moderator=200),
    # The import template holds column names only: anyone.
    "catalogue:offer-import-template": {"GET": EVERYONE_200, "POST": READ_ONLY},
    # A moderator curates for no organisation of their own: sent to choose one.
    "catalogue:offer-export": signed_in_page(403, local_authority=200, moderator=302),
    "catalogue:offer-edit": {"GET": who(**CURATORS_A), "POST": who(**CURATORS_A)},
    "catalogue:offer-places": {"GET": who(**CURATORS_A), "POST": SIGNED_IN_READ_ONLY},
    "catalogue:offer-submit": post_only(
        anonymous=SIGN_IN, signed_in=404, council_a=302, moderator=302
    ),
    # Managers publish; the organisation's editors may not (403), others see no offer.
    "catalogue:offer-publish": post_only(
        anonymous=SIGN_IN,
        signed_in=404,
        council_a=403,
        council_a_manager=302,
        moderator=302,
    ),
    "catalogue:offer-archive": post_only(
        anonymous=SIGN_IN, signed_in=404, council_a=302, moderator=302
    ),
    "catalogue:offer-history": {"GET": who(**CURATORS_A), "POST": SIGNED_IN_READ_ONLY},
    # Contract opportunities: public list, page and CPV search.
    "procurement:list": public(),
    "procurement:detail": public(),
    "procurement:cpv-search": public(),
    # Alerts: anyone asks; the emailed links are the subscriber's keys.
    "procurement:alert-create": public(post=200),
    "procurement:alert-sent": public(),
    # The confirmation link shows a Confirm button; its POST (with the token) confirms.
    "procurement:alert-confirm": public(post=200),
    "procurement:alert-unsubscribe": public(post=200),
    "procurement:alert-manage": public(post=302),
    # Saving an opportunity: signed-in people (a GET is refused before anything else).
    "procurement:opportunity-save": {
        "GET": READ_ONLY,
        "POST": who(302, anonymous=SIGN_IN),
    },
    "procurement:saved-opportunities": signed_in_page(),
    # Posting: members of cluster bodies and buyers, and moderators; others 403;
    # another organisation's opportunities are 404.
    "procurement:posting-dashboard": signed_in_page(403, posters=200, moderator=200),
    "procurement:opportunity-create": signed_in_page(403, 403, posters=200, moderator=200),
    "procurement:opportunity-edit": {
        "GET": who(404, anonymous=SIGN_IN, cluster_x_editor=200, moderator=200),
        "POST": who(404, anonymous=SIGN_IN, cluster_x_editor=200, moderator=200),
    },
    **{
        f"procurement:opportunity-{action}": {
            "GET": who(404, anonymous=SIGN_IN, cluster_x_editor=200, moderator=200),
            "POST": who(404, anonymous=SIGN_IN, cluster_x_editor=302, moderator=302),
        }
        for action in ("publish", "close", "withdraw")
    },
    # Moderators only: the postings waiting for one, and the OCDS import runs.
    "procurement:moderation-queue": signed_in_page(403, moderator=200),
    "procurement:opportunity-approve": post_only(anonymous=SIGN_IN, signed_in=404, moderator=302),
    # (404 rather than 403: nobody else learns there are import runs.)
    "procurement:import-runs": signed_in_page(404, moderator=200),
    "procurement:import-run": signed_in_page(404, moderator=200),
    # Matching: anyone.
    "matching:recommended": public(),
    # Posted empty: a bad request (which recommendation?).
    "matching:feedback": post_only(default=400),
    # Match alerts need a business: without one (only founder A has a completed
    # assessment here), back to "Recommended for you" to describe it.
    "matching:alert-create": {"GET": who(302, founder_a=200), "POST": who(302, founder_a=200)},
    "matching:alert-sent": public(),
    "matching:alert-confirm": public(post=200),
    "matching:alert-unsubscribe": public(post=200),
    # Advice: anyone asks; a request opens by its signed link, for whoever holds it.
    "advice:ask": public(post=200),
    "advice:privacy": public(),
    "advice:request": public(),
    "advice:sent": public(),
    "advice:withdraw": post_only(default=302),
    # The staff's queue: the members of the organisation the request went to, and
    # nobody else, moderators included (they see the counts only); strangers get 404
    # whatever the method. Council A's organisation receives requests; B's does not.
    "advice:queue-home": signed_in_page(404, council_a=302, moderator=302),
    "advice:overview": signed_in_page(404, moderator=200),
    "advice:queue": {
        "GET": who(404, anonymous=SIGN_IN, council_a=200),
        "POST": who(404, anonymous=SIGN_IN, council_a=405),
    },
    "advice:staff-request": {
        "GET": who(404, anonymous=SIGN_IN, council_a=200),
        "POST": who(404, anonymous=SIGN_IN, council_a=405),
    },
    # The actions' forms are on the request's page: a GET goes there. Posted empty,
    # "assign" unassigns (back to the page); the others show their errors.
    **{
        f"advice:staff-request-{action}": {
            "GET": who(404, anonymous=SIGN_IN, council_a=302),
            "POST": who(404, anonymous=SIGN_IN, council_a=302 if action == "assign" else 200),
        }
        for action in ("assign", "note", "status", "outcome")
    },
    # Dashboards: public summaries and the map for everyone; the fuller dashboard and
    # its CSVs for the analysts of the places their organisation covers and for
    # moderators; anyone else 404 (not even whether it exists for them), anonymous too.
    "dashboards:map": public(),
    "dashboards:uk_summary": public(),
    "dashboards:summary": public(),
    "dashboards:summary_csv": public(),
    "dashboards:full": {"GET": who(404, council_a=200, moderator=200), "POST": READ_ONLY},
    "dashboards:full_csv": {"GET": who(404, council_a=200, moderator=200), "POST": READ_ONLY},
    # The read APIs: anyone reads; any other method is a 405 (CSRF-exempt: nothing
    # is written).
    **{
        f"openreferral:{name}": public()
        for name in (
            "root",
            "openapi",
            "services",
            "service",
            "service-at-locations",
            "service-at-location",
            "taxonomies",
            "taxonomy",
            "taxonomy-terms",
            "taxonomy-term",
        )
    },
    # Anything else under the API: a JSON 404, whatever the method.
    "openreferral:not-found": public(get=404, post=404),
    "ocds:releases": public(),
    "ocds:release": public(),
}

# CSRF-exempt views: a POST without a token gets the row's outcome, not 403. The read
# API writes nothing; an alert's one-click unsubscribe (RFC 8058) is posted by a mail
# client, which holds no token: the signed link in the address is the key.
CSRF_EXEMPT = {name for name in MATRIX if name.startswith("openreferral:")} | {
    "procurement:alert-unsubscribe",
    "matching:alert-unsubscribe",
}


# The Django admin: moderators only (staff, as every platform team member with the
# admin's door open; a non-superuser: tests/security/world.py gives them no model
# permission, as the admin's permissions are the rules', portal/lib/admin.py); anyone
# else is sent to the admin's sign-in. GET and HEAD of every page of every registered
# model.

ADMIN_PAGES = ("changelist", "add", "change", "history", "delete", "object")

# What a moderator may do in the admin beyond viewing, by model: DESIGN.md has them
# "approve organisations and memberships, moderate anything", but records the service
# writes itself (history, deliveries, import runs, assessments) and the places fixture
# are never made or deleted by hand, and offers and opportunities are created and ended
# by their owners' pages. A CPV code missing from the list may be added (never deleted:
# opportunities keep codes as text); an offer's referrals (bots' clicks) may be deleted;
# a person's saved opportunities are theirs to change, read-only here. People's
# accounts moderators look up but never add, change or delete (whoever could would
# make an account staff or a superuser, or take it over by its address or password),
# and the groups of Django's model permissions, which the admin does not go by, they
# do not see: both are superusers' (portal/accounts/permissions.py,
# can_manage_accounts).
ADMIN_ADD = {
    "accounts_organisation",
    "advice_adviceteam",
    "procurement_cpvcode",
}
ADMIN_DELETE = {
    "accounts_organisation",
    "accounts_membershiprequest",
    "advice_adviceteam",
    "catalogue_referral",
    "procurement_savedsearch",
    "matching_matchsubscription",
}
ADMIN_SUPERUSERS_ONLY = {"auth_group"}


def admin_page(key: str, page: str) -> dict:
    allowed = {"add": key in ADMIN_ADD, "delete": key in ADMIN_DELETE}.get(
        page, key not in ADMIN_SUPERUSERS_ONLY
    )
    # The unnamed address of an object redirects any staff to its change page.
    moderator = {"object": 302}.get(page, 200 if allowed else 403)
    return {"GET": who(SIGN_IN, moderator=moderator)}


def admin_rows(model_keys) -> dict:
    rows = {
        "admin:index": {"GET": who(SIGN_IN, moderator=200)},
        # Signed in as staff already: on to the index.
        "admin:login": {"GET": who(200, moderator=302)},
        # Signing out is a POST; anyone else is sent to the admin (and on to sign in).
        "admin:logout": {"GET": who(302, moderator=405)},
        "admin:password_change": {"GET": who(SIGN_IN, moderator=200)},
        "admin:password_change_done": {"GET": who(SIGN_IN, moderator=200)},
        # The autocomplete asked for nothing: refused, even to staff.
        "admin:autocomplete": {"GET": who(SIGN_IN, moderator=403)},
        "admin:jsi18n": {"GET": who(SIGN_IN, moderator=200)},
        # An object's "view on site" goes to its public page (a published offer here).
        "admin:view_on_site": {"GET": who(SIGN_IN, moderator=302)},
        "admin:app_list": {"GET": who(SIGN_IN, moderator=200)},
        # Setting another person's password: superusers only (see ADMIN_ADD).
        "admin:auth_user_password_change": {"GET": who(SIGN_IN, moderator=403)},
        ADMIN_CATCH_ALL: {"GET": who(SIGN_IN, moderator=404)},
    }
    for key in model_keys:
        for page in ADMIN_PAGES:
            name = f"admin-object:{key}" if page == "object" else f"admin:{key}_{page}"
            rows[name] = admin_page(key, page)
    return rows


def full_matrix(model_keys) -> dict[str, dict[str, dict[str, object]]]:
    """Every row, with HEAD added: name → method → role → outcome."""
    rows = {name: _complete(dict(row)) for name, row in MATRIX.items()}
    rows |= admin_rows(model_keys)
    for row in rows.values():
        row["HEAD"] = row["GET"]
    return rows


# Where the site differs from the table: (name, method) → (what happens instead, why it
# is left). The matrix accepts exactly that and nothing else, and fails once it stops
# happening, so a fix must remove its line. None are open.
OPEN_MISMATCHES: dict[tuple[str, str], tuple[object, str]] = {}
