from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "kompis.participants"
    label = "participants"

    def ready(self) -> None:
        from kompis.outbox.signals import mail_bounced
        from kompis.participants import sweeps  # noqa: F401  (registers the participants' sweeps)
        from kompis.participants.history import register_history
        from kompis.participants.receivers import on_mail_bounced

        # Connected before the follow-up app's receiver (INSTALLED_APPS order): the flag is set first.
        mail_bounced.connect(on_mail_bounced, dispatch_uid="participants.on_mail_bounced")
        register_history()  # its sentences and name look-ups for the history pages
