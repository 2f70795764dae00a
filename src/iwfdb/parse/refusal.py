"""Telling a statement from what is not one, and the IWF's statements from other organisations' pages.

A folder of statements may hold other files; they must be refused with a reason, never loaded as a
bogus statement with an invented title or date. A crawl of a site holds pages that are no statement at all
(about pages, job offers, donation forms, listings, search results): they are told apart by evidence and
refused as `not a statement page`, which a load counts apart from failures.

A text is the IWF's on evidence, never because the letters "IWF" appear (they are also the International
Weightlifting Federation's): an address on the IWF's site, a publisher stated as the IWF, the IWF's page
layout or boilerplate, or its name in full in a text that does not report on it as news does.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from iwfdb.errors import ParseError
from iwfdb.keys import IWF, address_host, is_label, publisher_name
from iwfdb.parse.body import heading_of, is_closing
from iwfdb.parse.dates import match_card_date
from iwfdb.parse.header import KIND_PREFIX, PUBLISHED
from iwfdb.parse.text import Line

WIKI_HEADING = re.compile(r"=+ ?[^=]+? ?=+")
MARKDOWN = re.compile(r"^(?:#{1,6} \S|```|\* \[|\[!\[)")
KEY_VALUE = re.compile(r"^- [\w ]{1,40}: \S")
IWF_LETTERS = re.compile(r"\bIWF\b|Internet Watch Foundation")
IWF_FULL_NAME = re.compile(r"\bInternet Watch Foundation\b", re.IGNORECASE)
EXPECTED = "expected an IWF statement: a title, 'Published: <date>', then paragraphs"
KEY_VALUE_SHARE = 0.3
IWF_SITE = "iwf.org.uk"
IWF_BOILERPLATE = frozenset({"about the iwf", "about iwf", "about the internet watch foundation"})
# "International Weightlifting Federation (IWF)": the letters spelt out, perhaps as another body's name.
SPELT_OUT = re.compile(r"\b(I[\w'’-]*+\s++W[\w'’-]*+\s++F[\w'’-]*+)\s*+\(IWF\)")
# How news coverage speaks of the IWF: a third party it quotes, explains or was told by.
_IWF = r"(?:the |der |die |l['’]|la )?(?:IWF|Internet Watch Foundation)"
COVERAGE = re.compile(
    rf"\b(?:[Aa]ccording to|[Ll]aut|[Ss]elon|[Ss]egún|[Ss]econdo) {_IWF}\b"
    rf"|\b{_IWF}(?: \(IWF\))?,? (?:a|an) [\w\s-]{{0,40}}?"
    r"(?:charity|watchdog|organi[sz]ation|group|body|non-?profit|foundation)\b"
    r"|\btold (?:the )?[A-Z][\w&]+(?: [A-Z][\w&]+){0,2}(?: that)?\b|\bsaid in a statement\b"
    r"|\b(?:a|an) (?:IWF|Internet Watch Foundation) spokes(?:person|woman|man) (?:said|told)\b"
)
FIRST_PERSON = re.compile(r"\b(?:[Oo]ur|[Ww]e|us)\b")
QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?")
NOT_A_STATEMENT_PAGE = "not a statement page"
# A page's kind by a segment of its address, when the page shows no date, byline, kind or quote.
SECTIONS = {
    "an about page": "about about-us who-we-are our-story our-team team staff our-people history mission",
    "a job offer": "jobs job careers career vacancies vacancy work-for-us work-with-us join-us recruitment",
    "a donation page": "donate donation donations support-us give fundraise fundraising",
    "a listing": "tag tags category categories topic topics author authors archive archives page",
    "search results": "search",
    "a site notice": "privacy privacy-policy cookies cookie-policy terms accessibility sitemap contact contact-us",
}
SECTION_OF = {segment: kind for kind, segments in SECTIONS.items() for segment in segments.split()}
SEARCH_PARAMETERS = ("s", "q", "query", "search")
# A section is told by the address's last two segments: '/about-us/' or '/careers/analyst/', but not an article
# filed under it ('/about-us/blog/why-we-must-talk/').
SECTION_DEPTH = 2
LISTING_MIN_CARDS = 3
SHOWN_NAME = 80  # a publisher's name in a message, at most (a page may state anything)


def refuse_if_not_statement(lines: list[Line], publisher_given: bool = False) -> None:
    """ParseError when the (non-blank) lines are plainly something else, or show nothing of a statement.

    A page whose publisher is known (the caller's, or the page's own) need not show any IWF evidence."""
    for line in lines:
        if WIKI_HEADING.fullmatch(line.text):
            raise ParseError(f"not a statement: '{line.text[:40]}' is wiki markup; {EXPECTED}", line=line.number)
    if MARKDOWN.match(lines[0].text):
        raise ParseError(f"not a statement: '{lines[0].text[:40]}' is Markdown; {EXPECTED}", line=lines[0].number)
    key_values = [line for line in lines if KEY_VALUE.match(line.text)]
    if len(key_values) >= 3 and len(key_values) > KEY_VALUE_SHARE * len(lines):
        raise ParseError(
            f"not a statement: {len(key_values)} '- Key: Value' lines are a data listing; {EXPECTED}",
            line=key_values[0].number,
        )
    if not publisher_given and not any(_is_evidence(line.text) for line in lines):
        raise ParseError(
            "not a statement: no 'Published:' date, no kind of statement, no IWF closing section, "
            f"no related card and no mention of the IWF; {EXPECTED}",
            line=lines[0].number,
        )


def publisher_of(lines: list[Line], given: str | None, stated: str | None, address: str | None) -> str | None:
    """Whose statement this is, as the archive names it: the IWF on evidence, else the publisher the page states
    (`stated`), else the one the user gives (`given`), else unknown (None).

    ParseError, saying how to load it, for a page that is another's when the user names no publisher: one that
    states another publisher, reports on the IWF as news does, or means another body by 'IWF'."""
    if is_on_iwf_site(address):
        return IWF
    stated = _stated(stated, address)
    if stated == IWF:
        return IWF
    if stated is not None:
        if given is None:
            shown = stated if len(stated) <= SHOWN_NAME else stated[: SHOWN_NAME - 1] + "…"
            raise ParseError(
                f"not the IWF's: the page states its publisher, {shown}; to archive it as "
                f"{shown}'s, load it with --publisher '{shown}'",
                line=lines[0].number,
            )
        return stated
    if given is not None:
        return publisher_name(given)
    return _publisher_by_text(lines)


def _stated(stated: str | None, address: str | None) -> str | None:
    """The page's stated publisher as the archive names it. The letters 'IWF' alone (the International
    Weightlifting Federation calls itself so too) say nothing on a page of unknown address: its text decides."""
    name = publisher_name(stated)
    if name != IWF or (stated is not None and IWF_FULL_NAME.search(stated)):
        return name
    if not address:
        return None
    host = address_host(address) or address
    raise ParseError(
        f"not the IWF's: the page calls its publisher '{stated}', but its address is on {host}, not "
        f"the Internet Watch Foundation's {IWF_SITE}; to archive it as its publisher's, load it with "
        "--publisher NAME"
    )


def is_on_iwf_site(address: str | None) -> bool:
    host = address_host(address)
    return host == IWF_SITE or host.endswith("." + IWF_SITE)


def _publisher_by_text(lines: list[Line]) -> str | None:
    """The IWF when the text gives evidence of it, None when it gives none; ParseError for a text about
    another 'IWF', or one that reports on the IWF."""
    named = [line for line in lines if _names_iwf(line.text)]
    if not named:
        return None
    spelt_out = _other_body(named)
    if spelt_out is not None:
        words, line = spelt_out
        raise ParseError(
            f"not the IWF's: 'IWF' here is the {words}, not the Internet Watch Foundation; to "
            "archive it as its publisher's, load it with --publisher NAME",
            line=line,
        )
    if _has_layout_or_boilerplate(lines):
        return IWF
    coverage = next(((line, match) for line in lines if (match := COVERAGE.search(line.text))), None)
    if coverage is not None:
        coverage_line, match = coverage
        found = match.group(0)
        raise ParseError(
            f"not the IWF's: a report on the IWF ('{found}', as news coverage says), not its "
            "statement; to archive it as its publisher's, load it with --publisher NAME",
            line=coverage_line.number,
        )
    if any(IWF_FULL_NAME.search(line.text) for line in named) or _speaks_as_we(lines):
        return IWF
    return None


def _speaks_as_we(lines: list[Line]) -> bool:
    """The text speaks in the first person plural outside quotes ('our analysts'): with the IWF named and no
    sign of news coverage, the IWF's own voice (an annual report, a blog)."""
    return any(FIRST_PERSON.search(QUOTED.sub("", line.text)) for line in lines)


