"""Press contacts: 'Name, Role [email protected] +44 (0) 1223 203030 or ...', over one or several lines.

A contact is a person (a name the name reader confirms) or an office ('Press Office', 'NSPCC Media Team'),
with the details printed on its line or on the lines below it ('• Phone number: (+32) 2 28 32547 (BXL)',
'Press Officer'). The other lines of a contact block are never contacts: labels ('Contact data',
'Further information'), references ('Ref.: 20190712IPR56948'), credits and licences ('Photo credits',
'CC BY-SA 3.0 PL'), dates and postal addresses.

`[email protected]` is what a web page leaves of an address it hid from scrapers: the address is
unknown, so `email` stays None and `email_hidden` says so. Phones are read with Google's `phonenumbers`
(UK numbers written in every spacing, '(0)' included); a number it cannot read is kept as written, and a
number printed twice ('07929553679 or +44 7929 553 679') is kept once. An office ('Press Office', 'NSPCC
Media Team') is a contact of kind `organisation`, never a person.
"""

from __future__ import annotations

import functools
import re

from iwfdb.parse.bodies import is_role_only
from iwfdb.parse.body import heading_of
from iwfdb.parse.names import find_name, plain_surname
from iwfdb.parse.shapes import bullet_text, ends_sentence
from iwfdb.records import Contact, Paragraph, ParseWarning, Phone

HIDDEN_EMAIL = re.compile(r"\[email\s*protected\]", re.IGNORECASE)
# Matched against one whitespace-free token at a time, anchored: a pattern searched through a whole line
# tried every start of a long 'a.b.a.b...' token again (a 128 kB token took 32 s; now milliseconds).
EMAIL_TOKEN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
EMAIL_EDGES = "<>()[]{},;:.!?\"'“”‘’"
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{1,30}\b")
# A phone as UK statements write it: '+44 (0) 1223 203030', '+44 (0)7929 553 679', '01223 203030', and as
# European ones do: '(+32) 2 28 32547', '+33 3 88 1 74751'.
PHONE_LIKE = re.compile(r"(?:\(\+\d{1,3}\)|\+\d{1,3}|\b0)(?:[ -]?\(0\))?(?:[ -]?\d){7,10}")
# What joins a name to its numbers: 'Jo Bloggs, Press Officer, on +44 ...'. Stripped word by word from
# the right: the pattern '(?:[\s,:;-]+|\b(?:on|...)\b)+$' it replaces was exponential on a run of commas.
LEAD_OUT_WORDS = frozenset("on tel tel. telephone phone mobile email e-mail or at".split())
LEAD_OUT_MARKS = " ,:;-"
ORGANISATION_CONTACT_WORDS = frozenset(
    "office team desk newsroom press media communications comms enquiries department unit".split()
)
NAME_LINE_MAX_WORDS = 10
CONTACT_HEADING = re.compile(r"contact|enquir|press office", re.IGNORECASE)
# 'Phone number: ', 'E-mail: ', 'Ref.: ': what a line's details are, or a reference, never whom they reach.
LABEL = re.compile(r"^[A-Za-z][A-Za-z .()/-]{0,30}?\s*:")
# Lines after which a contact block holds no more contacts.
END_OF_CONTACTS = re.compile(
    r"^(?:further information|photo credits?|image credits?|credits?|copyright|©)", re.IGNORECASE
)


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
        text = bullet_text(text) or text
        if END_OF_CONTACTS.match(text):
            in_contact_section = False
        elif in_contact_section or _has_contact_details(text):
            _add_contact_line(contacts, _read_contact(text, paragraph.line, warnings))
    return contacts, warnings


def _add_contact_line(contacts: list[Contact], contact: Contact | None) -> None:
    """A new contact for a person or an office; a line of details or a role for the contact above it."""
    if contact is None:
        return
    if contact.name is None and contacts:
        contacts[-1] = _merge(contacts[-1], contact)
    elif contact.name or _has_details(contact):
        contacts.append(contact)


def _has_details(contact: Contact) -> bool:
    return bool(contact.phones or contact.email or contact.email_hidden or contact.handles)


def _has_contact_details(text: str) -> bool:
    return "@" in text or "protected]" in text or (_may_hold_phone(text) and bool(PHONE_LIKE.search(text)))


def _may_hold_phone(text: str) -> bool:
    """UK numbers start '+44' or '0': a cheap test that spares most lines the phone pattern."""
    return "+" in text or " 0" in text or text.startswith("0")


