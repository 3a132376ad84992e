from django.core.management import BaseCommand, call_command

from apps.accounts.services import demo_users_create


class Command(BaseCommand):
    help = "Create what is missing of the role groups, demo users (one per role) and seed themes; print the logins."

    def handle(self, *args, **options):
        call_command("seed_themes", verbosity=0)  # by name: the themes belong to a higher app
        users = demo_users_create()
        self.stdout.write(self.style.SUCCESS("Demo logins (http://127.0.0.1:8000/):"))
        for username, password, role, created in users:
            note = "" if created else "  (existed already: password unchanged)"
            self.stdout.write(f"  {role:<11} {username:<11} {password}{note}")
