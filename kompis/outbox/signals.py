"""What the outbox tells the apps above it (they connect receivers; the outbox imports none of them)."""

from django.dispatch import Signal

#: Sent when the mail server refuses an address for good: kwargs `participant_id`, `message`.
mail_bounced = Signal()
#: Sent when the mail server refuses our mail (5xx to MAIL FROM/DATA/AUTH, or the same 5xx for many
#: recipients): kwargs `organisation_ids` (ids of the organisations whose mail waits; None for mail of
#: no organisation) and `reply` (the server's reply, addresses masked). Nobody is flagged; mails wait.
mail_server_refused = Signal()
#: Sent when mails are given up after days of temporary failures: kwargs `counts`
#: ({organisation id or None: number of mails given up in this batch}).
mail_undelivered = Signal()
