"""Who a signed-in user is to Safeguard: a role, and the staff record or partner agency behind it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

ROLE_CHOICES = [
    ("practitioner", "Probation practitioner"),
    ("spo", "Senior probation officer"),
    ("head", "Head of delivery unit"),
    ("qa", "Quality assurance"),
    ("police", "Police domestic abuse unit"),
    ("csc", "Children's social care"),
    ("victim_worker", "Victim-facing worker"),
    ("admin", "Administrator"),
    ("integration", "Integration account (another system, API only)"),
]
PARTNER_ROLES = frozenset({"police", "csc"})
# Roles whose holders read victims' safety records (accounts.access.can_see_victims): giving one to an account
# needs a second administrator's approval (RoleApproval; issue 33, finding 7).
VICTIM_DATA_ROLES = frozenset({"victim_worker", "practitioner", "spo"})
# API-only accounts: no usable password, never a web sign-in (accounts.backends).
API_ONLY_ROLES = frozenset({"integration"})


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    unit = models.ForeignKey("workforce.DeliveryUnit", null=True, blank=True, on_delete=models.SET_NULL,
                             help_text="The delivery unit (or partner agency's area) the user works in")
    # Each session remembers the generation it was signed in under; "sign out everywhere", deactivation and a
    # two-factor reset add one, which ends every older session (safeguard.accounts.middleware).
    session_generation = models.PositiveIntegerField(default=0)
    # Set when an administrator sets the password (a temporary one, given by phone or in person): the user must
    # choose their own before reaching any page (safeguard.accounts.middleware); changing it clears this.
    must_change_password = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"

    @property
    def is_partner_agency(self) -> bool:
        return self.role in PARTNER_ROLES


class RoleApproval(models.Model):
    """A role in VICTIM_DATA_ROLES given to an account: one administrator asks (by adding the user), a second
    approves or refuses. Until it is approved the account has no usable password, so nobody can sign in to it; the
    approver is shown its temporary password. Neither administrator may be the account's holder, and the one who
    asked may not approve. Never deleted: a decision stamps who and when."""

    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_approvals")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True, help_text="Empty while waiting for a second administrator")

    def __str__(self) -> str:
        state = "waiting" if self.approved is None else "approved" if self.approved else "refused"
        return f"{self.role} for user {self.subject_id} ({state})"
