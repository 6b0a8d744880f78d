from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "kompis.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from kompis.events.activities import register_activities
        from kompis.events.history import register_history
        from kompis.events.receivers import on_participant_withdrawing
        from kompis.participants.signals import participant_withdrawing

        register_history()  # its sentences for the history pages
        from kompis.events.attendance_history import register_history as register_attendance_history

        register_attendance_history()  # attendance and calendar feeds (attendance_history.py, R3)
        register_activities()  # the person's registrations on their own page
        from kompis.events import participant_panels

        participant_panels.register()  # and on her staff page
        from kompis.core import sweeps
        from kompis.events.services import send_reminders

        sweeps.register("events.reminders")(send_reminders)  # the mail the day before
        participant_withdrawing.connect(
            on_participant_withdrawing, dispatch_uid="events.on_participant_withdrawing"
        )
