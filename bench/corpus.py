"""A deterministic synthetic corpus of IWF statement files, shaped like the real renderings.

Every file is a pure function of (seed, n, index, revision): the same command writes the same bytes on
any machine, without network. The variations are those the format notes list: titles with and without
a kind prefix, `Published:` with no-break spaces, 0-3 quotes in the forms of `people.py` (people with
accented names, particles, titles, peerages and post-nominals, roles before or after the name, pronouns
and short names; spokespeople and offices; documents and anonymous sources; two people at once), curly,
straight and mismatched quote marks, contacts (people and press offices) with UK phones in varied
spacing, sometimes the same number twice, and the `[email protected]` placeholder, 0-4 related cards,
closing sections, files without blank lines, foreign lead items, junk before the headline, and about 1%
of files that are not statements (empty, binary, an encyclopedia article, a README).

Beside the files, `truth.jsonl` holds what each statement file truly says: one line per file, its
`path`, its `quotes` in text order (`speaker` as iwfdb should name them, `kind`) and its `contacts`
(`name`, `kind`). `bench/speakers.py` measures the parser against it.

Files are spread over years 2008-2025 and over subfolders of `PER_FOLDER` files. Each statement's
identity (title, date, kind) comes from its own random stream, so that a related card can name another
statement of the corpus exactly as that statement's own file does (and ~10% name statements the corpus
does not hold: card-only statements).

Usage: python bench/corpus.py DIR --n 10000   (prints a summary)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import people  # bench/people.py: who speaks, and the truth of each quote

FORMAT_VERSION = 2  # bump when the generated text changes, so that kept corpora are regenerated
DEFAULT_SEED = 2024
PER_FOLDER = 1000
BAD_SHARE = 0.01
COMMON_WORD = "internet"  # in about two thirds of the statements' bodies
RARE_WORD = "quokka"  # in one statement of RARE_EVERY
RARE_EVERY = 1000
SEARCH_YEAR = 2020
TRUTH_FILE = "truth.jsonl"

NBSP = "\u00a0"
FIRST_DAY = date(2008, 1, 1)
DAYS = (date(2025, 12, 31) - FIRST_DAY).days + 1
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip

# --- vocabulary -------------------------------------------------------------------------------------------

_TOPICAL = """internet child children abuse images videos online safety analysts hotline reports report
industry companies platforms government police law enforcement technology hash list criminal material
removed removal webpages victims survivors partners members global international research data figures
annual record increase decrease young people parents schools education campaign charity foundation
regulation bill act duties guidance codes practice services providers encryption messaging apps social
media networks search engines hosting domains countries europe commission ministers parliament policy
protect protection harm harmful content detection tools artificial intelligence generated imagery
sextortion grooming livestreaming self webcams teenagers girls boys aged years trends analysis public
helpline support reporting portal anonymous action work working together partnership funding""".split()
_FUNCTION = """the of and to in a that is for on with as are was we by this be it have from at our an
which will more than has not all their they its been can but or also these new there would who were
every one many most into about only after over such must should could any other some""".split()
_SYLLABLES = ("ka", "lo", "mer", "tin", "va", "dor", "sel", "bru", "an", "pe", "ris", "tho", "gul", "en",
              "mo", "sta", "ric", "fen", "la", "dro", "vin", "cal", "ne", "po", "ter", "sha", "ul", "bi")  # fmt: skip


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Words with Zipf-like weights: function words, topical words, then a long tail of rarer words."""
    invented = sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(9000)})
    words = _FUNCTION + _TOPICAL + invented
    weights = [1.0 / (rank + 8) ** 1.15 for rank in range(len(words))]
    # The common search word is set to appear in about two statements in three.
    weights[words.index(COMMON_WORD)] = sum(weights) * 0.0028
    return words, weights


