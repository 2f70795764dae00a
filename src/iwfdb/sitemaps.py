"""Sitemaps (the sitemaps.org protocol): the pages a site lists, with the date each last changed.

A sitemap is a `urlset` of `url` (`loc`, `lastmod`); a sitemap index is a `sitemapindex` of `sitemap`
(`loc`, `lastmod`) naming other sitemaps. Either may be gzipped. Pure: bytes in, entries out; the
downloading is iwfdb.fetch's.
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from iwfdb.errors import IwfdbError

# The protocol's limit for one sitemap, uncompressed: a larger body is refused rather than inflated.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
# The protocol's limit of entries in one sitemap (pages) or sitemap index (sitemaps): the rest are left out.
MAX_ENTRIES = 50_000
W3C_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class SitemapError(IwfdbError):
    """A sitemap that cannot be read: its address and why."""


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """A page (or, in a sitemap index, a sitemap) and the date it last changed, when the sitemap says."""

    url: str
    lastmod: date | None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """What one sitemap document lists: `pages`, or `sitemaps` (for an index); and how many entries past
    MAX_ENTRIES it `left_out`."""

    pages: tuple[SitemapEntry, ...] = ()
    sitemaps: tuple[SitemapEntry, ...] = ()
    left_out: int = 0


def parse_sitemap(data: bytes, address: str) -> Sitemap:
    """The entries of a sitemap or sitemap index (gzipped or not), or SitemapError naming `address`."""
    from lxml import etree

    data = _gunzipped(data, address)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise SitemapError(f"{address}: not a sitemap: the XML cannot be read ({error})") from None
    kind = etree.QName(root).localname
    if kind == "urlset":
        pages = _entries(root, "url")
        return Sitemap(pages=tuple(pages[:MAX_ENTRIES]), left_out=max(0, len(pages) - MAX_ENTRIES))
    if kind == "sitemapindex":
        sitemaps = _entries(root, "sitemap")
        return Sitemap(sitemaps=tuple(sitemaps[:MAX_ENTRIES]), left_out=max(0, len(sitemaps) - MAX_ENTRIES))
    raise SitemapError(f"{address}: not a sitemap: its root element is <{kind}>, not <urlset> or <sitemapindex>")


def _gunzipped(data: bytes, address: str) -> bytes:
    if not data.startswith(b"\x1f\x8b"):
        return data
    try:
        with gzip.GzipFile(fileobj=BytesIO(data)) as stream:
            inflated = stream.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise SitemapError(f"{address}: a gzipped sitemap that cannot be inflated ({error})") from None
    if len(inflated) > MAX_SITEMAP_BYTES:
        raise SitemapError(
            f"{address}: more than {MAX_SITEMAP_BYTES // 1024**2} MB once inflated, the protocol's limit"
        )
    return inflated


def _entries(root, item: str) -> list[SitemapEntry]:
    from lxml import etree

    entries = []
    for element in root:
        if not isinstance(element.tag, str) or etree.QName(element).localname != item:
            continue
        fields = {
            etree.QName(child).localname: (child.text or "").strip() for child in element if isinstance(child.tag, str)
        }
        if fields.get("loc"):
            entries.append(SitemapEntry(fields["loc"], w3c_date(fields.get("lastmod", ""))))
    return entries


def w3c_date(text: str) -> date | None:
    """The day of a W3C datetime ('2024-05-01', '2024-05-01T10:00:00+01:00', '2024-05', '2024'), else None."""
    match = W3C_DATE.match(text)
    if not match:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