def _other_body(named: list[Line]) -> tuple[str, int] | None:
    """The name 'IWF' is spelt out as, when it is not the Internet Watch Foundation's, and its line."""
    for line in named:
        for match in SPELT_OUT.finditer(line.text) if "(IWF)" in line.text else ():
            words = " ".join(match.group(1).split())
            if words.casefold() != "internet watch foundation":
                return words[:SHOWN_NAME], line.number
    return None


def _has_layout_or_boilerplate(lines: list[Line]) -> bool:
    """The IWF site's page layout ('Published: <date>', 'Statement - ...') or its closing boilerplate."""
    for line in lines:
        if PUBLISHED.match(line.text) or KIND_PREFIX.match(line.text):
            return True
        heading = heading_of(line.text)
        if heading is not None and heading.text.casefold() in IWF_BOILERPLATE:
            return True
    return False


def refuse_if_not_a_statement_page(
    address: str | None, title: str | None, shows_a_statement: bool, cards: int, paragraphs: int
) -> None:
    """ParseError (`not a statement page: ...`) for a page that is plainly no statement: one in an about, jobs,
    donation, listing or search section of its site, a list of cards with no text of its own, or a widget (a
    label for a title, a line of text), when it shows nothing of a statement (a date, a byline, a kind, a
    quote). When unsure, the page is kept."""
    if shows_a_statement:
        return
    kind = _section_of(address)
    if kind is None and cards >= LISTING_MIN_CARDS and paragraphs <= 1:
        kind = "a listing"
    if kind is None and title and is_label(title) and paragraphs <= 1:
        kind = f"a widget or a section's page ('{title[:SHOWN_NAME]}')"
    if kind is not None:
        raise ParseError(f"{NOT_A_STATEMENT_PAGE}: {kind} (no date, byline, kind or quote of a statement); not loaded")


def _section_of(address: str | None) -> str | None:
    try:
        parts = urlsplit(address or "")
    except ValueError:
        return None
    if any(key in SEARCH_PARAMETERS for key in parse_qs(parts.query)):
        return "search results"
    segments = [segment.casefold() for segment in parts.path.split("/") if segment][-SECTION_DEPTH:]
    return next((SECTION_OF[segment] for segment in segments if segment in SECTION_OF), None)


def is_not_a_statement_page(message: str) -> bool:
    """Whether a parse error's message says the page is no statement (counted apart, not a failure)."""
    return message.startswith(NOT_A_STATEMENT_PAGE)


def _names_iwf(text: str) -> bool:
    """A substring test first: the pattern on every line cost 5% of a parse."""
    return ("IWF" in text or "Watch Foundation" in text) and IWF_LETTERS.search(text) is not None


def _is_evidence(text: str) -> bool:
    return bool(
        PUBLISHED.match(text) or KIND_PREFIX.match(text) or _names_iwf(text) or match_card_date(text)
    ) or is_closing(text)
