"""django-axes with a limit per account and a (higher) limit per client address.

Axes counts failures for each lockout parameter (`AXES_LOCKOUT_PARAMETERS = ["username",
"ip_address"]`) but compares only the largest count with one limit. A store's tablets
share one address, so the address gets its own, higher limit: its count is reported on
the account's scale (50 failures from one address weigh as 5 on one account).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class AccountAndAddressLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scaled = by_address * settings.AXES_FAILURE_LIMIT // settings.AXES_ADDRESS_FAILURE_LIMIT
        return max(by_account, scaled)
