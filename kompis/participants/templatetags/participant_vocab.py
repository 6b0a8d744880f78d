from __future__ import annotations

from django import template

from kompis.participants import vocab
from kompis.participants.models import FriendParticipation, Participant
from kompis.participants.selectors import friend_participation_of

register = template.Library()


@register.filter
def vocab_labels(codes: list[str], vocab_name: str) -> str:
    """Translated labels of stored codes, e.g. languages or interests."""
    mapping = getattr(vocab, vocab_name.upper())
    return ", ".join(str(mapping.get(code, code)) for code in codes or [])


@register.filter
def friend_participation(participant: Participant) -> FriendParticipation | None:
    """The person's participation in friend matching, or None for a person without one (who only takes part
    in something else): `{% with f=p|friend_participation %}{% if f %}…{% else %}—{% endif %}{% endwith %}`."""
    return friend_participation_of(participant)
