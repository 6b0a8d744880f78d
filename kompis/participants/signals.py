"""What the participants app tells the apps above it (they connect receivers; participants imports none of
them). Sent inside the sender's transaction: a receiver's writes commit or roll back with it."""

from __future__ import annotations

from typing import TypedDict

from django.dispatch import Signal


class WithdrawalCounts(TypedDict, total=False):
    """What a `participant_withdrawing` receiver did, added up into the participant's `withdrawn` event."""

    mails_cancelled: int
    matches_ended: int


#: Sent while a participant leaves friend matching, after her queued mails (to her, or naming her) are
#: cancelled: kwargs `actor`, `participant` (the person's locked row; her friend participation, also locked,
#: already withdrawn), `cancelled` (the cancelled outbox rows) and `everything`: True when she leaves
#: everything (`withdraw_participant`: every mail cancelled, her consents closed after the receivers ran),
#: False when she leaves only friend matching (`leave_friend_matching`: only friend matching's mails
#: cancelled; consents and other activities stay). A receiver returns a `WithdrawalCounts` (or None). The
#: follow-up app ends her active matches here (and cancels introductions that name her); matching withdraws
#: the proposals with her; an app of another activity (events) acts only when `everything` is True.
participant_withdrawing = Signal()
