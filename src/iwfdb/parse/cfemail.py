"""E-mail addresses that Cloudflare's e-mail protection hid in a page's HTML.

The protected page shows `[email protected]` and keeps the address in hex, in a `data-cfemail`
attribute or after the `#` of a `/cdn-cgi/l/email-protection#...` link: the first byte is a key, and
each following byte XOR the key is a byte of the address in UTF-8. A script in the visitor's browser
puts the address back; a text rendering of the page loses it, the HTML does not.
"""

from __future__ import annotations

import re

from iwfdb.parse.contacts import EMAIL_TOKEN

PROTECTION_PATH = "/cdn-cgi/l/email-protection"
_HEX = re.compile(r"(?:[0-9a-fA-F]{2}){2,}")


def decode_cfemail(encoded: str) -> str | None:
    """The address these hex digits hold, or None when they hold none (not hex, not UTF-8, not an address)."""
    encoded = encoded.strip()
    if not _HEX.fullmatch(encoded):
        return None
    data = bytes.fromhex(encoded)
    key = data[0]
    try:
        address = bytes(byte ^ key for byte in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None
    return address if EMAIL_TOKEN.fullmatch(address) else None


def encoded_in_link(href: str) -> str | None:
    """The hex digits of a `/cdn-cgi/l/email-protection#<hex>` link, or None for any other link."""
    path, _, fragment = href.partition("#")
    if not path.endswith(PROTECTION_PATH) or not fragment:
        return None
    return fragment
