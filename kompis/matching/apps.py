from datetime import datetime

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "kompis.matching"
    label = "matching"

    def ready(self) -> None:
        from kompis.core import sweeps

        def recover(now: datetime) -> int:
            from kompis.matching.runs import recover_stale_runs

            return recover_stale_runs(now=now)

        sweeps.register("matching.recover_stale_runs")(recover)
        from kompis.matching import history

        history.register_history()
        from kompis.matching import participant_hooks

        participant_hooks.connect()  # the matches on a participant's page; her proposals when she leaves
