"""Press contacts: 'Name, Role [email protected] +44 (0) 1223 203030 or ...', over one or several lines.

`[email protected]` is what a web page leaves of an address it hid from scrapers: the address is
unknown, so `email` stays None and `email_hidden` says so. Phones are read with Google's `phonenumbers`
(UK numbers written in every spacing, '(0)' included); a number it cannot read is kept as written.
"""

from __future__ import annotations

import re

from iwfdb.parse.body import heading_of
from iwfdb.records import Contact, Paragraph, ParseWarning, Phone

HIDDEN_EMAIL = re.compile(r"\[email\s*protected\]", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{1,30}\b")
PHONE_LIKE = re.compile(r"(?:\+|\b0)[\d ()-]{8,}\d")
# Words that join a name to its numbers: 'Jo Bloggs, Press Officer, on +44 ...'.
LEAD_OUT = re.compile(r"(?:[\s,:;-]+|\b(?:on|tel|telephone|phone|mobile|email|e-mail|or|at)\b)+$", re.IGNORECASE)
CONTACT_HEADING = re.compile(r"contact|enquir|press office", re.IGNORECASE)


def read_contacts(closing: list[Paragraph]) -> tuple[list[Contact], list[ParseWarning]]:
    """Contacts under a contact heading, and any closing line that carries a phone or e-mail."""
    contacts: list[Contact] = []
    warnings: list[ParseWarning] = []
    in_contact_section = False
    for paragraph in closing:
        heading = heading_of(paragraph.text)
        text = paragraph.text
        if heading:
            in_contact_section = bool(CONTACT_HEADING.search(heading.text))
            if not heading.rest:
                continue
            text = heading.rest
        if not (in_contact_section or _has_contact_details(text)):
            continue
        contact = _read_contact(text, paragraph.line, warnings)
        if contact is None:
            continue
        if contact.name is None and contacts:
            contacts[-1] = _merge(contacts[-1], contact)
        elif contact.name or contact.phones or contact.email or contact.email_hidden:
            contacts.append(contact)
    return contacts, warnings


def _has_contact_details(text: str) -> bool:
    return bool(HIDDEN_EMAIL.search(text) or EMAIL.search(text) or PHONE_LIKE.search(text))


def _read_contact(text: str, line: int, warnings: list[ParseWarning]) -> Contact | None:
    phones = _read_phones(text, line, warnings)
    hidden = HIDDEN_EMAIL.search(text)
    email = EMAIL.search(text)
    handles = tuple(HANDLE.findall(HIDDEN_EMAIL.sub(" ", EMAIL.sub(" ", text))))
    first_detail = min(
        [m.start() for m in (hidden, email, PHONE_LIKE.search(text), HANDLE.search(text)) if m] or [len(text)]
    )
    who = LEAD_OUT.sub("", text[:first_detail]).strip()
    if not (phones or hidden or email or handles) and (not who or len(who.split()) > 12):
        return None
    name, _, role = who.partition(",")
    return Contact(
        name=name.strip() or None,
        role=role.strip(" ,") or None,
        email=email.group(0) if email else None,
        email_hidden=bool(hidden) and not email,
        phones=phones,
        handles=handles,
        line=line,
    )


def _read_phones(text: str, line: int, warnings: list[ParseWarning]) -> tuple[Phone, ...]:
    if not PHONE_LIKE.search(text):
        return ()
    import phonenumbers  # only statements with phone numbers pay for its import

    phones = []
    covered: list[tuple[int, int]] = []
    for match in phonenumbers.PhoneNumberMatcher(text, "GB"):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        phones.append((match.start, Phone(raw=match.raw_string.strip(), e164=e164)))
        covered.append((match.start, match.end))
    for match in PHONE_LIKE.finditer(text):
        if not any(start <= match.start() < end for start, end in covered):
            raw = match.group(0).strip()
            phones.append((match.start(), Phone(raw=raw, e164=None)))
            warnings.append(ParseWarning(line, f"'{raw}' is not a valid phone number: kept as written"))
    return tuple(phone for _, phone in sorted(phones, key=lambda item: item[0]))


def _merge(contact: Contact, more: Contact) -> Contact:
    """Details on a line of their own (the e-mail placeholder, a handle) belong to the contact above."""
    return Contact(
        name=contact.name,
        role=contact.role,
        email=contact.email or more.email,
        email_hidden=(contact.email_hidden or more.email_hidden) and not (contact.email or more.email),
        phones=contact.phones + more.phones,
        handles=contact.handles + more.handles,
        line=contact.line,
    )
