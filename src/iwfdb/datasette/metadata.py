"""Datasette's metadata for the archive: schema.toml's words joined with browse.toml's configuration."""

from __future__ import annotations

import tomllib
from importlib import resources

from iwfdb.datasette.schema import Described, as_html, for_readers, load_descriptions

# The name Datasette serves the archive under, whatever its file is called: pages are /iwfdb/statements/1,
# and the statement page's template (row-iwfdb-statements.html) is found by that name.
DATABASE = "iwfdb"
SOURCE = {"source": "Internet Watch Foundation, press statements", "source_url": "https://www.iwf.org.uk/"}
# Where a newcomer starts, under the archive's description on the home and database pages.
START_HTML = (
    f'<p>Start with <a href="/{DATABASE}/statement_overview">statements</a> (search; facets by year, kind and '
    f'card-only), <a href="/{DATABASE}/quote_details">quotes</a> (search; facets by year and speaker), or the '
    f'<a href="/{DATABASE}#queries">ready-made questions</a>. A statement\'s page shows its text, quotes, '
    "contacts, links and the statements citing it.</p>"
)


def load_browse_config() -> dict:
    """browse.toml as shipped inside the package."""
    text = resources.files(__package__).joinpath("browse.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def hidden_tables(config: dict) -> list[str]:
    """iwfdb's machinery: tables a reader of the archive never needs to see."""
    indexes = config["hidden_fts"]
    shadows = [index + suffix for index in indexes for suffix in config["fts_shadow_suffixes"]]
    return [*config["hidden"], *indexes, *shadows]


def build_metadata() -> dict:
    """The whole metadata dict for `Datasette(metadata=...)`: titles, descriptions, facets, canned queries."""
    descriptions = load_descriptions()
    config = load_browse_config()
    tables: dict[str, dict] = {name: {"hidden": True} for name in hidden_tables(config)}
    for described in descriptions.tables:
        tables[described.name] = {
            "description_html": reader_description(described),
            **config["tables"].get(described.name, {}),
        }
    about = {"title": descriptions.title, "description_html": f"<p>{as_html(descriptions.description)}</p>", **SOURCE}
    database = {**about, "description_html": about["description_html"] + START_HTML}
    return {**about, "databases": {DATABASE: {**database, "tables": tables, "queries": config["queries"]}}}


def reader_description(described: Described) -> str:
    """What one row is, then what each column means folded behind a link (a table's data comes first)."""
    columns = "".join(
        f"<dt>{column}</dt><dd>{as_html(for_readers(text))}</dd>" for column, text in described.columns.items()
    )
    return (
        f'One row per {as_html(described.row)}. <details class="column-descriptions"><summary>What the '
        f"columns mean</summary><dl>{columns}</dl></details>"
    )
