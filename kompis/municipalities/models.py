from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """One of Sweden's 290 municipalities, keyed by its 4-digit SCB code (source: Kolada)."""

    code = models.CharField(max_length=4, primary_key=True)
    name = models.CharField(max_length=100)
    county_code = models.CharField(max_length=2)
    county_name = models.CharField(max_length=100)
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name
