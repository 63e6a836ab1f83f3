"""People, the organizations they belong to, and invitations into them."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from collections.abc import Iterable


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. The e-mail address is the login; there is no username."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """What other people see: the name, never the full e-mail address.

        Pages shown to partners and beneficiaries name people through this, so an
        address stays with those who manage the account.
        """
        return self.name or self.email.split("@", 1)[0]

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.display_name

    def _membership_rows(self) -> tuple[tuple[int, str, str, str, bool], ...]:
        """(organization id, role, organization kind, organization status, whether the
        organization requires two-factor sign-in) of every membership, read once.

        Every helper below derives from these rows, so a request that asks several of
        them (the page, its permission checks, the navigation, the two-factor check of
        every request) pays one query.
        """
        cached = self.__dict__.get("_membership_cache")
        if cached is None:
            # order_by() drops the default ordering, which would join users for nothing.
            cached = tuple(
                self.memberships.order_by().values_list(
                    "organization_id",
                    "role",
                    "organization__kind",
                    "organization__status",
                    "organization__requires_mfa",
                )
            )
            self._membership_cache = cached
        return cached

    def _derived[T](self, attr: str, values: Iterable[T]) -> set[T]:
        cached = self.__dict__.get(attr)
        if cached is None:
            cached = set(values)
            setattr(self, attr, cached)
        return cached

    def organization_ids(self) -> set[int]:
        """Ids of the organizations this person belongs to, cached on the instance."""
        return self._derived("_organization_ids", (row[0] for row in self._membership_rows()))

    def admin_organization_ids(self) -> set[int]:
        return self._derived(
            "_admin_organization_ids",
            (
                org_id
                for org_id, role, _kind, _status, _mfa in self._membership_rows()
                if role == Membership.Role.ADMIN
            ),
        )

    def city_ids(self) -> set[int]:
        """Ids of the cities this person works for: approved ones and those waiting for
        review (which prepare their partnerships in private), never a declined one."""
        return self._derived(
            "_city_ids",
            (
                org_id
                for org_id, _role, kind, status, _mfa in self._membership_rows()
                if kind == Organization.Kind.CITY and status != Organization.Status.DECLINED
            ),
        )

    def organization_kinds(self) -> set[str]:
        """The kinds of the organizations this person belongs to (city, enterprise ...)."""
        return self._derived("_organization_kinds", (row[2] for row in self._membership_rows()))

    def mfa_required(self) -> bool:
        """Whether an organization of this person asks its members to sign in with two
        factors."""
        return any(row[4] for row in self._membership_rows())

    def forget_memberships(self) -> None:
        for attr in (
            "_membership_cache",
            "_organization_ids",
            "_admin_organization_ids",
            "_city_ids",
            "_organization_kinds",
        ):
            self.__dict__.pop(attr, None)


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def cities(self) -> OrganizationQuerySet:
        return self.filter(kind=Organization.Kind.CITY)

    def listed(self) -> OrganizationQuerySet:
        """What the public may see (a directory, a public page): approved organizations only.
        A city waiting for review, or declined, stays private."""
        return self.filter(status=Organization.Status.APPROVED)

    def awaiting_review(self) -> OrganizationQuerySet:
        return self.filter(status=Organization.Status.PENDING)

    def of_user(self, user: User) -> OrganizationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Organization(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City government")
        SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
        COMMUNITY_GROUP = "community_group", _("Community group")
        FUNDER = "funder", _("Funder")
        # Social enterprises of a city speaking with one voice (cities.NetworkMember).
        NETWORK = "network", _("Network of social enterprises")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("Two-letter country code, e.g. US, BR, MX.")
    )
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Languages the organization works in, separated by commas."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Cities registered by their own officials wait for the Tandem team's review.
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPROVED
    )
    review_note = models.TextField(
        _("reason"), blank=True, help_text=_("Why the registration was declined.")
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # City staff and entrepreneurs handle private data: an organization's administrators
    # may ask every member to sign in with a second factor.
    requires_mfa = models.BooleanField(
        _("requires two-factor authentication"),
        default=False,
        help_text=_("Every member must sign in with an authenticator app or a passkey."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    history = HistoricalRecords()
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = unique_slug(self.name)
        self.country = self.country.upper()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_city(self) -> bool:
        return self.kind == self.Kind.CITY

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


def unique_slug(name: str, taken: Iterable[str] = ()) -> str:
    base = slugify(name)[:70] or "organization"
    slug, n = base, 2
    taken_set = set(taken)
    while slug in taken_set or Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry() -> object:
    return timezone.now() + timedelta(days=14)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def addressed_to(self, user: User) -> InvitationQuerySet:
        """Invitations sent to one of this person's verified addresses: those they may accept."""
        from allauth.account.models import EmailAddress

        if not user.is_authenticated:
            return self.none()
        addresses = [
            address.lower()
            for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        ]
        return self.filter(email__in=addresses).exclude(
            organization__status=Organization.Status.DECLINED
        )


class Invitation(models.Model):
    """An offer to join an organization, sent to an e-mail address."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
