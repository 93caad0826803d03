from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STORE_STAFF = "store_staff", _("Sales assistant / cashier")
    STORE_MANAGER = "store_manager", _("Store manager")
    AUDITOR = "auditor", _("Auditor (mystery shopper)")
    REGIONAL_MANAGER = "regional_manager", _("Regional manager")
    CALL_CENTER_AGENT = "call_center_agent", _("Hotline operator")
    CALL_CENTER_SUPERVISOR = "call_center_supervisor", _("Senior hotline operator")
    LP_MANAGER = "lp_manager", _("Loyalty programme manager (HQ)")
    ADMIN = "admin", _("Administrator")


# Who sees how much of the network (DOMAIN.md, "Scope").
STORE_ROLES = frozenset({Role.STORE_STAFF, Role.STORE_MANAGER})
REGION_ROLES = frozenset({Role.REGIONAL_MANAGER})
NETWORK_ROLES = frozenset({Role.LP_MANAGER, Role.ADMIN})
# The hotline finds any store (code, name, address, region) and sees nothing else of one.
DIRECTORY_ROLES = frozenset({Role.CALL_CENTER_AGENT, Role.CALL_CENTER_SUPERVISOR})
OWN_ASSIGNMENT_ROLES = frozenset({Role.AUDITOR})


class StoreFormat(models.TextChoices):
    HYPERMARKET = "hyper", _("Hypermarket")
    SUPERMARKET = "super", _("Supermarket")
    CONVENIENCE = "convenience", _("Convenience store")
    OUTLET = "outlet", _("Outlet")


class OrgEventKind(models.TextChoices):
    REGION_CREATED = "region_created", _("Region created")
    REGION_UPDATED = "region_updated", _("Region updated")
    STORE_CREATED = "store_created", _("Store created")
    STORE_UPDATED = "store_updated", _("Store updated")
    PERSON_CREATED = "person_created", _("Person created")
    PERSON_UPDATED = "person_updated", _("Person updated")
    PERSON_DEACTIVATED = "person_deactivated", _("Person deactivated")
    IMPORT_APPLIED = "import_applied", _("Import applied")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Second factor enrolled")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset")
    SECOND_FACTOR_RECOVERY_USED = "second_factor_recovery_used", _("Recovery code used")
    SECOND_FACTOR_CODES_RENEWED = "second_factor_codes_renewed", _("Recovery codes renewed")
    RESPONSIBILITY_SET = "responsibility_set", _("Responsibility assigned")
    ACTIVATION_CODE_ISSUED = "activation_code_issued", _("Activation code issued")
    ACTIVATION_CODE_USED = "activation_code_used", _("Account activated with a code")
    ACTIVATION_CODE_BLOCKED = (
        "activation_code_blocked",
        _("Activation code blocked after wrong attempts"),
    )
