"""What a web page states about itself in machine form: address, publisher, headline, publication date.

Read from the markup a CMS writes for search engines and social networks (JSON-LD, OpenGraph, the
canonical link, `<time datetime>`), each in the order of trust given below; a value the page does not
state stays None, and a value the page states badly (a date that is not ISO 8601) is left out with a
warning rather than guessed at.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

from iwfdb.keys import normalise_text
from iwfdb.records import ParseWarning

ARTICLE_TYPES = frozenset(
    "Article NewsArticle BlogPosting Report PressRelease AnalysisNewsArticle OpinionNewsArticle "
    "ReportageNewsArticle BackgroundNewsArticle SocialMediaPosting WebPage".split()
)
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ]|\s*$)")
# What a browser writes when it saves a page ("Mark of the Web"): the length of the address, then the address.
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d{4}\)(\S+?)\s*-->", re.IGNORECASE)
SAVED_FROM_REACH = 4096
# An article's JSON-LD is a few kilobytes; a page's whole catalogue in one script is not worth decoding.
JSON_LD_MAX_CHARACTERS = 1_000_000
NOT_THE_ARTICLE = re.compile(r"related|card|teaser|more-|promo", re.IGNORECASE)
# An h1 this short that the page's metadata contradicts is a section's label ('Tech'), not the headline.
LABEL_MAX_WORDS = 3
# 'Z' or '+00:00' at the end of a timestamp: a UTC instant, whose date may be the day after the page's own.
UTC_INSTANT = re.compile(r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)$", re.IGNORECASE)
# JSON-LD in a CDATA section ('//<![CDATA[ {...} //]]>'), as some CMSs write it for old XHTML parsers.
CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


@dataclass
class PageFacts:
    """The page's own statements about itself, each with the line of the markup it was read from."""

    url: str | None = None
    publisher: str | None = None
    headline: str | None = None
    headline_line: int | None = None
    published: date | None = None
    published_line: int | None = None
    published_from: str | None = None
    published_in_utc: bool = False  # the date is that of a UTC instant, not necessarily the page's own day
    warnings: list[ParseWarning] = field(default_factory=list)


def saved_from(text: str) -> str | None:
    """The address in a `<!-- saved from url=(0042)https://... -->` comment at the top of a saved page."""
    match = SAVED_FROM.search(text, 0, SAVED_FROM_REACH)
    return match.group(1) if match else None


def read_page_facts(document, headline_element, fetched_from: str | None) -> PageFacts:
    """Address, publisher, headline and date from a parsed page (`headline_element`: its h1, or None)."""
    facts = PageFacts()
    linked = _JsonLd(document, facts.warnings)
    meta = _meta_tags(document)
    base = _base_address(document, fetched_from)
    canonical = _canonical(document, base, facts.warnings)
    facts.url = canonical or _absolute(meta.get("og:url"), base) or _absolute(linked.text("url"), base) or fetched_from
    facts.publisher = meta.get("og:site_name") or linked.publisher()
    _read_headline(
        facts,
        headline_element,
        linked.text("headline")
        or _without_site_name(meta.get("og:title") or _title_element(document), facts.publisher),
    )
    for origin, value, line in (
        ("JSON-LD datePublished", linked.text("datePublished"), linked.line),
        ("article:published_time", meta.get("article:published_time"), meta.line("article:published_time")),
        *_time_elements(document, headline_element),
    ):
        if value and facts.published is None:
            _set_date(facts, origin, value, line)
    return facts


def _read_headline(facts: PageFacts, headline_element, stated: str | None) -> None:
    """The page's own headline: its h1 where the metadata agrees or states none; the metadata's (`stated`)
    where the h1 is empty or a section's label ('Tech', 'News') that the metadata contradicts."""
    shown = _text(headline_element) if headline_element is not None else None
    if shown and not (stated and _is_label(shown) and normalise_text(shown) not in normalise_text(stated)):
        facts.headline, facts.headline_line = shown, headline_element.sourceline
    else:
        facts.headline = stated


def _is_label(text: str) -> bool:
    return len(text.split()) <= LABEL_MAX_WORDS


def _title_element(document) -> str | None:
    element = document.find(".//head/title")
    return _text(element) if element is not None else None


def _without_site_name(title: str | None, site: str | None) -> str | None:
    """'Headline | Site' as 'Headline': social titles often end with the site's name."""
    if title and site:
        for separator in (" | ", " - ", " – ", " — "):
            if title.endswith(separator + site) and len(title) > len(separator + site):
                return title[: -len(separator + site)]
    return title


def _set_date(facts: PageFacts, origin: str, value: str, line: int | None) -> None:
    match = ISO_DATE.match(value)
    try:
        facts.published = date(*map(int, match.groups())) if match else None
    except ValueError:
        facts.published = None
    if facts.published is None:
        facts.warnings.append(ParseWarning(line or 1, f"{origin} '{value[:40]}' is not an ISO 8601 date: left out"))
        return
    facts.published_line, facts.published_from = line, origin
    facts.published_in_utc = UTC_INSTANT.search(value.strip()) is not None


