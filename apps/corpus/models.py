from django.db import models
from django.db.models import Q


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Article(models.Model):
    """A news item. ``text`` is normalised at import and immutable once anything is annotated on it."""

    # article_outlet_published_idx (outlet, published) serves lookups by outlet
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles", db_index=False
    )
    title = models.CharField(max_length=500)
    byline = models.CharField(max_length=300, blank=True)
    published = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    dateline = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    content_hash = models.CharField(max_length=64)  # unique: corpus_article_content_hash_key
    n_words = models.PositiveIntegerField(default=0)
    # What the importer kept out of the body: captions, summary bullets, promos, credits, subheadings.
    metadata = models.JSONField(default=dict, blank=True)
    # Double annotation is blind by default (each analyst's entity decisions and quote corrections are their own
    # until review); a supervisor may make them shared for this article (one decision, seen and changed by all).
    decisions_shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published", "-id"]
        indexes = [
            models.Index(fields=["published", "id"], name="article_published_idx"),
            models.Index(fields=["outlet", "published"], name="article_outlet_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="article_text_not_empty"),
            # a constraint rather than unique=True, which also builds a varchar_pattern_ops index for LIKE that no
            # query of a hash needs; the name is the one unique=True gave it
            models.UniqueConstraint(fields=["content_hash"], name="corpus_article_content_hash_key"),
        ]

    def __str__(self):
        return self.title
