"""The full-text document of each article (title weighted A, text B) as a plain ``tsvector`` column of the corpus,
GIN-indexed; PostgreSQL only (SQLite searches with substrings and needs none of this).

It replaces the stored generated column ``insights_document`` of ``insights.0002`` (dropped by ``insights.0004``
once its documents are copied here): a generated column is computed inside every INSERT, about 1 s per 1,000
articles plus its GIN entries, which was most of the pre-annotated import's time. Now a trigger fills the document
at INSERT and whenever ``title`` or ``text`` change, except in a transaction that set
``readout.search_deferred = 'on'`` (the pre-annotated bulk import, ``apps.ingest.preannotated``): those rows start
with no document and ``apps.corpus.search.search_index_catch_up`` fills them after the batch, in chunks, off the
import's critical path. Until then search matches them with a live ``to_tsvector`` (``match_articles``), so search
is correct at every moment; the partial index on the rows without a document finds them at once.

The column is not declared on the model (Django never selects or writes it: a document is several kB per article);
reversing this migration drops it, the trigger and the indexes.
"""

from django.db import migrations

DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, coalesce({row}title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce({row}text, '')), 'B')"
)

ADD = f"""
ALTER TABLE corpus_article ADD COLUMN IF NOT EXISTS search_document tsvector;
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'corpus_article'
                 AND column_name = 'insights_document') THEN
        UPDATE corpus_article SET search_document = insights_document;
    ELSE
        UPDATE corpus_article SET search_document = {DOCUMENT.format(row="")};
    END IF;
END $$;
CREATE INDEX IF NOT EXISTS corpus_article_search_document ON corpus_article USING gin (search_document);
CREATE INDEX IF NOT EXISTS corpus_article_search_pending ON corpus_article (id) WHERE search_document IS NULL;

CREATE OR REPLACE FUNCTION corpus_article_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND current_setting('readout.search_deferred', true) = 'on' THEN
        NEW.search_document := NULL;
    ELSE
        NEW.search_document := {DOCUMENT.format(row="NEW.")};
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER corpus_article_search_insert BEFORE INSERT ON corpus_article
    FOR EACH ROW EXECUTE FUNCTION corpus_article_search_document();
CREATE TRIGGER corpus_article_search_update BEFORE UPDATE OF title, text ON corpus_article
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.text IS DISTINCT FROM NEW.text)
    EXECUTE FUNCTION corpus_article_search_document();
"""
DROP = """
DROP TRIGGER IF EXISTS corpus_article_search_insert ON corpus_article;
DROP TRIGGER IF EXISTS corpus_article_search_update ON corpus_article;
DROP FUNCTION IF EXISTS corpus_article_search_document();
ALTER TABLE corpus_article DROP COLUMN IF EXISTS search_document;
"""


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("corpus", "0002_article_decisions_shared")]
    operations = [migrations.RunPython(add, drop, elidable=False)]
