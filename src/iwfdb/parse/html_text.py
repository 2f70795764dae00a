"""A page's main text as lines, the way a statement text shows it: one block (paragraph, heading, list
item, table row, a figure's image description) a paragraph, starting at the headline, with the site's
furniture left out.

Furniture is what is never the statement's: navigation, the site's header and footer, cookie banners,
share and newsletter widgets, search boxes, scripts, hidden elements. It is recognised by element
(`nav`, `footer`...), ARIA role (`navigation`, `banner`...) and class or id words (`cookie`, `share`...),
and never on an element that holds the headline (a wrapper called `page menu-open` holds the whole page).
"""

from __future__ import annotations

import re
from typing import NamedTuple

BLOCKS = frozenset(
    "address article aside blockquote caption dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary table tbody tfoot thead tr "
    "ul".split()
)
FURNITURE_TAGS = frozenset(
    "nav script style noscript template svg canvas iframe object embed form button select input textarea "
    "dialog menu audio video map".split()
)
FURNITURE_ROLES = frozenset(
    "navigation banner contentinfo search dialog alertdialog menu menubar toolbar tablist".split()
)
FURNITURE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|share|sharing|social|newsletter|subscribe|signup|breadcrumbs?|"
    r"skip|visually-hidden|sr-only|screen-reader-text|masthead|navbar|menu|popup|modal|advert|banner)"
    r"(?=$|[\s_-])",
    re.IGNORECASE,
)
RELATED_WORDS = re.compile(r"related|more-news|read-more|further-reading", re.IGNORECASE)
# Marks that open or close speech (not ’ and ', which are apostrophes as often).
QUOTE_MARKS = "“”\"‘«»„"
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


class TextLine(NamedTuple):
    """A line of the page's text, the HTML line it starts on, and whether it carries on the line before
    (after a `<br>`) rather than starting a paragraph."""

    text: str
    origin: int
    continues: bool


def headline_of(document):
    """The page's headline: the h1 of its main region or article, else the first h1 outside the site's
    header, navigation and footer; None when it has none."""
    for container in document.iter("main", "article"):
        headline = next(container.iter("h1"), None)
        if headline is not None:
            return headline
    for headline in document.iter("h1"):
        if not any(ancestor.tag in ("header", "nav", "footer") for ancestor in headline.iterancestors()):
            return headline
    return None


def content_root(document, headline):
    """Where the statement is: the main region (`main`, role=main) holding the headline, else the body."""
    regions = document.xpath("//main | //*[@role='main']")
    for region in regions:
        if headline is None or any(ancestor is region for ancestor in headline.iterancestors()):
            return region
    return document.body


def prepare_content(root, headline) -> None:
    """Leave out the furniture, and give block quotes and `<q>` the quote marks a browser shows."""
    keep = {root, headline, *(headline.iterancestors() if headline is not None else ())}
    doomed = [element for element in root.iter() if element not in keep and _is_furniture(element, headline)]
    for element in doomed:
        element.drop_tree()
    for quote in list(root.iter("q")):
        _wrap(quote, "“", "”")
    for quote in list(root.iter("blockquote")):
        paragraphs = [paragraph for paragraph in quote.iter("p")] or [quote]
        if not any(mark in quote.text_content() for mark in QUOTE_MARKS):
            for paragraph in paragraphs:
                _wrap(paragraph, "“", "”" if paragraph is paragraphs[-1] else "")


def _is_furniture(element, headline) -> bool:
    tag = element.tag
    if not isinstance(tag, str):
        return True
    if tag in FURNITURE_TAGS or element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if tag == "footer":
        return not any(ancestor.tag == "blockquote" for ancestor in element.iterancestors())
    if tag == "header":
        return True  # the site's; an article's header holds the headline, and the caller keeps it
    words = f"{element.get('class') or ''} {element.get('id') or ''}"
    if tag == "aside":
        return not RELATED_WORDS.search(words)
    if (element.get("role") or "").lower() in FURNITURE_ROLES:
        return True
    return bool(FURNITURE_WORDS.search(words)) or bool(HIDDEN_STYLE.search(element.get("style") or ""))


def _wrap(element, opening: str, closing: str) -> None:
    element.text = opening + (element.text or "").lstrip()
    if not closing:
        return
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "").rstrip() + closing
    else:
        element.text = element.text.rstrip() + closing


def text_lines(root, headline) -> list[TextLine]:
    """The root's text as lines, from the headline's block on (everything when there is no headline)."""
    from lxml import etree

    start = _start_of_article(headline, root)
    builder = _Lines(started=start is None)
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        if event == "start":
            builder.open(element, element is start)
        else:
            builder.close(element)
    builder.flush()
    return builder.lines


def _start_of_article(headline, root):
    """The headline's block, or the header or hgroup it stands in (a date or kind may stand above it)."""
    if headline is None:
        return None
    for ancestor in headline.iterancestors():
        if ancestor is root:
            break
        if ancestor.tag in ("header", "hgroup"):
            return ancestor
    return headline


class _Lines:
    """Collects text into lines: a block element starts and ends a line, `<br>` breaks one."""

    def __init__(self, started: bool):
        self.lines: list[TextLine] = []
        self.parts: list[str] = []
        self.has_text = False
        self.origin = 1
        self.continues = False
        self.started = started
        self.figures = 0  # how many <figure> the walk is in: a figure's image alt text is shown as a line

    def open(self, element, is_start: bool) -> None:
        self.started |= is_start
        self.figures += element.tag == "figure"
        if element.tag == "img" and self.figures:
            self.flush()
            self.add(element.get("alt"), element)
            self.flush()
        elif element.tag in BLOCKS:
            self.flush()
            if element.tag == "li":
                self.add("• ", element)
        elif element.tag == "br":
            self.flush()
            self.continues = bool(self.lines)
        self.add(element.text, element)

    def close(self, element) -> None:
        self.figures -= element.tag == "figure"
        if element.tag in BLOCKS:
            self.flush()
        elif element.tag in ("td", "th"):
            self.add(" ", element)
        self.add(element.tail, element)

    def add(self, text: str | None, element) -> None:
        if not text or not self.started:
            return
        if not self.has_text and not text.isspace():
            self.origin = element.sourceline or self.origin
            self.has_text = True
        self.parts.append(text)

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text and text != "•":
            self.lines.append(TextLine(text, self.origin, self.continues))
        self.parts = []
        self.has_text = False
        self.continues = False
