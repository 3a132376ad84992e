"""Who works on which article, and the state of that work (design.md §5)."""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Value, When

# Submitted work sorts before the rest (0, else 1): the supervisor's "waiting longest" order.
SUBMITTED_FIRST = Case(When(state="submitted", then=Value(0)), default=Value(1))


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
        db_table = "review_assignment"  # created by the review app before assignments had an app
        ordering = ["due_date", "created_at"]
        indexes = [
            models.Index(fields=["analyst", "state", "due_date"], name="assignment_queue_idx"),
            models.Index(fields=["state", "updated_at"], name="assignment_state_age_idx"),
            # the supervisor's queue list, unfiltered, sorted by age or due date
            models.Index(fields=["updated_at", "id"], name="assignment_age_idx"),
            models.Index(fields=["due_date", "id"], name="assignment_due_idx"),
            # "waiting longest": submitted work first, then by age (selectors.QUEUE_SORTS["age"], same expression)
            models.Index(SUBMITTED_FIRST, F("updated_at"), F("id"), name="assignment_waiting_idx"),
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
        db_table = "review_assignmentevent"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["to_state", "created_at"], name="assignment_event_day_idx")]

    def __str__(self):
        return f"{self.assignment_id}: {self.from_state or '-'} → {self.to_state}"