def _read_contact(text: str, line: int, warnings: list[ParseWarning]) -> Contact | None:
    """The contact a line names with its details; a line of details or a role alone has no name; a line that
    names no person or office and carries no details (a label, a credit, a date, an address) is None."""
    phones = _read_phones(text, line, warnings)
    hidden = HIDDEN_EMAIL.search(text)
    email = _find_email(text)
    without_emails = HIDDEN_EMAIL.sub(" ", text.replace(email[0], " ") if email else text)
    handles = tuple(HANDLE.findall(without_emails)) if "@" in without_emails else ()
    phone = PHONE_LIKE.search(text) if phones else None
    handle = HANDLE.search(text) if handles else None
    starts = [
        start
        for start in (hidden and hidden.start(), email and email[1], phone and phone.start(), handle and handle.start())
        if start is not None
    ]
    who = _without_lead_out(text[: min(starts, default=len(text))])
    has_details = bool(phones or hidden or email or handles)
    name, role = _name_and_role(who, has_details) if _looks_like_name_line(who) else (None, None)
    if name is None and role is None and not has_details:
        return None
    return Contact(
        name=name,
        role=role,
        email=email[0] if email else None,
        email_hidden=bool(hidden) and not email,
        phones=phones,
        handles=handles,
        line=line,
        kind=contact_kind(name),
    )


def _name_and_role(who: str, has_details: bool) -> tuple[str | None, str | None]:
    """('Jane Smith', 'Press Officer') for 'Jane SMITH, Press Officer'; (None, 'Press Officer') for a role
    alone; (None, None) for a label ('Phone number:'), a credit, a date, an address or a reference."""
    if LABEL.match(who) or any(character.isdigit() for character in who):
        return None, None  # a label ('Phone number:', 'Ref.:'), or an address, a date, a licence
    printed, _, printed_role = who.partition(",")
    name, role = plain_surname(printed.strip()), printed_role.strip(" ,") or None
    if not name:
        return None, role
    if contact_kind(name) == "organisation":
        return name, role
    found = find_name(name)
    if found and (not found[0] or has_details):  # 'For media enquiries contact Jo Bloggs on ...'
        return found[1], " ".join(part for part in (found[2], role or "") if part) or None
    return (None, name) if is_role_only(name) and not role else (None, None)


def contact_kind(name: str | None) -> str:
    """'organisation' for an office or a team ('IWF Press Office', 'NSPCC Media Team'), else 'person'."""
    words = (name or "").casefold().split()
    return "organisation" if words and words[-1] in ORGANISATION_CONTACT_WORDS else "person"


def _find_email(text: str) -> tuple[str, int] | None:
    """The first e-mail address in the text and where it starts, reading one token at a time."""
    if "@" not in text:
        return None
    position = 0
    for token in text.split(" "):
        if "@" in token:
            core = token.strip(EMAIL_EDGES)
            if EMAIL_TOKEN.fullmatch(core):
                return core, position + token.index(core)
        position += len(token) + 1
    return None


def _without_lead_out(text: str) -> str:
    """'Jo Bloggs, Press Officer, on' -> 'Jo Bloggs, Press Officer'."""
    words = text.split()
    while words and words[-1].strip(LEAD_OUT_MARKS).casefold() in LEAD_OUT_WORDS | {""}:
        words.pop()
    return " ".join(words).rstrip(LEAD_OUT_MARKS)


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
    return _distinct(phones)


def _distinct(phones: list[Phone]) -> tuple[Phone, ...]:
    """Each number once, as first printed: '07929553679 or +44 7929 553 679' is one number."""
    seen: set[str] = set()
    kept = []
    for phone in phones:
        number = phone.e164 or "".join(character for character in phone.raw if character.isdigit())
        if number not in seen:
            seen.add(number)
            kept.append(phone)
    return tuple(kept)


@functools.lru_cache(maxsize=4096)
def _e164(raw: str) -> str | None:
    """A UK phone number as written, in E.164; cached, as a press office's numbers recur in every statement."""
    import phonenumbers  # only statements with phone numbers pay for its import

    written = raw.replace("(+", "+", 1).replace(")", "", 1) if raw.startswith("(+") else raw
    try:
        number = phonenumbers.parse(written, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _merge(contact: Contact, more: Contact) -> Contact:
    """Details on a line of their own (the e-mail placeholder, a handle, a role) belong to the contact above."""
    return Contact(
        name=contact.name,
        role=contact.role or more.role,
        email=contact.email or more.email,
        email_hidden=(contact.email_hidden or more.email_hidden) and not (contact.email or more.email),
        phones=_distinct(list(contact.phones + more.phones)),
        handles=tuple(dict.fromkeys(contact.handles + more.handles)),
        line=contact.line,
        kind=contact.kind,
    )
