from django.conf import settings
from django.db import models


class Assignment(models.Model):
    """An article given to one analyst. Several analysts per article make double annotation."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    article = models.ForeignKey("corpus.Article", on_delete=models.CASCADE, related_name="assignments")
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    state = models.CharField(max_length=20, choices=State.choices, default=State.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [
            models.Index(fields=["analyst", "state", "due_date"], name="assignment_queue_idx"),
            models.Index(fields=["state", "updated_at"], name="assignment_state_age_idx"),
            # the supervisor's queue list, unfiltered, sorted by age or due date
            models.Index(fields=["updated_at", "id"], name="assignment_age_idx"),
            models.Index(fields=["due_date", "id"], name="assignment_due_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["article", "analyst"], name="unique_assignment")]

    def __str__(self):
        return f"{self.article_id} → {self.analyst_id} ({self.state})"


class AssignmentEvent(models.Model):
    """A state change of an assignment: who, when, from, to, and why."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["to_state", "created_at"], name="assignment_event_day_idx")]


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
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"], name="comment_article_idx")]

    def __str__(self):
        return self.body[:60]
