"""Who a mail names as the contact person, looked up through a provider an app above outbox registers.

outbox imports nothing of organisations: kompis.organisations registers `contacts_by_key` here from its
`AppConfig.ready()`. Without a provider (an installation without organisations) mails name no contact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

#: (organisation id, region id) whose contact a mail names.
ContactKey = tuple[int | None, int | None]


@dataclass(frozen=True)
class Contact:
    """Who a participant contacts: named in every mail, and the Reply-To of the mail."""

    name: str
    email: str
    phone: str

    def as_context(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email, "phone": self.phone}


ContactProvider = Callable[[Iterable[ContactKey]], Mapping[ContactKey, Contact | None]]

_provider: list[ContactProvider] = []


def register_contact_provider(provider: ContactProvider) -> None:
    """Set the one provider of contacts (kompis.organisations does, from its AppConfig)."""
    _provider[:] = [provider]


def contacts_by_key(keys: Iterable[ContactKey]) -> dict[ContactKey, Contact | None]:
    """The contact of each (organisation id, region id), None where there is none."""
    wanted = set(keys)
    if not _provider:
        return dict.fromkeys(wanted)
    found = _provider[0](wanted)
    return {key: found.get(key) for key in wanted}
