"""What the participants app tells the apps above it (they connect receivers; participants imports none of
them). Sent inside the sender's transaction: a receiver's writes commit or roll back with it."""

from django.dispatch import Signal

#: Sent while a participant withdraws, after her queued mails are cancelled and before her proposals and
#: consents are closed: kwargs `actor`, `participant` (locked row) and `cancelled` (the cancelled
#: outbox rows). The follow-up app ends her active matches here.
participant_withdrawing = Signal()
