from django.test import TestCase
from django.urls import reverse

from portal.accounts.models import User
from portal.places.models import Council, Region


class PlacesAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = User.objects.create_superuser("moderator@example.com", "password")

    def setUp(self):
        self.client.force_login(self.moderator)

    def test_council_list_filters_by_nation(self):
        response = self.client.get(
            reverse("admin:places_council_changelist"), {"region__nation__exact": "wales"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["cl"].result_count, 22)

    def test_council_list_searches_by_gss_code(self):
        response = self.client.get(reverse("admin:places_council_changelist"), {"q": "S12000033"})

        self.assertContains(response, "Aberdeen City")
        self.assertEqual(response.context["cl"].result_count, 1)

    def test_region_list_counts_councils(self):
        response = self.client.get(reverse("admin:places_region_changelist"))

        self.assertEqual(response.status_code, 200)
        regions = response.context["cl"].result_list
        council_counts = {region.name: region.council_count for region in regions}
        self.assertEqual(council_counts["South East"], 64)

    def test_places_cannot_be_added_or_deleted(self):
        council = Council.objects.get(gss_code="E08000037")
        region = Region.objects.get(ons_code="E12000001")

        self.assertEqual(self.client.get(reverse("admin:places_council_add")).status_code, 403)
        self.assertEqual(self.client.get(reverse("admin:places_region_add")).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("admin:places_council_delete", args=[council.pk])).status_code,
            403,
        )
        self.assertEqual(
            self.client.get(reverse("admin:places_region_delete", args=[region.pk])).status_code,
            403,
        )

    def test_only_the_active_flag_can_be_changed(self):
        council = Council.objects.get(gss_code="E08000037")
        url = reverse("admin:places_council_change", args=[council.pk])

        response = self.client.post(url, {"active": "", "name": "Renamed"})

        self.assertRedirects(response, reverse("admin:places_council_changelist"))
        council.refresh_from_db()
        self.assertEqual((council.name, council.active), ("Gateshead", False))
