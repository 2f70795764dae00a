"""How fast `iwfdb serve` answers its reading pages, against Datasette's own table pages on the same archive.

Each page is asked for through Datasette's test client in this process (no network, no browser: the time to
make the page's HTML), `--repeat` times; the best and the median are printed. The person is the one quoted most
(a quote said together counts), unless `--person ID`, or the one with about `--quotes N` quotes.

Usage: python bench/web_pages.py ARCHIVE.sqlite [--repeat 7] [--words internet] [--person ID | --quotes N]
(after `python bench/corpus.py DIR --n 10000` and `iwfdb --db ARCHIVE.sqlite load DIR`)
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import time
from pathlib import Path

from iwfdb.datasette.metadata import DATABASE
from iwfdb.datasette.server import make_datasette


def quoted(archive: Path, about: int | None) -> tuple[int, int]:
    """The person quoted most (a quote said together counts), or the one whose number of quotes is nearest
    `about`; and that number."""
    order = "count(*) DESC" if about is None else f"abs(count(*) - {int(about)}), count(*) DESC"
    with sqlite3.connect(f"file:{archive}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT person_id, count(*) FROM quote_speakers WHERE person_id IS NOT NULL "
                                  f"GROUP BY person_id ORDER BY {order} LIMIT 1").fetchone()  # fmt: skip


def pages(words: str, person: int) -> list[tuple[str, str]]:
    """(what, address): each reading page, then the Datasette table page that shows the same rows."""
    return [
        ("home page", "/"),
        ("Datasette: statements table", f"/{DATABASE}/statements"),
        (f"home search '{words}'", f"/?q={words}"),
        (f"Datasette: statement_overview ?_search={words}", f"/{DATABASE}/statement_overview?_search={words}"),
        (f"person {person}'s page", f"/{DATABASE}/people/{person}"),
        (f"Datasette: quote_details ?person_id={person}", f"/{DATABASE}/quote_details?person_id={person}"),
    ]


async def timed(client, address: str, repeat: int) -> list[float]:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = await client.get(address)
        seconds.append(time.perf_counter() - start)
        assert response.status_code == 200, (address, response.status_code)
    return seconds


async def main(arguments: argparse.Namespace) -> None:
    person, quotes = (arguments.person, "?") if arguments.person else quoted(arguments.archive, arguments.quotes)
    datasette = make_datasette(arguments.archive)
    await datasette.invoke_startup()
    print(f"{arguments.archive}: person {person} has {quotes} quotes; best and median of {arguments.repeat}")
    for what, address in pages(arguments.words, person):
        seconds = await timed(datasette.client, address, arguments.repeat)
        print(f"{what:<52} {min(seconds) * 1000:8.1f} ms {statistics.median(seconds) * 1000:8.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--words", default="internet")
    parser.add_argument("--person", type=int)
    parser.add_argument("--quotes", type=int, help="the person whose number of quotes is nearest this")
    asyncio.run(main(parser.parse_args()))
