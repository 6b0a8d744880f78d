"""Core models: counters of the sign-up rate limit (kompis/core/ratelimit.py)."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Requests of one client (bucket: group and a keyed hash of the address, never the address itself)
    in one fixed window; incremented in a single INSERT … ON CONFLICT DO UPDATE statement."""

    bucket = models.CharField(max_length=100)
    window_start = models.BigIntegerField(help_text="Unix time the window starts")
    expires_at = models.BigIntegerField(db_index=True, help_text="Unix time after which the row is swept")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bucket", "window_start"], name="core_ratecounter_bucket_window")
        ]

    def __str__(self) -> str:
        return f"{self.bucket} @ {self.window_start}: {self.count}"
