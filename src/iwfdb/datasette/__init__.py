"""Browsing the archive in Datasette (`iwfdb serve`): its descriptions, configuration, plugin and templates.

Only `server` and `plugin` import Datasette; the rest is plain data, readable without the `web` extra.
"""
