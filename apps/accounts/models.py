from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Readout's user. Roles are Django groups (see ``apps.accounts.roles``)."""

    class Meta:
        ordering = ["username"]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
