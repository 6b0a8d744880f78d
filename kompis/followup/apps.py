from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "kompis.followup"
    label = "followup"

    def ready(self) -> None:
        from kompis.followup import sweeps  # noqa: F401  (registers the follow-up sweep)
        from kompis.followup.history import register_history
        from kompis.followup.services import on_mail_bounced
        from kompis.outbox.signals import mail_bounced

        mail_bounced.connect(on_mail_bounced, dispatch_uid="followup.on_mail_bounced")
        register_history()  # its sentences and name look-ups for the history pages
        from kompis.followup.services import on_task_resolved
        from kompis.followup.worklist_kinds import register_worklist
        from kompis.worklist.signals import task_resolved

        register_worklist()  # its kinds of staff task, and how its subjects are shown in the work list
        task_resolved.connect(on_task_resolved, dispatch_uid="followup.on_task_resolved")
        from kompis.followup.mail_tasks import on_mail_server_refused, on_mail_undelivered
        from kompis.outbox.signals import mail_server_refused, mail_undelivered

        mail_server_refused.connect(on_mail_server_refused, dispatch_uid="followup.on_mail_server_refused")
        mail_undelivered.connect(on_mail_undelivered, dispatch_uid="followup.on_mail_undelivered")
        from kompis.followup.receivers import on_match_approved, on_participant_withdrawing
        from kompis.matching.signals import match_approved
        from kompis.participants.signals import participant_withdrawing

        match_approved.connect(on_match_approved, dispatch_uid="followup.on_match_approved")
        participant_withdrawing.connect(
            on_participant_withdrawing, dispatch_uid="followup.on_participant_withdrawing"
        )
        from kompis.followup import participant_panels

        participant_panels.register()  # the mails on a participant's page
