"""What Safeguard accepts, in one place: lengths, references, names, request bodies and JSON nesting.

Every path that takes input (web forms, the API, `safeguard import`, `safeguard import-extract`, the actions)
asks this module, so a value is held to the same limit whichever way it arrives and whichever database it is
stored in (SQLite does not enforce a column's length; PostgreSQL does, so a value that SQLite took would
break a restore into PostgreSQL). docs/security.md, "Red-team findings (issue 33): limits", lists them.

Plain Python, no Django: the model check below reads a model instance's `_meta` but imports nothing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

TEXT_MAX = 10_000  # free text: a note, an analysis, a question, a safety plan, a reason
CONTACT_MAX = 500  # one contact detail (an address, a phone number, an email) or a support worker's phone
NAME_MAX = 100  # a region, delivery unit (PDU) or team name (their columns)
CASE_REF_MAX = 60  # Case.ref
LOCAL_REF_MAX = 40  # a person's or a member of staff's ref within a case or a timeline (LinkedPerson.ref, Staff.code)
BODY_MAX = 2_621_440  # bytes in one request body (2.5 MB, Django's default, set explicitly): more is 413
JSON_DEPTH_MAX = 32  # nesting of arrays and objects in a JSON document: deeper is 400

# Encrypted and other text columns with a limit of their own ("app_label.Model.field"); every other text
# column (TextField, EncryptedTextField) without a max_length is held to TEXT_MAX.
TEXT_LIMITS: dict[str, int] = {
    "victims.ContactDetail.value": CONTACT_MAX,
    "victims.SupportWorker.phone": CONTACT_MAX,
}

# A case ref goes into URLs, file names and the audit log: letters and digits, then also '-', '_' or '.'.
CASE_REF = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{CASE_REF_MAX - 1}}}")
CASE_REF_RULE = f"letters, digits, '-', '_' or '.', starting with a letter or digit, at most {CASE_REF_MAX}"
# A person's, address's or member of staff's ref within a case.
LOCAL_REF = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{LOCAL_REF_MAX - 1}}}")
LOCAL_REF_RULE = f"letters, digits, '-', '_' or '.', starting with a letter or digit, at most {LOCAL_REF_MAX}"


class Refused(ValueError):
    """A value these rules refuse, met where it is about to be stored (a model about to be saved, a case or a
    unit about to be made): nothing is saved. The web answers 400 with a plain error page, the API a 400
    problem document naming the field, the commands exit 2 naming it."""

    def __init__(self, where: str, field: str, problem: str):
        self.where, self.field, self.problem = where, field, problem
        super().__init__(f"{where}: field '{field}': {problem}")


def case_ref_problem(value: Any) -> str | None:
    """Why `value` is not a case ref, or None when it is one."""
    if isinstance(value, str) and CASE_REF.fullmatch(value):
        return None
    return f"expected a case ref ({CASE_REF_RULE}), got {_shown(value)}"


def local_ref_problem(value: Any) -> str | None:
    """Why `value` is not a person's or staff ref, or None when it is one."""
    if isinstance(value, str) and LOCAL_REF.fullmatch(value):
        return None
    return f"expected a ref ({LOCAL_REF_RULE}), got {_shown(value)}"


def _is_hidden(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}


def name_problem(value: Any, limit: int = NAME_MAX) -> str | None:
    """Why `value` is not a unit, team or region name (plain text on one line, no markup), or None."""
    if not isinstance(value, str) or not value.strip():
        return f"expected a name, got {_shown(value)}"
    if len(value) > limit:
        return f"expected a name of at most {limit} characters, got {len(value)}"
    if any(c in "<>" or _is_hidden(c) for c in value):
        return f"expected a name without '<', '>' or control characters, got {_shown(value)}"
    return None


def text_problem(value: str, limit: int = TEXT_MAX) -> str | None:
    """Why free text is too long, or None."""
    if len(value) > limit:
        return f"expected text of at most {limit:,} characters, got {len(value):,}"
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


def json_depth_exceeds(text: str | bytes, limit: int = JSON_DEPTH_MAX) -> bool:
    """Whether a JSON document nests arrays and objects more than `limit` deep (read without recursion, before
    json.loads, which would give up with a RecursionError a few thousand levels down)."""
    data = text.encode() if isinstance(text, str) else text
    depth, in_string, escaped = 0, False, False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False


def text_limit(model_label: str, field: Any) -> int | None:
    """The most characters `field` of the model `model_label` ("app.Model") may hold, or None for no limit."""
    if field.max_length:
        return int(field.max_length)
    if field.get_internal_type() == "TextField":
        return TEXT_LIMITS.get(f"{model_label}.{field.name}", TEXT_MAX)
    return None


def field_limit(model: Any, name: str) -> int | None:
    """The most characters the model's field `name` may hold: a form's or serializer's max_length."""
    return text_limit(model._meta.label, model._meta.get_field(name))


def check_lengths(instance: Any) -> None:
    """Raise Refused when a text column of this model instance holds more than it may: the check every save
    makes (a pre_save receiver, see safeguard.audit.apps)."""
    check_row(type(instance), instance.__dict__)


def check_row(model: Any, row: Mapping[str, Any]) -> None:
    """The same for a row of `model` given as {attname: value}: what the bulk writer (actions.rows) inserts or
    updates with bulk_create, COPY or QuerySet.update, which send no pre_save."""
    for attname, name, limit in _limited_columns(model):
        value = row.get(attname)
        if value is None or not hasattr(value, "__len__"):
            continue
        if len(value) > limit:
            raise Refused(model._meta.label, name, f"at most {limit:,} characters, got {len(value):,}")


@functools.cache
def _limited_columns(model: Any) -> tuple[tuple[str, str, int], ...]:
    """(attname, name, limit) of each text column of `model` with a limit: worked out once per model, since
    check_row runs on every save and on every row the bulk writer sends."""
    meta = model._meta
    return tuple((field.attname, field.name, limit) for field in meta.concrete_fields
                 if field.get_internal_type() in {"CharField", "TextField", "SlugField"}
                 and (limit := text_limit(meta.label, field)) is not None)
