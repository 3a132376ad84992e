"""Readers turn an input file into plain ``RawArticle`` records. They know no models and no spaCy.

``read_articles(data, name=..., fmt="auto", default_outlet=None, max_bytes=...)`` is the single entry point;
it yields ``RawArticle`` objects in file order and raises ``ReaderError`` (naming the file and the line or
record) for input it cannot read. Formats: plain text (several articles per file), JSONL, CSV, saved HTML.
"""

from .base import SPLITS, FileRead, RawArticle, ReaderError, ReadOptions, read_articles

__all__ = ["SPLITS", "FileRead", "RawArticle", "ReadOptions", "ReaderError", "read_articles"]
