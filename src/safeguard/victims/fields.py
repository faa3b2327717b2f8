"""EncryptedTextField: text encrypted at rest, read back as a Sealed value that will not render itself.

A Sealed value prints as "[withheld]" wherever it ends up (a template, a serializer, a CSV cell, a log line):
the only way to its text is safeguard.victims.redaction, which asks safeguard.accounts.access who may see
it and where. So a renderer that forgets to ask shows nothing, rather than a refuge address.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from safeguard.victims import crypto

WITHHELD = "[withheld]"


class Sealed:
    """A decrypted sensitive value. str() is always WITHHELD; redaction.py opens it for those entitled."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __str__(self) -> str:
        return WITHHELD

    def __html__(self) -> str:
        return WITHHELD

    def __repr__(self) -> str:
        return "Sealed(...)"

    def __bool__(self) -> bool:
        return bool(self._text)

    def __len__(self) -> int:
        return len(self._text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other._text == self._text

    def __hash__(self) -> int:
        return hash(("sealed", self._text))

    def __reduce__(self) -> Any:  # never pickled into a cache or a session in clear
        raise TypeError("a sealed value cannot be pickled")

    def unseal(self) -> str:
        """The text. Call only from safeguard.victims.redaction (and from code that re-encrypts it)."""
        return self._text


def seal(value: str | Sealed | None) -> Sealed:
    if isinstance(value, Sealed):
        return value
    return Sealed(value or "")


class SealingAttribute(DeferredAttribute):
    """The model attribute: whatever is assigned (plain text from a form, say) is held sealed at once."""

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = seal(value)


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored as a Fernet token ("enc1:..."); empty text is stored empty (there is nothing to hide)."""

    description = "Text encrypted at rest (SAFEGUARD_FIELD_KEYS)"
    descriptor_class = SealingAttribute
    # For django-stubs: the attribute accepts text and always reads back sealed.
    _pyi_private_set_type: str | Sealed  # type: ignore[assignment]
    _pyi_private_get_type: Sealed  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Sealed:
        if not value:
            return Sealed("")
        return Sealed(crypto.decrypt(value))

    def to_python(self, value: Any) -> Sealed:
        if isinstance(value, Sealed):
            return value
        if value is None:
            return Sealed("")
        return Sealed(str(value))

    def get_prep_value(self, value: Any) -> str:
        text = value.unseal() if isinstance(value, Sealed) else ("" if value is None else str(value))
        return crypto.encrypt(text) if text else ""

    def value_to_string(self, obj: Any) -> str:  # dumpdata and serializers: ciphertext only
        return self.get_prep_value(self.value_from_object(obj))


def encrypted_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) holding encrypted text, for `safeguard keys rotate`."""
    from django.apps import apps

    return [(model, f.name) for model in apps.get_models() for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField)]
