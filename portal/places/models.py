from django.db import models
from django.utils.translation import gettext_lazy as _


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")
    NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")


# ITL1 divides England into nine regions; Wales, Scotland and Northern Ireland are one each.
ENGLISH_REGIONS = 9


class RegionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Region(models.Model):
    """One of the 12 nations and regions of the UK (ITL1)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    ons_code = models.CharField(_("ONS code"), max_length=9, unique=True)
    itl_code = models.CharField(_("ITL1 code"), max_length=3, unique=True)
    # The NUTS 1 code the same area had before ITL (UKC…UKN): older feeds still use it.
    nuts_code = models.CharField(_("NUTS 1 code"), max_length=3, unique=True)
    nation = models.CharField(_("nation"), max_length=20, choices=Nation.choices)
    active = models.BooleanField(_("active"), default=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["itl_code"]
        verbose_name = _("nation or region")
        verbose_name_plural = _("nations and regions")

    def __str__(self):
        return self.name


class CouncilQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Council(models.Model):
    """A district or unitary council: the place a business says it is in."""

    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    gss_code = models.CharField(_("GSS code"), max_length=9, unique=True)
    local_authority_code = models.CharField(_("local authority code"), max_length=4, unique=True)
    kind = models.CharField(_("type"), max_length=60)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="councils", verbose_name=_("region")
    )
    active = models.BooleanField(_("active"), default=True)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self):
        return self.name
