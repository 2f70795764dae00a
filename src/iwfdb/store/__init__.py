"""The archive's write side: files to records to rows, a batch (one transaction) at a time.

    load.py        `iwfdb load` (load_paths): find files, read and hash them, parse (parallel.py), save
    session.py     the transaction API load calls: save a file's rows, commit a batch (or replay it file by file)
    sources.py     the `sources` rows: files archived, updated, failed, duplicates, web archives
    statements.py  a statement's rows and its parts' (added, completed, replaced with a revision)
    identity.py    which statement a file is (its key, address or opening paragraphs), or a copy of whose
    policy.py      what a file does to a statement (add, complete, replace, nothing), as pure decisions
    known.py       ids handed out in Python, and the statements, people and slugs already seen
    rows.py        records to rows; batch.py holds a batch's rows and writes them a table at a time
    stored.py      rows back to records (`iwfdb show` and revisions.py read a statement with it)

It knows the parser, the records and the archive's door (iwfdb.db), never the command line. This package
imports none of its modules: a read command, which needs only stored.py, starts without the loader (the
parser, web archives, worker processes); import `iwfdb.store.load` for `load_paths`.
"""
