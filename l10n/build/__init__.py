"""Reassembling translated documents from catalogs and rendering them as text, Markdown and HTML."""
