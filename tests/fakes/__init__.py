"""Test doubles that behave like real services and programs, run locally (127.0.0.1, temporary scripts)."""
