"""Every model field that can hold personal data is in the inventory (each app declares
its own through portal/accounts/personal_data.py), with why it is kept and for how long.

The scan is simple on purpose. A field is picked out when it is:

- a field of the user model (the row is the person);
- a foreign key to the user model, an EmailField or a GenericIPAddressField;
- named like personal data: ``name``, ``…_name``, or with a word among email, phone,
  mobile, ip, address, postcode, session, password, language (the one a person used);
- free text or JSON (TextField, JSONField) in a model about a person: one with a foreign
  key to the user model or an email field named ``email`` (the address of the person
  the row is about, as on a subscription), or with a foreign key to such a model (an
  assessment's answers, a log entry's message).

A picked-out field that holds nothing about anyone is declared ``NotPersonal`` with the
reason. Free text in a model about nobody is not picked out: an offer or an opportunity
has a contact address (``contact_email``, picked out itself), but its description is
what its organisation publishes about the support or the tender.
"""

import pytest
from django.apps import apps
from django.apps.registry import Apps
from django.conf import settings
from django.db import models

from portal.accounts.models import User
from portal.accounts.personal_data import NotPersonal, PersonalField, personal_data_inventory

PERSONAL_WORDS = {
    "email",
    "phone",
    "mobile",
    "ip",
    "address",
    "postcode",
    "session",
    "password",
    "language",
}


def _points_at(field, targets) -> bool:
    return (field.many_to_one or field.one_to_one) and field.related_model in targets


def _named_personal(name: str) -> bool:
    return name == "name" or name.endswith("_name") or bool(set(name.split("_")) & PERSONAL_WORDS)


def _about_a_person(model_list) -> set:
    """The models about a person: with a foreign key to the user model or an email field
    named ``email``, then those with a foreign key to one of them, and so on."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    about = {user_model}
    for model in model_list:
        for field in model._meta.concrete_fields:
            is_address = isinstance(field, models.EmailField) and field.name == "email"
            if is_address or _points_at(field, {user_model}):
                about.add(model)
    grown = True
    while grown:
        grown = False
        for model in model_list:
            if model not in about and any(
                _points_at(field, about) for field in model._meta.concrete_fields
            ):
                about.add(model)
                grown = True
    return about


def personal_candidates(model_list) -> set[str]:
    """``app_label.Model.field`` of every field the scan picks out (concrete models only:
    a proxy's fields are its model's)."""
    model_list = [model for model in model_list if not model._meta.proxy]
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    about = _about_a_person(model_list)
    found = set()
    for model in model_list:
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            picked = (
                model is user_model
                or _points_at(field, {user_model})
                or isinstance(field, models.EmailField | models.GenericIPAddressField)
                or _named_personal(field.name)
                or (model in about and isinstance(field, models.TextField | models.JSONField))
            )
            if picked:
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_field_that_can_hold_personal_data_is_in_the_inventory():
    inventory = personal_data_inventory()
    missing = sorted(personal_candidates(apps.get_models()) - set(inventory))

    assert not missing, (
        "Fields that can hold personal data but are in no app's inventory (declare each "
        "as PersonalField, with its purpose and retention, or NotPersonal with the "
        "reason, in the app's personal_data.py):\n    " + "\n    ".join(missing)
    )


def test_every_inventory_entry_names_a_field_of_its_model():
    for key, entry in personal_data_inventory().items():
        names = {field.name for field in entry.model._meta.concrete_fields}
        assert entry.field in names, f"{key}: {entry.model.__name__} has no field {entry.field}"


def test_every_personal_field_says_why_it_is_kept_and_for_how_long():
    for key, entry in personal_data_inventory().items():
        if isinstance(entry, PersonalField):
            assert str(entry.purpose).strip(), f"{key} has no purpose"
            assert str(entry.retention).strip(), f"{key} has no retention"
        else:
            assert isinstance(entry, NotPersonal)
            assert str(entry.reason).strip(), f"{key} says not why it holds nothing personal"


def test_the_scan_picks_out_each_kind_of_field_it_claims_to():
    found = personal_candidates(apps.get_models())

    assert {
        "accounts.User.last_login",  # any field of the user model
        "procurement.SavedOpportunity.user",  # a foreign key to the user model
        "matching.MatchSubscription.email",  # an email field
        "procurement.Opportunity.contact_name",  # by its name
        "catalogue.Referral.session_hash",  # by a word of its name
        "diagnostics.Assessment.language",  # the language a person used
        "accounts.MembershipRequest.message",  # free text of a model with a user key
        "matching.MatchSubscription.plans",  # JSON of a model with an email field
        "diagnostics.Answer.value",  # JSON of a model that points at one of those
    } <= found
    # Free text in a model about nobody is not picked out.
    assert "catalogue.Offer.description" not in found
    assert "procurement.Lot.description" not in found


def test_a_new_model_holding_notes_about_a_person_would_fail_the_inventory():
    class AdviserNote(models.Model):
        author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
        phone_number = models.CharField(max_length=20)
        body = models.TextField()
        status = models.CharField(max_length=10)

        class Meta:
            app_label = "accounts"
            apps = Apps()  # kept out of the project's models

        def __str__(self):
            return self.status

    found = personal_candidates([AdviserNote])

    assert found == {
        "accounts.AdviserNote.author",
        "accounts.AdviserNote.phone_number",
        "accounts.AdviserNote.body",
    }
    assert not found & set(personal_data_inventory())


@pytest.mark.parametrize(
    ("name", "personal"),
    [
        ("name", True),
        ("full_name", True),
        ("contact_email", True),
        ("ip_address", True),
        ("session_hash", True),
        ("description", False),
        ("relationship", False),
        ("slug", False),
    ],
)
def test_names_that_say_personal_data(name, personal):
    assert _named_personal(name) is personal
