"""The `table` format of the two read commands whose result is not a list: `show` and `stats`."""

from __future__ import annotations

from typing import IO

from iwfdb.render import number, plain_data
from iwfdb.terminal import bar_lines, write_record

NOT_PRINTED = "(not printed)"
UNTITLED = "(untitled)"


def show_view(statement, out: IO[str]) -> None:
    """One statement for reading: metadata, then its text and each of its parts under a heading.

    `statement` is a mapping or a record, its parts too (they are read as plain dicts)."""
    statement = plain_data(statement)
    source = statement["source"] or {}
    known_from = "its text" if not statement["card_only"] else "only a related card, in another statement"
    fields = [
        ("id", statement["id"]),
        ("slug", statement["slug"]),
        ("kind", statement["kind"]),
        ("published", statement["published"] or NOT_PRINTED),
        ("byline", statement["byline"]),
        ("publisher", statement["publisher"]),
        ("address", statement["url"]),
        ("known from", known_from),
        ("source", source.get("path")),
        ("sha256", statement["sha256"]),
        ("first loaded", statement["first_loaded_at"]),
        ("last loaded", statement["last_loaded_at"]),
    ]
    blocks = [
        ("Summary", statement["summary"]),
        ("Text", statement["body"]),
        ("Quotes", "\n\n".join(_quote(q) for q in statement["quotes"])),
        ("Contacts", "\n".join(contact_line(c) for c in statement["contacts"])),
        ("Links", "\n".join(_link(link) for link in statement["links"])),
        ("Named in the related cards of", "\n".join(_statement_line(s) for s in statement["cited_by"])),
        ("Closing sections", "\n\n".join(_section(section) for section in statement["sections"])),
        (
            "Earlier versions",
            "\n".join(
                f"{r['replaced_at']}  replaced a version loaded {r['loaded_at']} from {r['source_path']}"
                for r in statement["revisions"]
            ),
        ),
        (
            "Parse warnings (what may be incomplete or guessed)",
            "\n".join(f"line {warning['line']}: {warning['message']}" for warning in statement["warnings"]),
        ),
    ]
    write_record(statement["title"] or UNTITLED, fields, blocks, out)


def stats_view(rows, out: IO[str]) -> None:
    """The counts as labelled lines, then statements per year and top speakers as bar charts."""
    rows = plain_data(rows)
    counts = [(row["name"].replace("_", " "), number(row["value"])) for row in rows if row["group"] == "counts"]
    per_year = [(row["name"], row["value"]) for row in rows if row["group"] == "per_year"]
    speakers = [(row["name"], row["value"]) for row in rows if row["group"] == "top_speakers"]
    blocks = [("Statements per year", bar_lines(per_year)), ("Top speakers (quotes)", bar_lines(speakers))]
    write_record("The archive", counts, blocks, out)


def _quote(quote: dict) -> str:
    speaker = quote["speaker"] or "(unnamed source)"
    role = f", {quote['role']}" if quote["role"] else ""
    return f"{speaker}{role} (line {quote['line']}):\n“{quote['text']}”"


def contact_line(contact: dict) -> str:
    """A press contact on one line, as `iwfdb show` and `iwfdb parse` print it."""
    email = contact["email"] or ("e-mail hidden by the page" if contact["email_hidden"] else None)
    phones = [phone["e164"] or phone["raw"] for phone in contact["phones"]]
    parts = [contact["name"] or "(no name)", contact["role"], email, " or ".join(phones), " ".join(contact["handles"])]
    return " · ".join(part for part in parts if part)


def _section(section: dict) -> str:
    return f"{section['heading']} (line {section['line']})" + (f"\n{section['text']}" if section["text"] else "")


def _link(link: dict) -> str:
    if link["target"] == "statement":
        return f"{link['target_published'] or 'undated'}  {link['target_title'] or UNTITLED}  [{link['target_slug']}]"
    return f"{link['url']}" + (f"  ({link['text']})" if link["text"] and link["text"] != link["url"] else "")


def _statement_line(statement: dict) -> str:
    return f"{statement['published'] or 'undated'}  {statement['title'] or UNTITLED}  [{statement['slug']}]"
