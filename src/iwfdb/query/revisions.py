"""A statement's versions and what changed between them: `iwfdb diff`, the feed of changed statements.

A revision is a version that a later load replaced, kept as JSON in the shape of `iwfdb parse --format json`;
the current version is read from the archive's rows into the same shape, so both are compared alike
(iwfdb.query.diff). A change is a revision and the version that replaced it: the next revision, else the
current text.
"""

from __future__ import annotations

import json

from iwfdb import records
from iwfdb.db import Archive
from iwfdb.errors import NotFoundError
from iwfdb.query.diff import has_changes, version_paragraphs, word_diff
from iwfdb.query.statements import find_statement
from iwfdb.store.stored import as_parsed, read_statement

_RECENT_CHANGES = """
    SELECT r.id, r.statement_id FROM revisions r
    ORDER BY r.replaced_at DESC, r.id DESC {limit}"""


def list_versions(archive: Archive, ref: str) -> list[records.VersionInfo]:
    """Every version of the statement (an id, a slug or its unique start), oldest first, the current one last."""
    return _versions(find_statement(archive, ref).statement)


def statement_diff(
    archive: Archive,
    ref: str,
    revision: int | None = None,
    to: int | None = None,
) -> records.StatementDiff:
    """What changed from the revision `revision` (default: the latest) to the revision `to` (default: the
    current text) of the statement `ref`. NotFoundError when it has no such revision, or none at all."""
    stored = find_statement(archive, ref).statement
    versions = _versions(stored)
    if len(versions) == 1:
        raise NotFoundError(
            f"statement {stored.slug} has no earlier version: no load has changed it since it was first archived"
        )
    old = _chosen(versions, stored, revision) if revision is not None else versions[-2]
    new = versions[-1] if to is None else _chosen(versions, stored, to)
    return _diff(archive, stored, old, new)


def recent_changes(archive: Archive, limit: int) -> list[records.StatementDiff]:
    """The latest changes, newest first: each revision with the version that replaced it."""
    limit_sql, limit_params = archive.side.limit_clause(limit, 0)
    changes = []
    for revision_id, statement_id in archive.execute(_RECENT_CHANGES.format(limit=limit_sql), limit_params).fetchall():
        stored = read_statement(archive, statement_id)
        versions = _versions(stored)
        at = next(index for index, version in enumerate(versions) if version.revision == revision_id)
        changes.append(_diff(archive, stored, versions[at], versions[at + 1]))
    return changes


def _versions(stored: records.StoredStatement) -> list[records.VersionInfo]:
    earlier = [records.VersionInfo(r.id, r.loaded_at, r.replaced_at, r.source_path, r.sha256) for r in stored.revisions]
    path = stored.source.path if stored.source and not stored.card_only else None
    return [*earlier, records.VersionInfo(None, stored.last_loaded_at, None, path, stored.sha256)]


def _chosen(versions: list[records.VersionInfo], stored: records.StoredStatement, revision: int) -> records.VersionInfo:
    for version in versions:
        if version.revision == revision:
            return version
    known = ", ".join(str(v.revision) for v in versions[:-1])
    raise NotFoundError(
        f"statement {stored.slug} has no revision {revision}; its revisions are {known} "
        f"(see `iwfdb diff {stored.id} --list`)"
    )


def _diff(
    archive: Archive, stored: records.StoredStatement, old: records.VersionInfo, new: records.VersionInfo
) -> records.StatementDiff:
    runs = word_diff(_paragraphs(archive, stored, old), _paragraphs(archive, stored, new))
    return records.StatementDiff(stored.id, stored.slug, stored.title, stored.url, old, new, has_changes(runs), runs)


def _paragraphs(archive: Archive, stored: records.StoredStatement, version: records.VersionInfo) -> list[str]:
    if version.revision is None:
        return version_paragraphs(records.to_jsonable(as_parsed(stored)))
    (record,) = archive.execute("SELECT record FROM revisions WHERE id = ?", (version.revision,)).fetchone()
    return version_paragraphs(json.loads(record))
