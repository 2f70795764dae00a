"""The store's natural-key functions (iwfdb/store/keys.py), without importing the store.

Importing `iwfdb.store.keys` runs `iwfdb/store/__init__.py`, which imports SQLAlchemy and Alembic: half
a second, five times a whole read command. keys.py itself is stdlib-only by design, so it is loaded
here straight from its file, once; the read side then keys a name exactly as the store did.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_NAME = "iwfdb.store.keys"


def _store_keys():
    if _NAME in sys.modules:
        return sys.modules[_NAME]
    path = Path(__file__).resolve().parent.parent / "store" / "keys.py"
    spec = importlib.util.spec_from_file_location(_NAME, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # Registered under its own name, so that a later `import iwfdb.store.keys` finds this same module.
    sys.modules[_NAME] = module
    return module


person_key = _store_keys().person_key
