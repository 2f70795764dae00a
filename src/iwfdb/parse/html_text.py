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
QUOTE_MARKS = '“”"‘«»„'
# What headline_of looks at: the headline, the regions that hold it, and the furniture it is never in.
HEADLINE_WALK = ("h1", "main", "article", "header", "nav", "footer")
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


class TextLine(NamedTuple):
    """A line of the page's text, the HTML line it starts on, and whether it carries on the line before
    (after a `<br>`) rather than starting a paragraph."""

    text: str
    origin: int
    continues: bool


def headline_of(document):
    """The page's headline: the h1 of its main region or article, else the first h1 outside the site's
    header, navigation and footer; None when it has none.

    One walk, counting the regions and the furniture it is in: the first h1 inside any main region or
    article is the first h1 of the first region that has one (looking up from each h1, or into each region,
    took time as elements times depth: a minute for a page 2,000 deep)."""
    from lxml import etree

    regions = furniture = 0
    first_outside = None
    for event, element in etree.iterwalk(document, events=("start", "end"), tag=HEADLINE_WALK):
        if element.tag == "h1":
            if event == "start" and regions:
                return element
            if event == "start" and first_outside is None and not furniture:
                first_outside = element
        elif element.tag in ("main", "article"):
            regions += 1 if event == "start" else -1
        else:
            furniture += 1 if event == "start" else -1
    return first_outside


def content_root(document, headline):
    """Where the statement is: the main region (`main`, role=main) holding the headline, else the body."""
    regions = document.xpath("//main | //*[@role='main']")
    holding = set(headline.iterancestors()) if headline is not None else None
    for region in regions:
        if holding is None or region in holding:
            return region
    return document.body


def prepare_content(root, headline) -> None:
    """Leave out the furniture, and give block quotes and `<q>` the quote marks a browser shows."""
    keep = {root, headline, *(headline.iterancestors() if headline is not None else ())}
    for element in _furniture(root, keep):
        element.drop_tree()
    for quote in list(root.iter("q")):
        _wrap(quote, "“", "”")
    for quote in _unmarked_block_quotes(root):
        paragraphs = [paragraph for paragraph in quote.iter("p")] or [quote]
        for paragraph in paragraphs:
            _wrap(paragraph, "“", "”" if paragraph is paragraphs[-1] else "")


def _unmarked_block_quotes(root) -> list:
    """The block quotes to give quote marks: those whose text shows none, less those whose paragraphs the
    marks of a block quote around them reach (as if each were looked at in turn, outermost first).

    Two walks: which block quotes show a mark or hold a paragraph, gathered from the inside out, then the
    choice from the outside in (reading each one's text in turn took time as elements times depth)."""
    from lxml import etree

    marked, with_paragraphs = _block_quote_contents(root)
    chosen, chosen_around = [], [False]  # for each block quote the walk is in: whether one around it was chosen
    for event, quote in etree.iterwalk(root, events=("start", "end"), tag="blockquote"):
        if event == "end":
            chosen_around.pop()
            continue
        reached = quote in with_paragraphs and chosen_around[-1]  # its paragraphs have marks now
        is_chosen = quote not in marked and not reached
        if is_chosen:
            chosen.append(quote)
        chosen_around.append(chosen_around[-1] or is_chosen)
    return chosen


def _block_quote_contents(root) -> tuple[set, set]:
    """The block quotes whose text shows a quote mark, and those that hold a paragraph (`<p>`)."""
    from lxml import etree

    marked: set = set()
    with_paragraphs: set = set()
    quotes: list = []  # the block quotes the walk is in, innermost last
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            if element.tag == "blockquote":
                quotes.append(element)
            elif element.tag == "p" and quotes:
                with_paragraphs.add(quotes[-1])
            text = element.text
        else:
            if element.tag == "blockquote":
                quotes.pop()
                for found in (marked, with_paragraphs):  # what an inner one holds, the outer one holds
                    if quotes and element in found:
                        found.add(quotes[-1])
            text = element.tail
        if quotes and text and any(mark in text for mark in QUOTE_MARKS):
            marked.add(quotes[-1])
    return marked, with_paragraphs


def _furniture(root, keep: set) -> list:
    """The furniture under `root`, outermost only (what is inside goes with it), in one walk."""
    from lxml import etree

    found = []
    # Block quotes the walk is in: a footer there is the quote's source, not the site's.
    quoting = sum(1 for _ in root.iterancestors("blockquote"))
    walk = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walk:
        if event in ("comment", "pi"):
            found.append(element)
            continue
        if event == "start" and element not in keep and _is_furniture(element, quoting > 0):
            found.append(element)
            walk.skip_subtree()  # its "end" still comes, and is counted below like any other
        if element.tag == "blockquote":
            quoting += 1 if event == "start" else -1
    return found


def _is_furniture(element, quoting: bool) -> bool:
    tag = element.tag
    if tag in FURNITURE_TAGS or element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if tag == "footer":
        return not quoting
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