def _sentence_pool(size: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words, weights = _vocabulary(rng)
    lengths = [rng.randint(8, 26) for _ in range(size)]
    drawn = rng.choices(words, weights=weights, k=sum(lengths))
    sentences, at = [], 0
    for length in lengths:
        chunk = drawn[at : at + length]
        at += length
        roll = rng.random()
        if roll < 0.08:
            chunk.insert(rng.randrange(len(chunk)), f"{rng.randint(2, 300):,}{rng.choice(('', '%', '%*', ',000'))}")
        elif roll < 0.11:
            chunk.insert(rng.randrange(len(chunk)), f"£{rng.randint(1, 90)}m")
        elif roll < 0.14:
            chunk.insert(rng.randrange(len(chunk)), "–")
        elif roll < 0.17:
            chunk.insert(rng.randrange(len(chunk)), "IWF")
        text = " ".join(chunk)
        sentences.append(text[0].upper() + text[1:] + rng.choice((".", ".", ".", ".", ".", "!", "?")))
    return sentences


SENTENCES = _sentence_pool(20_000, DEFAULT_SEED)

# --- people, titles, contacts -----------------------------------------------------------------------------

CONTACTS = (("Emma Hardy", "Director of External Relations"), ("Cat McShane", "Press Officer"),
            ("Josh Thomas", "Press Officer"), ("Press Office", None), ("IWF Press Office", None),
            ("NSPCC Media Team", None))  # fmt: skip

_SUBJECTS = ("IWF", "The IWF", "Internet Watch Foundation", "Government", "Ofcom", "Tech companies", "Police",
             "Charities", "UK Safer Internet Centre", "Analysts", "MPs", "Europe", "Industry partners",
             "Researchers", "Campaigners")  # fmt: skip
_VERBS = ("welcomes", "warns of", "responds to", "calls for", "launches", "reports", "backs", "urges action on",
          "publishes", "criticises", "celebrates", "reveals")  # fmt: skip
_ADJECTIVES = ("new", "record", "global", "alarming", "annual", "landmark", "urgent", "fresh", "growing",
               "historic", "stronger", "rising", "international", "online", "AI-generated", "hidden",
               "first", "major", "national", "emerging")  # fmt: skip
_NOUNS = ("figures", "guidance", "hash list", "partnership", "safety bill", "research", "campaign", "codes",
          "report", "trends", "reporting portal", "imagery", "sextortion cases", "taskforce", "funding",
          "analysis", "duties", "technology", "consultation", "strategy", "helpline", "data",
          "encryption plans", "webpages", "tools")  # fmt: skip
_FLOURISHES = ("", "", "", "", " in {year}", " – and what comes next", ": it's time to act", " worth £{m}m",
               " for #SaferInternetDay", " after ‘worrying’ rise", ' after "worrying" rise', " (update)")  # fmt: skip
_KINDS = ("Statement",) * 5 + ("News",) * 3 + ("Blog",)

_PHONE_FORMS = ("+44 (0) {a} {b}", "+44 (0){a} {b}", "+44 {a} {b3} {b4}", "0{a} {b}", "+44{a}{b}",
                "0{a}{b}", "+44 (0) {a} {b3} {b4}")  # fmt: skip
_NUMBERS = (("1223", "203030"), ("7929", "553679"), ("20", "79460000"), ("161", "4960000"))
EMAIL_PLACEHOLDER = f"[email{NBSP}protected]"

CLOSING_WHAT_WE_DO = (
    "We make the internet a safer place. We help victims of child sexual abuse worldwide by identifying and "
    "removing online images and videos of their abuse. We search for child sexual abuse images and videos and "
    "offer a place for the public to report them anonymously. We then have them removed. We’re a not for "
    "profit organisation and are supported by the global internet industry and the European Commission."
)
CLOSING_UKSIC = (
    "The IWF is part of the UK Safer Internet Centre, working with Childnet International and the South West "
    "Grid for Learning to promote the safe and responsible use of technology."
)
JUNK_LINES = (
    "Phone Search Map pin Envelope",
    "COVID-19 update: our hotline remains open and our analysts continue to work.",
    "We use cookies to make this website work. Accept Hide",
)


@dataclass(frozen=True, slots=True)
class Identity:
    """What makes a statement the same statement from one file to another: its title, date and kind."""

    title: str
    published: date
    kind: str


def identity(seed: int, index: int) -> Identity:
    """The title, date and kind of statement `index`, from a stream of its own (cards use it too)."""
    rng = random.Random((seed << 40) ^ (index << 4) ^ 15)
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    flourish = rng.choice(_FLOURISHES).format(year=day.year, m=rng.randint(1, 40))
    title = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}{flourish}"
    return Identity(title, day, rng.choice(_KINDS))


