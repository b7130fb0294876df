"""People, the roles they hold at organisation units, and their API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from recovery.core.constants import Role


class User(AbstractUser):
    """A member of staff. Signs in with their work e-mail address; is never deleted, only
    deactivated, so that everything they did stays attributable."""

    email = models.EmailField("email address", unique=True)
    job_title = models.CharField(max_length=200, blank=True)

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class RoleAssignment(models.Model):
    """One role held by one person at one organisation unit."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "estate.OrganisationUnit", on_delete=models.PROTECT, related_name="role_assignments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="one_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} at {self.unit.name}"

    @property
    def scope_unit(self):
        return self.unit


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 of the secret is kept; the secret is shown to
    its owner once, when it is made."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_unit(self):
        return None

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Active"
