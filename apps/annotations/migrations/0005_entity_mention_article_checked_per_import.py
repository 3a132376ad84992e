"""Drop the database foreign key of EntityMention.article (issue 15): PostgreSQL checked it once per row, at commit,
~5 us each, and a pre-annotated import writes 36 mentions per article (a third of the database's work on the peer
corpus). Mentions are only written by annotations.services.entity_mentions_import_bulk, in the transaction that
creates their article; it checks its articles once per call. Django's CASCADE still deletes them with an article.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0004_drop_redundant_indexes'),
        ('corpus', '0005_drop_redundant_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='entitymention',
            name='article',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='entities', to='corpus.article'),
        ),
    ]
