"""API tokens for other systems, the outbox of domain events, webhook subscriptions and their delivery log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from safeguard.api.names import SCOPE_HELP, SCOPES
from safeguard.victims.fields import EncryptedTextField

__all__ = ["SCOPES", "SCOPE_HELP", "ApiToken", "OutboxEvent", "WebhookAttempt", "WebhookDelivery",
           "WebhookSubscription"]


class ApiToken(models.Model):
    """A token another system uses instead of a session. Only the SHA-256 of the secret is stored: the secret is
    shown once, when the token is created. A token acts as its user (same access), narrowed by its scopes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for (the system using it)")
    prefix = models.CharField(max_length=12, db_index=True, help_text="The token's first characters, to recognise it")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 (hex) of the whole token")
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class OutboxEvent(models.Model):
    """A domain event, written in the same transaction as the change it describes (so it exists if and only if
    the change was committed). Payloads carry identifiers, refs and kinds only: never names, addresses or text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=60, db_index=True)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    case_ref = models.CharField(max_length=60, blank=True, db_index=True)
    payload = models.JSONField(default=dict)
    dispatched_at = models.DateTimeField(null=True, blank=True, db_index=True,
                                         help_text="When deliveries were created for the subscriptions")

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.type} {self.case_ref} {self.occurred_at:%Y-%m-%d %H:%M:%S}"


class WebhookSubscription(models.Model):
    """Where to send which domain events. The secret signs each delivery (HMAC-SHA256): the signer needs it, so
    it cannot be hashed; it is encrypted at rest with the field keys (SAFEGUARD_FIELD_KEYS, rotated by
    `safeguard keys rotate`) and read back sealed (`secret.unseal()` only where a delivery is signed)."""

    name = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=500)
    secret = EncryptedTextField(help_text="The signing secret, encrypted at rest")
    event_types = models.JSONField(default=list, help_text="Event types to send; empty means all")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookDelivery(models.Model):
    """One event to one subscription: pending until delivered, retried with exponential back-off, failed after
    the last attempt."""

    STATUSES = [("pending", "pending"), ("delivered", "delivered"), ("failed", "failed")]
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=STATUSES, default="pending")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "subscription"], name="webhook_delivery_unique")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event.type} → {self.subscription} ({self.status})"


class WebhookAttempt(models.Model):
    """The delivery log: every attempt, its HTTP status or error, and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    milliseconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number} at {self.at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
