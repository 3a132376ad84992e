"""GIN expression indexes for full-text search, on PostgreSQL only (SQLite searches without them).

The indexed tables belong to corpus, quotes and annotations, whose models can't declare an index on an insights
expression; the indexes are built here from the very expressions ``apps.insights.search`` queries with (same
``SearchVector``, compiled by Django the same way), so the planner can use them. They are not part of any
model's state: ``makemigrations`` doesn't see them, and reversing this migration drops them.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"  # apps.insights.search.CONFIG; kept literal so the migration never changes with the code
INDEXES = [
    ("corpus", "Article", GinIndex(SearchVector("title", "text", config=CONFIG), name="insights_article_fts")),
    ("quotes", "Quote", GinIndex(SearchVector("text", config=CONFIG), name="insights_quote_fts")),
    ("annotations", "Annotation", GinIndex(SearchVector("note", config=CONFIG), name="insights_note_fts")),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model, index in INDEXES:
        schema_editor.add_index(apps.get_model(app_label, model), index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model, index in INDEXES:
        schema_editor.remove_index(apps.get_model(app_label, model), index)


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0001_initial"),
        ("quotes", "0002_speaker_roles"),
        ("annotations", "0001_initial"),
    ]
    operations = [migrations.RunPython(create, drop, elidable=False)]
