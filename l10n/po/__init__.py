"""The PO format, one package for it: the model (Entry, Catalog), the strict parser, the one Plural-Forms parser,
msgcat's layout, files written atomically and never over a translator's edit, and msgmerge's merge. It knows
nothing about the appeal; everything above it reads and writes catalogs through the names below. What merges
catalogs (update) imports `merge` from po.merge: reading and writing catalogs does not need it."""

from .files import atomic_write, project_lock, remove_leftovers, save, write_if_changed
from .layout import dumps
from .model import FUZZY, Catalog, Entry, header_field
from .parse import load, load_or_none, loads, read_compendium
from .adapters import to_polib

__all__ = ["FUZZY", "Catalog", "Entry", "atomic_write", "dumps", "header_field", "load", "load_or_none", "loads",
           "project_lock", "read_compendium", "remove_leftovers", "save", "to_polib", "write_if_changed"]
