"""Reassembling translated documents from catalogs and rendering them as text, Markdown, HTML, PDF and e-mail."""

#: every output format, in the order `build` writes them; `build --format` picks some
FORMATS = ("txt", "md", "html", "pdf", "eml")
