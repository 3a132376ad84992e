"""Drop two indexes of corpus_article that no query needs (issue 15: each costs every imported row an insert).

* ``corpus_article_outlet_id_2cfdd327`` (outlet_id): ``article_outlet_published_idx`` (outlet_id, published) leads
  with the same column and serves lookups by outlet and the PROTECT check of an outlet's deletion.
* ``corpus_article_content_hash_8b65b58c_like`` (content_hash varchar_pattern_ops): built by ``unique=True`` on a
  CharField for LIKE 'prefix%' queries; a hash is only ever compared for equality, which the unique constraint's
  own index serves. Uniqueness moves to a ``UniqueConstraint`` with the name the constraint already has.

Only the indexes go: the foreign key and the unique constraint stay as they are in the database (Django's own
AlterField would drop and re-add both, revalidating the table).
"""

import django.db.models.deletion
from django.db import migrations, models

LIKE_INDEX = "corpus_article_content_hash_8b65b58c_like"


def drop_like_index(apps, schema_editor):
    schema_editor.execute(f'DROP INDEX IF EXISTS "{LIKE_INDEX}"')


def restore_like_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{LIKE_INDEX}" ON "corpus_article" ("content_hash" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0004_article_text_lz4"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="content_hash",
                    field=models.CharField(max_length=64),
                ),
                migrations.AddConstraint(
                    model_name="article",
                    constraint=models.UniqueConstraint(
                        fields=("content_hash",), name="corpus_article_content_hash_key"
                    ),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="outlet",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="articles",
                        to="corpus.outlet",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_like_index, restore_like_index),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "corpus_article_outlet_id_2cfdd327"',
                    'CREATE INDEX "corpus_article_outlet_id_2cfdd327" ON "corpus_article" ("outlet_id")',
                ),
            ],
        ),
    ]
