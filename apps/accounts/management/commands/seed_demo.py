from django.core.management import BaseCommand, call_command

from apps.accounts.services import demo_users_create


class Command(BaseCommand):
    help = "Create the role groups, the demo users (one per role) and the seed themes, then print the logins."

    def handle(self, *args, **options):
        call_command("loaddata", "themes", verbosity=0)
        users = demo_users_create()
        self.stdout.write(self.style.SUCCESS("Demo logins (http://127.0.0.1:8000/):"))
        for username, password, role in users:
            self.stdout.write(f"  {role:<11} {username:<11} {password}")
