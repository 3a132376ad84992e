from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from apps.assignments.models import Assignment, AssignmentEvent
from apps.assignments.services import assignments_bulk_create
from apps.corpus.models import Article


class Command(BaseCommand):
    help = "Assign articles (all, or only those nobody has yet) to one or more analysts; existing pairs are kept."

    def add_arguments(self, parser):
        parser.add_argument("--to", nargs="+", required=True, metavar="USERNAME", help="analysts' usernames")
        parser.add_argument("--unassigned", action="store_true", help="only articles nobody is assigned to")
        parser.add_argument(
            "--if-never-assigned",
            action="store_true",
            help="do nothing once anything has ever been assigned (make run: demo work on a fresh database only, "
            "never the articles a supervisor left in the open pool)",
        )

    def handle(self, *args, to, unassigned, if_never_assigned=False, **options):
        if if_never_assigned and (Assignment.objects.exists() or AssignmentEvent.objects.exists()):
            self.stdout.write("Work has been assigned before: nothing assigned.")
            return
        users = list(get_user_model().objects.filter(username__in=to))
        missing = set(to) - {u.username for u in users}
        if missing:
            raise CommandError(f"No such user: {', '.join(sorted(missing))}.")
        articles = Article.objects.all()
        if unassigned:
            articles = articles.exclude(pk__in=Assignment.objects.values("article_id"))
        ids = list(articles.values_list("pk", flat=True))
        if not ids:
            self.stdout.write("No articles to assign.")
            return
        try:
            created = assignments_bulk_create(article_ids=ids, analysts=users, assigned_by=None)
        except ValidationError as err:
            raise CommandError(" ".join(err.messages)) from err
        self.stdout.write(f"{created} new assignment{'s' if created != 1 else ''} for {', '.join(to)}.")
