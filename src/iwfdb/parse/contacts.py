"""Press contacts: 'Name, Role [email protected] +44 (0) 1223 203030 or ...', over one or several lines.

`[email protected]` is what a web page leaves of an address it hid from scrapers: the address is
unknown, so `email` stays None and `email_hidden` says so. Phones are read with Google's `phonenumbers`
(UK numbers written in every spacing, '(0)' included); a number it cannot read is kept as written.
"""

from __future__ import annotations

import functools
import re

from iwfdb.parse.body import heading_of
from iwfdb.parse.shapes import ends_sentence
from iwfdb.records import Contact, Paragraph, ParseWarning, Phone

HIDDEN_EMAIL = re.compile(r"\[email\s*protected\]", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{1,30}\b")
# A phone as UK statements write it: '+44 (0) 1223 203030', '+44 (0)7929 553 679', '01223 203030'.
PHONE_LIKE = re.compile(r"(?:\+\d{1,3}|\b0)(?:[ -]?\(0\))?(?:[ -]?\d){7,10}")
# Words that join a name to its numbers: 'Jo Bloggs, Press Officer, on +44 ...'.
LEAD_OUT = re.compile(r"(?:[\s,:;-]+|\b(?:on|tel|telephone|phone|mobile|email|e-mail|or|at)\b)+$", re.IGNORECASE)
NAME_LINE_MAX_WORDS = 10
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
    return "@" in text or "protected]" in text or (_may_hold_phone(text) and bool(PHONE_LIKE.search(text)))


def _may_hold_phone(text: str) -> bool:
    """UK numbers start '+44' or '0': a cheap test that spares most lines the phone pattern."""
    return "+" in text or " 0" in text or text.startswith("0")


def _read_contact(text: str, line: int, warnings: list[ParseWarning]) -> Contact | None:
    phones = _read_phones(text, line, warnings)
    hidden = HIDDEN_EMAIL.search(text)
    email = EMAIL.search(text)
    handles = tuple(HANDLE.findall(HIDDEN_EMAIL.sub(" ", EMAIL.sub(" ", text))))
    first_detail = min(
        [m.start() for m in (hidden, email, PHONE_LIKE.search(text), HANDLE.search(text)) if m] or [len(text)]
    )
    who = LEAD_OUT.sub("", text[:first_detail]).strip()
    if not (phones or hidden or email or handles) and not _looks_like_name_line(who):
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


def _looks_like_name_line(text: str) -> bool:
    """'Emma Hardy, Director of External Relations' (details on the next lines), not a sentence or a link."""
    return bool(text) and len(text.split()) <= NAME_LINE_MAX_WORDS and not ends_sentence(text) and "www." not in text


def _read_phones(text: str, line: int, warnings: list[ParseWarning]) -> tuple[Phone, ...]:
    if not _may_hold_phone(text):
        return ()
    phones = []
    for match in PHONE_LIKE.finditer(text):
        raw = match.group(0).strip()
        phone = Phone(raw=raw, e164=_e164(raw))
        if phone.e164 is None:
            warnings.append(ParseWarning(line, f"'{raw}' is not a valid phone number: kept as written"))
        phones.append(phone)
    return tuple(phones)


@functools.lru_cache(maxsize=4096)
def _e164(raw: str) -> str | None:
    """A UK phone number as written, in E.164; cached, as a press office's numbers recur in every statement."""
    import phonenumbers  # only statements with phone numbers pay for its import

    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


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
