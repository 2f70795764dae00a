"""The archive's tables as SQLAlchemy Core objects: the store writes with Core, never through the ORM."""

from iwfdb import models

SOURCES = models.Source.__table__
STATEMENTS = models.Statement.__table__
PEOPLE = models.Person.__table__
QUOTES = models.Quote.__table__
CONTACTS = models.Contact.__table__
PHONES = models.ContactPhone.__table__
LINKS = models.Link.__table__
SECTIONS = models.Section.__table__
WARNINGS = models.ParseWarningRow.__table__
REVISIONS = models.Revision.__table__
