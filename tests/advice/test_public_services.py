"""The public business support services named when no organisation serves a council."""

from urllib.parse import urlsplit

from django.test import TestCase

from portal.advice.public_services import public_service_for, public_services
from portal.places.models import Region


class PublicServicesTests(TestCase):
    def test_every_nation_and_region_has_its_service_with_public_https_addresses(self):
        services = public_services()
        codes = set(Region.objects.values_list("ons_code", flat=True))

        self.assertEqual(len(codes), 12)  # the places data migration's
        self.assertEqual(set(services), codes)
        for service in services.values():
            addresses = [hub.url for hub in service.hubs]
            if service.helpline:
                addresses.append(service.helpline.url)
            with self.subTest(region=service.region_code):
                self.assertTrue(service.name)
                self.assertTrue(addresses, "names no address")
                for address in addresses:
                    self.assertEqual(urlsplit(address).scheme, "https")
                    self.assertTrue(urlsplit(address).netloc)

    def test_the_nations_have_their_own_service_and_england_the_helpline(self):
        self.assertEqual(public_service_for("S92000003").name, "Business Gateway")
        self.assertEqual(public_service_for("W92000004").name, "Business Wales")
        self.assertEqual(public_service_for("N92000002").name, "Invest Northern Ireland")
        for code in ("S92000003", "W92000004", "N92000002"):
            self.assertIsNone(public_service_for(code).helpline)
        london = public_service_for("E12000007")
        self.assertEqual(london.hubs[0].name, "London Growth Hub")
        self.assertEqual(london.helpline.phone, "0300 456 3565")
        self.assertIsNone(public_service_for("nowhere"))
