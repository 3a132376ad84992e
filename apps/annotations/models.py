from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class Theme(models.Model):
    """A frame analysts tag spans with. Supervisors manage the taxonomy; deactivating keeps existing spans."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)  # the codebook's definition
    include_rules = models.TextField(blank=True, help_text="When to code a passage with this theme.")
    exclude_rules = models.TextField(blank=True, help_text="When not to, and which theme to use instead.")
    colour = models.CharField(
        max_length=7, default="#ffd54f", validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use #rrggbb.")]
    )
    shortcut = models.CharField(max_length=1, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["shortcut"], condition=~Q(shortcut="") & Q(active=True), name="unique_active_theme_shortcut"
            )
        ]

    def __str__(self):
        return self.name


class Annotation(models.Model):
    """An analyst's span [start, end) of an article's text, tagged with one or more themes."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    # no single-column indexes: annotation_article_user_idx leads with article, annotation_user_updated_idx with
    # annotator, and each serves those lookups (and the FK checks of a delete) as well
    article = models.ForeignKey("corpus.Article", on_delete=models.CASCADE, related_name="annotations", db_index=False)
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations", db_index=False
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()  # copy of article.text[start:end], verified by `manage.py check_spans`
    themes = models.ManyToManyField(Theme, related_name="annotations", blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(  # indexed where set only (annotation_deleted_by_idx)
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # history rows are read by span (id) and by the newest history_id; nothing looks them up by article, annotator
    # or deleted_by (history_user keeps its index: deleting a user sets it to NULL)
    history = HistoricalRecords(m2m_fields=[themes], no_db_index=["article", "annotator", "deleted_by"])

    class Meta:
        ordering = ["article", "start", "end"]
        indexes = [
            models.Index(fields=["article", "annotator"], name="annotation_article_user_idx"),
            models.Index(fields=["annotator", "updated_at"], name="annotation_user_updated_idx"),
            # deleting a user sets deleted_by to NULL: that lookup only ever needs the few rows that have one
            models.Index(
                fields=["deleted_by"], condition=Q(deleted_by__isnull=False), name="annotation_deleted_by_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="annotation_start_before_end"),
            models.UniqueConstraint(
                fields=["article", "start", "end", "annotator"],
                condition=Q(deleted_at__isnull=True),
                name="unique_live_span_per_annotator",
            ),
        ]

    def __str__(self):
        return self.text[:80]


class EntityMention(models.Model):
    """A named entity spaCy suggested at import; analysts accept or reject it."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    # no index of its own: unique_entity_mention (article, start, end, label) serves lookups by article and the
    # (article, start) order. No database foreign key either: mentions are written only with their article, in the
    # transaction that creates it, by entity_mentions_import_bulk, which checks the articles once per call; a
    # per-row check was a third of the database's work in a pre-annotated import (36 mentions per article). Deleting
    # an article deletes its mentions (CASCADE, done by Django).
    article = models.ForeignKey(
        "corpus.Article", on_delete=models.CASCADE, related_name="entities", db_index=False, db_constraint=False
    )
    label = models.CharField(max_length=20)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    decided_by = models.ForeignKey(  # indexed where set only (entity_decided_by_idx)
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "start"]
        # deleting a user sets decided_by to NULL: only decided mentions are in that index (not the imported ones)
        indexes = [
            models.Index(fields=["decided_by"], condition=Q(decided_by__isnull=False), name="entity_decided_by_idx")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="entity_start_before_end"),
            models.UniqueConstraint(fields=["article", "start", "end", "label"], name="unique_entity_mention"),
        ]

    def __str__(self):
        return f"{self.text} ({self.label})"


class EntityDecision(models.Model):
    """One analyst's decision on one entity suggestion. Under blind double annotation this is the analyst's own
    layer (the machine row stays as spaCy wrote it until a reviewer decides); in shared mode it is the record of who
    decided what. Every change is kept in history."""

    mention = models.ForeignKey(EntityMention, on_delete=models.CASCADE, related_name="decisions")
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=EntityMention.Status.choices)
    decided_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mention", "analyst"], name="unique_entity_decision")]

    def __str__(self):
        return f"{self.analyst_id}: {self.mention_id} {self.status}"


class ThemeExample(models.Model):
    """An accepted span a supervisor pinned to a theme's codebook entry as an example passage."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="examples")
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()  # the passage as pinned (the span's text)
    pinned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    pinned_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "pinned_at", "id"]
        constraints = [models.UniqueConstraint(fields=["theme", "annotation"], name="unique_theme_example")]

    def __str__(self):
        return self.text[:80]