def relative_path(index: int) -> str:
    """Where file `index` lives under the corpus root: `f012/s0012345.txt`."""
    return f"f{index // PER_FOLDER:03d}/s{index:07d}.txt"


def is_bad(seed: int, index: int) -> bool:
    return random.Random((seed << 40) ^ (index << 4) ^ 14).random() < BAD_SHARE


# --- one file ---------------------------------------------------------------------------------------------


def file_bytes(seed: int, n: int, index: int, revision: int = 0) -> bytes:
    """The bytes of file `index` in a corpus of `n`; `revision` 1 is the same statement, edited."""
    return file_and_truth(seed, n, index, revision)[0]


def file_and_truth(seed: int, n: int, index: int, revision: int = 0) -> tuple[bytes, dict | None]:
    """The bytes of file `index` and what it truly says (None for a file that is not a statement)."""
    if is_bad(seed, index):
        return _bad_file(random.Random((seed << 40) ^ (index << 4) ^ 13)), None
    rng = random.Random((seed << 40) ^ (index << 4) ^ revision)
    text, truth = _statement(rng, seed, n, index, identity(seed, index), revision)
    return text.encode("utf-8"), {"path": relative_path(index), **truth}


def _bad_file(rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:
        return b""
    if kind == 1:
        return rng.randbytes(rng.randint(200, 4000)) + b"\x00\xff\xfe"
    if kind == 2:
        lines = ["= Quokka =", "", "The quokka is a small macropod.", "", "== Habitat ==", ""]
        lines += [f"- {key}: {rng.randint(1, 99)}" for key in ("Mass", "Length", "Lifespan")]
        return "\n".join(lines).encode()
    return b"# Corpus notes\n\nThis folder holds crawled pages.\n\n```\nls -l\n```\n"


def _paragraph(rng: random.Random, low: int = 2, high: int = 5) -> str:
    return " ".join(rng.choices(SENTENCES, k=rng.randint(low, high)))


def _marks(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.7:
        return "“", "”"
    if roll < 0.9:
        return '"', '"'
    return "“", " “"  # mismatched, as in the reference example


def _quotes(rng: random.Random) -> list[tuple[list[str], list[people.Truth]]]:
    """0-3 quote blocks, each (the paragraphs it takes, the truth of its quotes), in text order."""
    blocks: list[tuple[list[str], list[people.Truth]]] = []
    previous: people.Person | None = None
    for _ in range(rng.choices((0, 1, 2, 3), weights=(2, 4, 3, 2))[0]):
        opening, closing = _marks(rng)
        quote = f"{opening}{_paragraph(rng, 1, 3)}{closing}"
        verb = rng.choice(("said", "said", "added", "told MPs"))
        form = rng.random()
        if previous and form < 0.25:
            lines = people.follow_up_block(previous, quote, rng.choice(("said", "added", "continued")), rng)
            blocks.append((lines, [people.truth(previous.name, "person")]))
            continue
        if form < 0.37:
            lines, truth = rng.choice((people.group_block, people.body_block, people.no_one_block))(rng, quote)
            blocks.append((lines, [truth]))
            previous = None
            continue
        previous = people.random_person(rng)
        blocks.append((people.person_block(rng, previous, quote, verb), [people.truth(previous.name, "person")]))
    return blocks


def _phone(rng: random.Random) -> str:
    area, number = rng.choice(_NUMBERS)
    return rng.choice(_PHONE_FORMS).format(a=area, b=number, b3=number[:3], b4=number[3:])


def _contact_lines(rng: random.Random) -> tuple[list[str], dict[str, str]]:
    name, role = rng.choice(CONTACTS)
    truth = {"name": name, "kind": "organisation" if role is None else "person"}
    return _contact_forms(rng, name, role), truth


def _contact_forms(rng: random.Random, name: str, role: str | None) -> list[str]:
    form = rng.random()
    if role is None:
        if form < 0.5:
            return ["Contact:", f"{name} {EMAIL_PLACEHOLDER}"]
        return ["Media enquiries:", f"{name} on {_phone(rng)}."]
    if form < 0.15:  # one number printed twice, in two spellings
        area, number = rng.choice(_NUMBERS)
        return ["Contact:", f"{name}, {role}, on 0{area}{number} or +44 {area} {number[:3]} {number[3:]}."]
    if form < 0.5:
        return ["Contact:", f"{name}, {role} {EMAIL_PLACEHOLDER} {_phone(rng)} or {_phone(rng)}."]
    if form < 0.8:
        return ["Contact:", f"{name}, {role}, on {_phone(rng)} or {_phone(rng)}.", EMAIL_PLACEHOLDER,
                "@IWFhotline Opens in New Window"]  # fmt: skip
    return [f"Contact: {name}, {role}, {_phone(rng)}"]


def _closing(rng: random.Random) -> tuple[list[str], dict[str, str]]:
    contact, truth = _contact_lines(rng)
    lines = ["Ends", NBSP, "Notes to editors:"] + contact
    if rng.random() < 0.3:
        lines += ["About the Internet Watch Foundation",
                  "o   We search for child sexual abuse images and videos.",
                  "o   We offer a place for the public to report them anonymously."]  # fmt: skip
    else:
        lines += ["What we do:", CLOSING_WHAT_WE_DO]
    lines += ["For more information please visit www.iwf.org.uk.", CLOSING_UKSIC]
    return lines, truth


def _cards(rng: random.Random, seed: int, n: int, index: int) -> list[list[str]]:
    cards = []
    for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(2, 2, 3, 4, 2))[0]):
        other = rng.randrange(n + n // 10 + 1)  # past n: a statement the corpus does not hold
        if other == index:
            continue
        them = identity(seed, other)
        day = them.published
        cards.append([them.title, them.title, rng.choice(SENTENCES),
                      f"{day.day} {MONTHS[day.month - 1]} {day.year} {them.kind}"])  # fmt: skip
    return cards


def _statement(rng: random.Random, seed: int, n: int, index: int, me: Identity, revision: int) -> tuple[str, dict]:
    day = me.published
    when = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"
    layout = rng.random()
    prefix = rng.choices(("Statement - ", "Statement: ", ""), weights=(5, 1, 4))[0] if me.kind == "Statement" else ""
    head: list[str] = []
    if layout < 0.03:  # a foreign lead item: another article's headline and summary, then this page's date
        other = identity(seed, rng.randrange(n))
        head = [other.title, rng.choice(SENTENCES), f"Published: {when}"]
    else:
        if layout < 0.05:
            head.append(rng.choice(JUNK_LINES))
        head += [prefix + me.title, f"Published:{NBSP}{NBSP}{when}"]
    body = [_paragraph(rng) for _ in range(rng.randint(3, 8))]
    if rng.random() < 0.3:
        body.insert(0, rng.choice(SENTENCES))  # a one-sentence standfirst
    if index % RARE_EVERY == 7:
        body.insert(len(body) // 2, f"The {RARE_WORD} project is one of a kind.")
    if revision:
        body.append(f"Update {revision}: " + _paragraph(rng, 1, 2))
    blocks = _quotes(rng)
    places = sorted(rng.randint(1, len(body)) for _ in blocks)
    for at, (lines, _) in reversed(list(zip(places, blocks))):  # from the end: the blocks keep their order
        body[at:at] = lines
    tail, contact = _closing(rng) if rng.random() < 0.8 else ([], None)
    truth = {"quotes": [quote for _, truths in blocks for quote in truths], "contacts": [contact] if contact else []}
    cards = _cards(rng, seed, n, index)
    if layout > 0.74:  # about one in four: no blank lines at all
        return "\n".join(head + body + tail + [line for card in cards for line in card]), truth
    text = "\n\n".join(head + body + tail)
    for card in cards:  # a card's title follows the previous card's date line with no blank line
        text += "\n" + "\n\n".join(card) if text.endswith(tuple(_KINDS)) else "\n\n" + "\n\n".join(card)
    return text, truth


# --- the corpus -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusInfo:
    n: int
    seed: int
    version: int
    bytes: int
    bad_files: int
    seconds: float
    common_word: str = COMMON_WORD
    rare_word: str = RARE_WORD
    search_year: int = SEARCH_YEAR


def write_corpus(root: Path, n: int, seed: int = DEFAULT_SEED, workers: int | None = None) -> CorpusInfo:
    """Write the n files under `root` (reusing them if `root` holds this very corpus already).

    Folders are shared out among `workers` processes (default: one per core); the bytes do not depend on it.
    `TRUTH_FILE` beside the files says what each statement file truly holds.
    """
    manifest = root / "manifest.json"
    if manifest.is_file():
        known = json.loads(manifest.read_text())
        if (known.get("n"), known.get("seed"), known.get("version")) == (n, seed, FORMAT_VERSION):
            return CorpusInfo(**known)
        manifest.unlink()
    started = time.perf_counter()
    folders = [(root, seed, n, start, min(n, start + PER_FOLDER)) for start in range(0, n, PER_FOLDER)]
    workers = max(1, min(workers or os.cpu_count() or 1, len(folders)))
    if workers == 1:
        written = [_write_folder(*job) for job in folders]
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            written = pool.starmap(_write_folder, folders, chunksize=1)
    total = sum(size for size, _, _ in written)
    bad = sum(count for _, count, _ in written)
    (root / TRUTH_FILE).write_text("".join(truth for _, _, truth in written), encoding="utf-8")
    info = CorpusInfo(n, seed, FORMAT_VERSION, total, bad, round(time.perf_counter() - started, 3))
    manifest.write_text(json.dumps(asdict(info), indent=2))
    return info


def _write_folder(root: Path, seed: int, n: int, start: int, stop: int) -> tuple[int, int, str]:
    """Files start..stop-1 (one folder); returns (bytes written, bad files, their lines of truth)."""
    (root / relative_path(start)).parent.mkdir(parents=True, exist_ok=True)
    total = bad = 0
    truths: list[str] = []
    for index in range(start, stop):
        data, truth = file_and_truth(seed, n, index)
        _write(root / relative_path(index), data)
        total += len(data)
        bad += truth is None
        if truth is not None:
            truths.append(json.dumps(truth, ensure_ascii=False) + "\n")
    return total, bad, "".join(truths)


def _write(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


def changed_indexes(seed: int, n: int, share: float = 0.01) -> list[int]:
    """A deterministic `share` of the statement files (not bad ones), for the changed re-load."""
    rng = random.Random(seed ^ 0xC4A26ED)
    wanted = max(1, round(n * share))
    chosen: set[int] = set()
    while len(chosen) < min(wanted, n):
        index = rng.randrange(n)
        if not is_bad(seed, index):
            chosen.add(index)
    return sorted(chosen)


def rewrite(root: Path, seed: int, n: int, indexes: list[int], revision: int) -> None:
    """Write revision `revision` of the given files (0 puts the original bytes back)."""
    for index in indexes:
        _write(root / relative_path(index), file_bytes(seed, n, index, revision))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus of IWF statement files.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    info = write_corpus(args.root, args.n, args.seed)
    print(json.dumps(asdict(info), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
