"""Drop indexes of the span tables that no query needs (issue 15: each costs every imported row an insert).

annotations_entitymention
* article_id and entity_article_start_idx (article_id, start): unique_entity_mention (article_id, start, end,
  label) leads with the same columns and serves lookups by article, their (article, start) order and the cascade of
  an article's deletion.
* decided_by_id: only the SET_NULL of a user's deletion looks it up, and only decided mentions can match; a
  partial index (WHERE decided_by_id IS NOT NULL) keeps that lookup indexed and stays empty for imported mentions.

annotations_annotation
* article_id: covered by annotation_article_user_idx (article_id, annotator_id).
* annotator_id: covered by annotation_user_updated_idx (annotator_id, updated_at) (and the PROTECT check).
* deleted_by_id: a partial index WHERE deleted_by_id IS NOT NULL, as for decided_by.

annotations_historicalannotation: history rows are read by span (id) and by the newest history_id; the indexes on
article_id, annotator_id and deleted_by_id (columns without a constraint there) serve nothing.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_index(name: str, table: str, column: str) -> migrations.RunSQL:
    return migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "{table}" ("{column}")')


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0003_merge_codebook_and_entity_decisions"),
        ("corpus", "0005_drop_redundant_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="entitymention",
            name="entity_article_start_idx",
        ),
        # the foreign keys lose their single-column index only: their constraints stay untouched (Django's own
        # AlterField would drop and re-add each, revalidating the table)
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="annotation",
                    name="annotator",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="annotations",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="annotation",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="annotations",
                        to="corpus.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="annotation",
                    name="deleted_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="entitymention",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entities",
                        to="corpus.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="entitymention",
                    name="decided_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                drop_index("annotations_annotation_annotator_id_82f398bc", "annotations_annotation", "annotator_id"),
                drop_index("annotations_annotation_article_id_22166e8b", "annotations_annotation", "article_id"),
                drop_index("annotations_annotation_deleted_by_id_51a76601", "annotations_annotation", "deleted_by_id"),
                drop_index("annotations_entitymention_article_id_87561835", "annotations_entitymention", "article_id"),
                drop_index(
                    "annotations_entitymention_decided_by_id_8b15ddfe", "annotations_entitymention", "decided_by_id"
                ),
            ],
        ),
        migrations.AlterField(
            model_name="historicalannotation",
            name="annotator",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="historicalannotation",
            name="article",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="corpus.article",
            ),
        ),
        migrations.AlterField(
            model_name="historicalannotation",
            name="deleted_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="annotation",
            index=models.Index(
                condition=models.Q(("deleted_by__isnull", False)),
                fields=["deleted_by"],
                name="annotation_deleted_by_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="entitymention",
            index=models.Index(
                condition=models.Q(("decided_by__isnull", False)), fields=["decided_by"], name="entity_decided_by_idx"
            ),
        ),
    ]
