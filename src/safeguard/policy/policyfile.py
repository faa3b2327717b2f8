"""Policy files: every deadline, interval and threshold as a setting, with dated regional changes."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

DEFAULT_POLICY_PATH = Path(__file__).with_name("default_policy.toml")


class PolicyError(ValueError):
    """A policy file that cannot be used; the message says which file and setting."""


@dataclass(frozen=True)
class PolicyChange:
    version: str
    effective_from: date
    overrides: dict[str, Any]


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    base: dict[str, Any]
    changes: tuple[PolicyChange, ...] = field(default_factory=tuple)

    def version_on(self, day: date) -> str:
        versions: dict[date, str] = self.__dict__.setdefault("_versions", {})
        found = versions.get(day)
        if found is None:
            found = self.version
            for change in self.changes:
                if change.effective_from <= day:
                    found = change.version
            versions[day] = found
        return found

    def settings_on(self, day: date) -> dict[str, Any]:
        settings = copy.deepcopy(self.base)
        for change in self.changes:
            if change.effective_from <= day:
                _merge(settings, change.overrides)
        return settings

    def rule_settings(self, rule_id: str, day: date) -> dict[str, Any]:
        return dict(self.rule_settings_view(rule_id, day))

    def rule_settings_view(self, rule_id: str, day: date) -> Mapping[str, Any]:
        """rule_settings without the copy, memoised by (rule, day): for reading only (the engine asks for a
        setting tens of times per case)."""
        views = self.rule_settings_views(rule_id)
        found = views.get(day)
        if found is None:
            found = views[day] = self._cached_settings(day)["rules"][rule_id]
        return found

    def rule_settings_views(self, rule_id: str) -> dict[date, Mapping[str, Any]]:
        """The memo behind rule_settings_view for one rule: day -> its settings (read only)."""
        views: dict[str, dict[date, Mapping[str, Any]]] = self.__dict__.setdefault("_rule_views", {})
        found = views.get(rule_id)
        if found is None:
            found = views[rule_id] = {}
        return found

    def section(self, name: str, day: date) -> dict[str, Any]:
        return dict(self._cached_settings(day)[name])

    def _cached_settings(self, day: date) -> dict[str, Any]:
        # Settings change only at change dates, so cache by the version in force.
        cache: dict[str, dict[str, Any]] = self.__dict__.setdefault("_cache", {})
        key = self.version_on(day)
        if key not in cache:
            cache[key] = self.settings_on(day)
        return cache[key]


def _merge(target: dict[str, Any], overrides: dict[str, Any]) -> None:
    for key, value in overrides.items():
        if isinstance(value, dict):
            _merge(target.setdefault(key, {}), value)
        else:
            target[key] = value


def _check_overrides(base: dict[str, Any], overrides: dict[str, Any], where: str, source: str) -> None:
    for key, value in overrides.items():
        path = f"{where}.{key}" if where else key
        if key not in base:
            raise PolicyError(f"{source}: unknown setting '{path}'")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise PolicyError(f"{source}: '{path}' must be a table of settings")
            _check_overrides(base[key], value, path, source)
        elif type(value) is not type(base[key]) and not (
            isinstance(base[key], float) and isinstance(value, int)
        ):
            raise PolicyError(
                f"{source}: setting '{path}' must be {type(base[key]).__name__}, got {value!r}"
            )


def load_default_policy() -> Policy:
    return _parse(DEFAULT_POLICY_PATH.read_text(), str(DEFAULT_POLICY_PATH), base=None)


def load_policy(path: str | Path | None = None) -> Policy:
    """The default policy, with the dated changes of a regional policy file when one is given."""
    default = load_default_policy()
    if path is None:
        return default
    text = Path(path).read_text()
    return _parse(text, str(path), base=default)


def _parse(text: str, source: str, base: Policy | None) -> Policy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from exc
    head = data.pop("policy", {})
    raw_changes = data.pop("changes", [])
    if base is None:
        return Policy(name=head.get("name", "default"), version=head["version"], base=data)
    extra = dict(data)
    if extra:
        # Plain tables in a regional file apply from the start, under the file's own version.
        raw_changes = [{"version": head.get("version", "regional"), "effective_from": "0001-01-01", **extra},
                       *raw_changes]
    changes = []
    for index, raw in enumerate(raw_changes):
        where = f"{source}: changes[{index}]"
        if "version" not in raw or "effective_from" not in raw:
            raise PolicyError(f"{where}: needs 'version' and 'effective_from'")
        effective = raw["effective_from"]
        if isinstance(effective, str):
            try:
                effective = date.fromisoformat(effective)
            except ValueError as exc:
                raise PolicyError(f"{where}: effective_from must be a date (YYYY-MM-DD)") from exc
        overrides = {k: v for k, v in raw.items() if k not in {"version", "effective_from"}}
        _check_overrides(base.base, overrides, "", f"{where} ({raw['version']})")
        changes.append(PolicyChange(version=str(raw["version"]), effective_from=effective, overrides=overrides))
    changes.sort(key=lambda c: c.effective_from)
    return Policy(name=head.get("name", base.name), version=base.version, base=base.base,
                  changes=tuple(changes))
