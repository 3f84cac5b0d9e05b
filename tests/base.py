"""The named personas, built once per test class, and the permission matrices built on
them. (The query-count check is in tests/queries.py.)"""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from portal.accounts.models import Role
from tests.factories import (
    PERSONAS,
    cluster_body,
    cluster_body_y,
    council_a,
    council_b,
    create_membership,
    create_persona,
    create_user,
    new_buyer,
    platform_team,
)

PERSONA_NAMES = ("anonymous", *PERSONAS, "founder", "superuser", "inactive_superuser")


def create_personas() -> dict[str, Any]:
    """Everyone in PERSONA_NAMES, by name: the anonymous visitor, the personas of
    tests.factories.PERSONAS, a founder with no organisation, a superuser, and an
    inactive superuser who was a manager of council A before leaving."""
    personas = {"anonymous": AnonymousUser()}
    personas |= {name: create_persona(name) for name in PERSONAS}
    personas["founder"] = create_user(email="founder.persona@example.com", full_name="Fay Founder")
    personas["superuser"] = create_user(email="root@example.com", is_superuser=True, is_staff=True)
    personas["inactive_superuser"] = create_user(
        email="gone@example.com", is_superuser=True, is_staff=True, is_active=False
    )
    create_membership(
        user=personas["inactive_superuser"], organisation=council_a(), role=Role.MANAGER
    )
    return personas


class PersonasTestCase(TestCase):
    """A TestCase with every persona built once for the class: ``self.personas`` by name,
    and each as an attribute (``self.council_a_curator``, ``self.moderator``...), with
    their organisations (``self.council_a``, ``self.cluster_body``...), and
    ``self.objects``, what the class's ``create_objects`` returns, if it has one."""

    create_objects = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.personas = create_personas()
        cls.objects = cls.create_objects() if cls.create_objects else {}
        for name, user in cls.personas.items():
            setattr(cls, name, user)
        cls.council_a = council_a()
        cls.council_b = council_b()
        cls.cluster_body = cluster_body()
        cls.cluster_body_y = cluster_body_y()
        cls.new_buyer = new_buyer()
        cls.platform_team = platform_team()


@pytest.mark.django_db
class PermissionMatrix:
    """Every persona of ``expected`` against every rule, and every persona against every
    query of ``queries``, with the personas and objects built once for the class (the
    ``class_world`` fixture of tests/conftest.py, which also makes one test case per
    persona and rule or query). Made by ``permission_matrix``."""

    rules: dict
    expected: dict
    queries: dict = {}
    create_objects = None

    def test_matrix(self, class_world, persona, rule):
        personas, objects = class_world
        assert self.rules[rule](personas[persona], objects) == self.expected[persona][rule]

    def test_query_agrees_with_rule(self, class_world, persona, query):
        personas, objects = class_world
        listed_by, rule, candidates = self.queries[query]
        user, candidates = personas[persona], set(candidates(objects))
        allowed = {candidate for candidate in candidates if rule(user, candidate)}
        assert set(listed_by(user)) & candidates == allowed


def permission_matrix(rules, expected, queries=None, create_objects=None) -> type:
    """A pytest test class (assign it to a name starting with ``Test``) checking ``rules``
    (rule name -> function of a user and the objects) against ``expected`` (persona ->
    rule name -> answer), and that each query of ``queries`` (name -> (query of a user,
    rule of a user and a candidate, function of the objects returning the candidates))
    lists, of the candidates, exactly those the rule allows, for every persona.
    ``create_objects`` returns the objects the rules look at."""
    body = {"rules": rules, "expected": expected, "create_objects": staticmethod(create_objects)}
    if queries:
        body["queries"] = queries
    else:
        body["test_query_agrees_with_rule"] = None  # nothing to check: no case
    return type("PermissionMatrix", (PermissionMatrix,), body)
