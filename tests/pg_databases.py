"""Databases for the PostgreSQL tests, on the server named by $IWFDB_TEST_POSTGRES: one template migrated once
per session, and a copy of it for each test (CREATE DATABASE ... TEMPLATE copies it in a few milliseconds)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg

from iwfdb.db import Location, locate

PREFIX = f"iwfdb_test_{os.getpid()}"


def _database_url(server: str, name: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def _create(server: str, name: str, template: str | None = None) -> Location:
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return locate(_database_url(server, name))


def template_database(server: str) -> Location:
    """An empty database for the template (the caller migrates it)."""
    return _create(server, f"{PREFIX}_template")


def empty_database(server: str, number: int) -> Location:
    """A new database with no schema at all."""
    return _create(server, f"{PREFIX}_empty_{number}")


def new_database(server: str, template: Location, number: int) -> Location:
    """A new database that is a copy of the migrated template."""
    return _create(server, f"{PREFIX}_{number}", template=urlsplit(template.url).path.lstrip("/"))


def reading_role(server: str, database: Location) -> Location:
    """The same archive, through a role that may only SELECT its tables (as README advises for readers)."""
    return login_role(server, database, "reader", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")


def login_role(server: str, database: Location, name: str, *grants: str) -> Location:
    """The same archive, through a login role of this test session's (made if need be), after `grants` run in
    the archive's database by its administrator (`{role}` in each is the role's name)."""
    role = f"{PREFIX}_{name}"
    with psycopg.connect(server, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            admin.execute(f"CREATE ROLE {role} LOGIN")
    with psycopg.connect(database.url, autocommit=True) as owner:
        for grant in grants:
            owner.execute(grant.format(role=role))
    url = urlsplit(database.url)
    return locate(urlunsplit(url._replace(netloc=f"{role}@{url.hostname}:{url.port}")))


def drop_databases(server: str) -> None:
    """Every database (and role) this test session made."""
    with psycopg.connect(server, autocommit=True) as admin:
        names = [row[0] for row in admin.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                                 (f"{PREFIX}%",))]  # fmt: skip
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for (role,) in admin.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (f"{PREFIX}%",)).fetchall():
            admin.execute(f"DROP ROLE {role}")
