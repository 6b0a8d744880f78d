"""Likely duplicate people, within what a staff user may see.

Two records are likely the same person when they share an e-mail address (case-insensitive), a phone number
(its digits, `Participant.phone_digits`) or first name, last name (casefolded) and year of birth. A pair is
shown only when the user may see both records (`participants_for_user`): a coordinator never learns of a
record in another region through this page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import combinations

from django.utils.translation import gettext_lazy as _

from kompis.accounts.models import User
from kompis.participants.access import participants_for_user
from kompis.participants.models import Participant
from kompis.participants.selectors import friend_participation_of
from kompis.participants.vocab import Status

#: the page shows at most this many pairs (a phone number written on many paper forms makes many pairs)
MAX_PAIRS = 200
#: more records than this sharing one value are not one person (an office's phone number on paper forms)
MAX_GROUP = 20
#: a phone number needs this many digits to count (a typo like "0" or "070" is no person's number)
MIN_PHONE_DIGITS = 6


class Rule(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    NAME = "name"

    @property
    def label(self) -> str:
        return str(RULE_LABELS[self])


RULE_LABELS = {
    Rule.EMAIL: _("same e-mail address"),
    Rule.PHONE: _("same phone number"),
    Rule.NAME: _("same name and year of birth"),
}


@dataclass
class DuplicatePair:
    """Two records of one person, probably; `first` is the one suggested to keep (see `suggested_keep`)."""

    first: Participant
    second: Participant
    rules: list[Rule] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [rule.label for rule in self.rules]


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _keys(
    pk: int, email: str, phone_digits: str | None, first: str, last: str, birth_year: int | None
) -> Iterable[tuple[Rule, tuple[object, ...]]]:
    if email.strip():
        yield Rule.EMAIL, (email.strip().casefold(),)
    if phone_digits and len(phone_digits) >= MIN_PHONE_DIGITS:
        yield Rule.PHONE, (phone_digits,)
    if _fold(first) and _fold(last) and birth_year:
        yield Rule.NAME, (_fold(first), _fold(last), birth_year)


#: the record further along is suggested to keep: a match or a place in the pool outweighs an open sign-up
_STATUS_WEIGHT = {
    Status.MATCHED: 4,
    Status.WAITING: 3,
    Status.PAUSED: 2,
    Status.PENDING: 1,
    Status.WITHDRAWN: 0,
}


def suggested_keep(a: Participant, b: Participant) -> tuple[Participant, Participant]:
    """(keep, remove): the record further along in friend matching (matched, waiting, paused, pending,
    withdrawn or not taking part), else the older."""

    def weight(p: Participant) -> tuple[int, float, int]:
        friend = friend_participation_of(p)
        status = _STATUS_WEIGHT.get(Status(friend.status), 0) if friend is not None else 0
        return (status, -p.signed_up_at.timestamp(), -p.pk)

    return (a, b) if weight(a) >= weight(b) else (b, a)


def likely_duplicates(user: User, *, limit: int = MAX_PAIRS) -> list[DuplicatePair]:
    """Pairs of records in the user's scope that are likely one person, each with the rules that matched.

    One query over the scope's identifying columns, grouped in Python (`str.casefold`, which the databases'
    LOWER does not do alike for every script), then one query for the records of the first `limit` pairs.
    """
    rows = participants_for_user(user).values_list(
        "pk", "email", "phone_digits", "first_name", "last_name", "birth_year"
    )
    groups: dict[tuple[Rule, tuple[object, ...]], list[int]] = defaultdict(list)
    for pk, email, phone_digits, first, last, birth_year in rows.order_by("pk").iterator(chunk_size=5000):
        for key in _keys(pk, email, phone_digits, first, last, birth_year):
            groups[key].append(pk)
    found: dict[tuple[int, int], list[Rule]] = defaultdict(list)
    for (rule, _value), pks in groups.items():
        if len(pks) > MAX_GROUP:
            continue
        for a, b in combinations(pks, 2):
            if rule not in found[(a, b)]:
                found[(a, b)].append(rule)
    ordered = sorted(found.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    wanted = {pk for (a, b), _rules in ordered for pk in (a, b)}
    people = Participant.objects.filter(pk__in=wanted).select_related(
        "region", "municipality", "project", "friend_matching"
    )
    by_pk = {p.pk: p for p in people}
    pairs = []
    for (a, b), rules in ordered:
        keep, remove = suggested_keep(by_pk[a], by_pk[b])
        pairs.append(DuplicatePair(first=keep, second=remove, rules=sorted(rules, key=list(Rule).index)))
    return pairs


def duplicate_rules(a: Participant, b: Participant) -> list[Rule]:
    """The rules by which two records look like one person (empty: they do not)."""
    keys_a = dict(_keys(a.pk, a.email, a.phone_digits, a.first_name, a.last_name, a.birth_year))
    keys_b = dict(_keys(b.pk, b.email, b.phone_digits, b.first_name, b.last_name, b.birth_year))
    return [rule for rule in Rule if rule in keys_a and keys_a[rule] == keys_b.get(rule)]
