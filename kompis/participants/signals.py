"""What the participants app tells the apps above it (they connect receivers; participants imports none of
them). Sent inside the sender's transaction: a receiver's writes commit or roll back with it."""

from __future__ import annotations

from typing import TypedDict

from django.dispatch import Signal


class WithdrawalCounts(TypedDict, total=False):
    """What a `participant_withdrawing` receiver did, added up into the participant's `withdrawn` event."""

    mails_cancelled: int
    matches_ended: int


#: Sent while a participant withdraws, after her own queued mails (to her, or naming her) are cancelled and
#: before her consents are closed: kwargs `actor`, `participant` (locked row, already withdrawn) and
#: `cancelled` (the cancelled outbox rows). A receiver returns a `WithdrawalCounts` (or None). The follow-up
#: app ends her active matches here (and cancels introductions that name her); matching withdraws the
#: proposals with her.
participant_withdrawing = Signal()
