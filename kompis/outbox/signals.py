from django.dispatch import Signal

#: Sent when the mail server refuses an address for good: kwargs `participant_id`, `message`.
mail_bounced = Signal()
