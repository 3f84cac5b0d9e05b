"""The sitemap's parts that every app builds on: absolute links on SITE_URL, and the
main public pages by URL name. The root URLconf (portal/urls.py) puts the apps' parts
together and serves them as sitemap.xml."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class SiteSitemap(Sitemap):
    """Links on SITE_URL where it is set (production always sets it), else on the address
    the request came to, as ``portal.lib.links.page_url`` does for pages. Each page is
    listed in every language (English unprefixed, Welsh under /cy/), each with its
    ``hreflang`` alternates and the English one as ``x-default``."""

    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return settings.SITE_URL.split("://", 1)[0]
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return settings.SITE_URL.split("://", 1)[1]
        return super().get_domain(site)


class PagesSitemap(SiteSitemap):
    """Pages with no object of their own, named by URL name."""

    def __init__(self, names: list[str]):
        self.names = names

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)
