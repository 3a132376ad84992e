"""Drop the generated ``insights_document`` column of 0002 (and its GIN index with it): the corpus owns the
article's full-text document now (``corpus.0003_article_search_document``, which copied these documents first), and
fills it outside the pre-annotated import's INSERTs. Reversing this migration restores 0002's column."""

from django.db import migrations

RESTORE = """
ALTER TABLE corpus_article ADD COLUMN IF NOT EXISTS insights_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'B')) STORED;
CREATE INDEX IF NOT EXISTS insights_article_document ON corpus_article USING gin (insights_document);
"""


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE corpus_article DROP COLUMN IF EXISTS insights_document;")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTORE)


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_summary_tables"), ("corpus", "0003_article_search_document")]
    operations = [migrations.RunPython(drop, restore, elidable=False)]
