"""Explicit phase registration: a decorator, and explicit imports in ``datasynth.phases``.

No filesystem scanning: a phase exists because a module that is imported on purpose says so.
"""

from __future__ import annotations

from typing import TypeVar

from datasynth.runtime.phase import Phase

_REGISTRY: dict[str, type] = {}
P = TypeVar("P", bound=type)


class RegistryError(ValueError):
    """Two phases claim one name, or a phase lacks a declaration."""


def register(cls: P) -> P:
    name = getattr(cls, "name", None)
    if not name:
        raise RegistryError(f"{cls.__qualname__} has no phase name")
    if name in _REGISTRY and _REGISTRY[name] is not cls:
        raise RegistryError(f"phase name {name!r} registered twice "
                            f"({_REGISTRY[name].__qualname__}, {cls.__qualname__})")
    _REGISTRY[name] = cls
    return cls


def registered_phases() -> list[Phase]:
    """Instances of every registered phase, in declaration (import) order."""
    import datasynth.phases  # noqa: F401  - the explicit list of phase modules

    return [cls() for cls in _REGISTRY.values()]
