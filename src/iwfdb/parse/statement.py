"""A text's statement, or ParseError: the heart of the parser. Pure: no files, no database, no clock.

A web page comes here as the text of its main content (iwfdb.parse.html); iwfdb.parse takes a file's bytes.
The text is read in the order a person reads a page: header at the top (title, date, byline, captions),
related cards at the bottom, and between them the body and its closing sections. Recoverable oddities
become warnings on the result; a text that is not a statement raises ParseError.
"""

from __future__ import annotations

from iwfdb.errors import ParseError
from iwfdb.keys import is_label
from iwfdb.parse.body import paragraphs, read_sections, split_closing
from iwfdb.parse.cards import read_cards
from iwfdb.parse.contacts import read_contacts
from iwfdb.parse.header import CAPTION_MAX_WORDS, Header, read_header
from iwfdb.parse.html_meta import PageFacts
from iwfdb.parse.links import read_links
from iwfdb.parse.quotes import read_quotes
from iwfdb.parse.refusal import (
    is_on_iwf_site,
    publisher_of,
    refuse_if_not_a_statement_page,
    refuse_if_not_statement,
)
from iwfdb.parse.shapes import bullet_text, ends_sentence, has_marks, is_single_sentence, word_count
from iwfdb.parse.text import Line, split_lines
from iwfdb.records import Paragraph, ParseWarning, Statement

STANDFIRST_MAX_WORDS = 50


def parse_text(
    text: str, source: str = "<text>", *, publisher: str | None = None, page: PageFacts | None = None
) -> Statement:
    """The statement a text holds, or ParseError (located at `source:line:col`) when it holds none.

    `publisher` names the organisation whose page this is (NCMEC, INHOPE...), for a page that does not say:
    such a page need not mention the IWF to be read. `page` is what a web page's markup states (its address,
    publisher, date). Whose statement it is is decided on evidence (see iwfdb.parse.refusal.publisher_of).
    """
    try:
        return _parse(split_lines(text), publisher, page or PageFacts())
    except ParseError as error:
        raise error.with_source(source) from None


def _parse(lines: list[Line], publisher: str | None, page: PageFacts) -> Statement:
    filled = [line for line in lines if line.text]
    refuse_if_not_statement(filled, publisher_given=bool(publisher or page.publisher or is_on_iwf_site(page.url)))
    header = read_header(filled)
    after_header = filled[header.body_start :]
    cards = read_cards(after_header)
    first = after_header[0].number if after_header else len(lines) + 1
    end = after_header[cards.start].number if cards.start < len(after_header) else len(lines) + 1
    body, closing = split_closing(paragraphs(lines[first - 1 : end - 1]))
    summary, body = _standfirst(body, header)
    captions, body = _repeated_captions(body)
    quotes, quote_warnings = read_quotes(([summary] if summary else []) + body)
    titled = header.kind and header.title and not is_label(header.title)  # 'News' alone is a section's name
    shows_a_statement = bool(header.published or page.published or header.byline or titled or quotes)
    refuse_if_not_a_statement_page(page.url, header.title, shows_a_statement, len(cards.cards), len(body))
    publisher = publisher_of(filled, publisher, page.publisher, page.url)
    contacts, contact_warnings = read_contacts(closing)
    warnings = header.warnings + cards.warnings + quote_warnings + contact_warnings
    if not body:
        warnings.append(ParseWarning(first if first <= len(lines) else len(lines), "no body text (cut off?)"))
    return Statement(
        title=header.title,
        kind=header.kind,
        published=header.published,
        byline=header.byline,
        summary=summary.text if summary else None,
        body=tuple(body),
        quotes=tuple(quotes),
        contacts=tuple(contacts),
        links=tuple(read_links(([summary] if summary else []) + body + closing)),
        related=tuple(
            ([header.lead] if header.lead else []) + [card for card in cards.cards if not is_label(card.title)]
        ),
        sections=tuple(read_sections(closing)),
        captions=tuple([Paragraph(line.text, line.number) for line in header.captions] + captions),
        warnings=tuple(sorted(warnings, key=lambda warning: warning.line)),
        title_line=header.title_line,
        publisher=publisher,
    )


def _standfirst(body: list[Paragraph], header: Header) -> tuple[Paragraph | None, list[Paragraph]]:
    """A one-sentence paragraph opening a page that has a proper header is its standfirst (summary)."""
    if len(body) < 2 or (header.title is None and header.published is None):
        return None, body
    first = body[0].text
    if (
        is_single_sentence(first)
        and word_count(first) <= STANDFIRST_MAX_WORDS
        and not has_marks(first)
        and bullet_text(first) is None
    ):
        return body[0], body[1:]
    return None, body


def _repeated_captions(body: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """A short line printed twice in a row is an image's caption and alt text, not the statement's words."""
    captions: list[Paragraph] = []
    kept: list[Paragraph] = []
    for index, paragraph in enumerate(body):
        neighbours = body[max(0, index - 1) : index] + body[index + 1 : index + 2]
        short = word_count(paragraph.text) <= CAPTION_MAX_WORDS and not ends_sentence(paragraph.text)
        if short and any(other.text == paragraph.text for other in neighbours):
            captions.append(paragraph)
        else:
            kept.append(paragraph)
    return captions, kept
