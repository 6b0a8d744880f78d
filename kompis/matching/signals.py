"""What the matching app tells the apps above it (they connect receivers; matching imports none of them).
Sent inside the sender's transaction: a receiver's writes commit or roll back with it."""

from django.dispatch import Signal

#: Sent inside the approval transaction once a Match exists and its approval is in the audit log:
#: kwargs `actor`, `match`. The follow-up app queues the introductions here.
match_approved = Signal()