class _MetaTags(dict):
    """`<meta property|name=... content=...>` by lower-case key, the first of each, with its line."""

    def __init__(self):
        super().__init__()
        self.lines: dict[str, int] = {}

    def line(self, key: str) -> int | None:
        return self.lines.get(key)


def _meta_tags(document) -> _MetaTags:
    tags = _MetaTags()
    for element in document.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        content = " ".join((element.get("content") or "").split())
        if key and content and key not in tags:
            tags[key] = content
            tags.lines[key] = element.sourceline
    return tags


class _JsonLd:
    """The page's JSON-LD article object (NewsArticle, BlogPosting...), and the objects it refers to by @id."""

    def __init__(self, document, warnings: list[ParseWarning]):
        self.article: dict = {}
        self.by_id: dict[str, dict] = {}
        self.line: int | None = None
        for script in document.iter("script"):
            if (script.get("type") or "").strip().lower() == "application/ld+json":
                self._read(script, warnings)

    def _read(self, script, warnings: list[ParseWarning]) -> None:
        text = script.text or ""
        if len(text) > JSON_LD_MAX_CHARACTERS:
            warnings.append(
                ParseWarning(
                    script.sourceline or 1,
                    f"JSON-LD of more than {JSON_LD_MAX_CHARACTERS:,} "
                    "characters (not an article's description): left out",
                )
            )
            return
        try:
            data = json.loads(CDATA.sub("", text), strict=False)
        except ValueError:
            warnings.append(ParseWarning(script.sourceline or 1, "JSON-LD that is not valid JSON: left out"))
            return
        except RecursionError:  # the decoder's own bound on nesting (about a thousand levels): no article is so deep
            warnings.append(ParseWarning(script.sourceline or 1, "JSON-LD nested too deep to be read: left out"))
            return
        for item in _json_objects(data):
            if isinstance(item.get("@id"), str):
                self.by_id.setdefault(item["@id"], item)
            if not self.article and _is_article(item):
                self.article, self.line = item, script.sourceline

    def _resolved(self, value):
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in self.by_id:
            return self.by_id[value["@id"]]
        return value

    def text(self, key: str) -> str | None:
        value = self._resolved(self.article.get(key))
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        return " ".join(value.split()) if isinstance(value, str) and value.strip() else None

    def publisher(self) -> str | None:
        value = self._resolved(self.article.get("publisher"))
        if isinstance(value, dict):
            value = value.get("name")
        return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _json_objects(data) -> list[dict]:
    """Every object of a JSON-LD document: top level, in a list, or in an @graph (one level deep)."""
    items = data if isinstance(data, list) else [data]
    found: list[dict] = []
    for item in items:
        if isinstance(item, dict):
            found.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                found.extend(entry for entry in graph if isinstance(entry, dict))
    return found


def _is_article(item: dict) -> bool:
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and kind in ARTICLE_TYPES for kind in kinds)


def _base_address(document, fetched_from: str | None) -> str | None:
    for element in document.iter("base"):
        href = (element.get("href") or "").strip()
        if href:
            return urljoin(fetched_from, href) if fetched_from else href
    return fetched_from


def _canonical(document, base: str | None, warnings: list[ParseWarning]) -> str | None:
    for element in document.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split() and (element.get("href") or "").strip():
            address = _absolute(element.get("href"), base)
            if address is None:
                warnings.append(
                    ParseWarning(
                        element.sourceline or 1,
                        "a relative canonical address with no page address to complete it: left out",
                    )
                )
            return address
    return None


def _absolute(address: str | None, base: str | None) -> str | None:
    """The address made absolute against the page's own, or None when it cannot be."""
    if not address:
        return None
    address = address.strip()
    if urlsplit(address).scheme in ("http", "https"):
        return address
    if base and urlsplit(base).scheme in ("http", "https"):
        return urljoin(base, address)
    return None


def _time_elements(document, headline_element) -> list[tuple[str, str, int]]:
    """`<time datetime>` of the article itself: in the headline's article, never in a related card."""
    from lxml import etree

    scope = document
    if headline_element is not None:
        article = next(headline_element.iterancestors("article"), None)
        scope = article if article is not None else document
    if any(NOT_THE_ARTICLE.search(_classes(element)) for element in scope.iterancestors()):
        return []
    # One walk that knows at each element whether it is in a card: looking up from each <time> took time as
    # their number times the page's depth.
    in_card = [False]
    for event, element in etree.iterwalk(scope, events=("start", "end")):
        if event == "end":
            in_card.pop()
            continue
        in_card.append(in_card[-1] or bool(NOT_THE_ARTICLE.search(_classes(element))))
        value = element.get("datetime") if element.tag == "time" else None
        if value and not in_card[-2]:
            return [("<time datetime>", value, element.sourceline)]
    return []


def _classes(element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''} {element.tag if element.tag == 'aside' else ''}"


def _text(element) -> str | None:
    text = " ".join(element.text_content().split())
    return text or None
