from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.events.models import Event
from portal.org.choices import NETWORK_ROLES, OrgEventKind, Role, StoreFormat


class Region(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:region_detail", kwargs={"code": self.code})


class Store(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="stores", verbose_name=_("region")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    format = models.CharField(_("format"), max_length=20, choices=StoreFormat.choices)
    opened_on = models.DateField(_("opened on"))
    lp_launch_date = models.DateField(_("LP launch date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        indexes = [models.Index(fields=["region", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("org:store_detail", kwargs={"code": self.code})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str | None = None, password: str | None = None, **fields) -> User:
        # Sellers often have no work e-mail: they sign in with their personnel number.
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str | None = None, password: str | None = None, **fields
    ) -> User:
        fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A person of the chain. Logs in by e-mail or personnel number.

    The e-mail is optional (HR exports of store staff often carry none): such a person
    gets a first password through an activation code from their store manager and
    reads every notification in the portal's inbox. "No e-mail" is NULL, so the unique
    index admits any number of them."""

    username = None
    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    personnel_number = models.CharField(_("personnel number"), max_length=20, unique=True)
    middle_name = models.CharField(_("patronymic"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, db_index=True)
    store = models.ForeignKey(
        Store,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("home store"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("home region"),
        help_text=_("For regional managers; store people belong to their store's region."),
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    position_since = models.DateField(
        _("in current position since"),
        null=True,
        blank=True,
        help_text=_("Set when the role or home store changes; reading deadlines count from it."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["personnel_number", "last_name", "first_name"]

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                name="org_user_store_roles_have_store",
                condition=~Q(role__in=["store_staff", "store_manager"]) | Q(store__isnull=False),
            ),
            models.CheckConstraint(
                name="org_user_regional_manager_has_region",
                condition=~Q(role="regional_manager") | Q(region__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.personnel_number

    def save(self, *args, **kwargs) -> None:
        if not self.email:
            self.email = None  # forms and AbstractUser.clean() say "no e-mail" as ""
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def started_on(self):
        """The day this person took up their current role and place."""
        return self.position_since or self.hire_date or self.date_joined.date()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_network_role(self) -> bool:
        return self.role in NETWORK_ROLES


class OrgEvent(Event):
    """One row per change to the organisation: who did what, when."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrgEventKind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("region")
    )
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("store")
    )
    person = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="org_events",
        verbose_name=_("person"),
    )

    class Meta(Event.Meta):
        verbose_name = _("organisation event")
        verbose_name_plural = _("organisation events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class ActivationCode(models.Model):
    """A one-time code with which a person without e-mail sets their first password.

    Issued by their store manager (or a manager above), valid `ACTIVATION_CODE_TTL`, used
    once; a new code voids the one before, and too many wrong tries block it. Only a
    keyed hash of the code is stored: the plain code is shown once, to the issuer."""

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="activation_codes", verbose_name=_("person")
    )
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64)
    issued_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        constraints = [
            # At most one open code per person: issuing voids the previous one.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(used_at__isnull=True, voided_at__isnull=True),
                name="org_activationcode_one_open_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.issued_at:%Y-%m-%d %H:%M}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.voided_at is None and now < self.expires_at
