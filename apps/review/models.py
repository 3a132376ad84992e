from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from apps.assignments.models import Assignment


class ReviewDecision(models.Model):
    """A reviewer's verdict on one analyst span. The analyst's original row is never changed except its status.

    * accept / reject: ``Annotation.status`` becomes accepted / rejected.
    * edit: the original is kept untouched apart from ``status = rejected``; the reviewer's version is a *new*
      ``Annotation`` owned by the reviewer (status accepted, linked as ``replacement``). Exports therefore see the
      edited span as an accepted span and the analyst's original as a rejected one, and agreement keeps measuring
      the analysts' own spans.
    ``before`` / ``after`` are snapshots ({start, end, text, themes, status}) so the record reads on its own even
    after later changes.
    """

    class Kind(models.TextChoices):
        ACCEPT = "accept", "Accepted"
        REJECT = "reject", "Rejected"
        EDIT = "edit", "Edited"

    annotation = models.ForeignKey("annotations.Annotation", on_delete=models.CASCADE, related_name="decisions")
    article = models.ForeignKey("corpus.Article", on_delete=models.CASCADE, related_name="review_decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Kind.choices)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict, blank=True)
    replacement = models.ForeignKey(
        "annotations.Annotation", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "created_at"], name="decision_article_idx"),
            models.Index(fields=["annotation", "created_at"], name="decision_annotation_idx"),
        ]

    def __str__(self):
        return f"{self.decision} #{self.annotation_id}"


class ArticleComment(models.Model):
    """A message in an article's review thread; ``assignment`` names the analyst it is addressed to, if any."""

    article = models.ForeignKey("corpus.Article", on_delete=models.CASCADE, related_name="review_comments")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # anchored to one analyst span (None: about the whole article); a reply names the comment it answers
    annotation = models.ForeignKey(
        "annotations.Annotation", null=True, blank=True, on_delete=models.SET_NULL, related_name="review_comments"
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"], name="comment_article_idx")]

    def __str__(self):
        return self.body[:60]


class GoldSpan(models.Model):
    """One span of an article's gold standard: what the adjudicating supervisor decided the coding is.

    Built from the analysts' spans (``sources``: provenance) and never owned by an analyst, so agreeing spans
    become one gold span, not one copy per analyst; exports and insights read this layer by default. Versioned
    (optimistic concurrency) and kept in history like every span.
    """

    class Origin(models.TextChoices):
        AGREED = "agreed", "Analysts agreed"
        CHOSEN = "chosen", "Chosen in review"
        FIXED = "fixed", "Fixed in review"
        APPROVAL = "approval", "Accepted with the approval"

    article = models.ForeignKey("corpus.Article", on_delete=models.CASCADE, related_name="gold_spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()  # copy of article.text[start:end]
    themes = models.ManyToManyField("annotations.Theme", related_name="gold_spans", blank=True)
    sources = models.ManyToManyField("annotations.Annotation", related_name="gold_spans", blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[themes, sources])

    class Meta:
        ordering = ["article", "start", "end"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="gold_start_before_end"),
            models.UniqueConstraint(
                fields=["article", "start", "end"], condition=Q(deleted_at__isnull=True), name="unique_live_gold_span"
            ),
        ]

    def __str__(self):
        return self.text[:80]
