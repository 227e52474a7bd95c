"""The plan: enabled phases ordered by what they require and provide.

Phases are sorted topologically with declaration order as the tie-break. Duplicate providers,
missing inputs and cycles are rejected before any work starts. A phase may also ``extend`` a
table another phase provides (add part files to it): it runs after the provider, and every
phase that requires the table runs after all its extenders, so readers see the whole table. The plan also knows which tables
must be kept for later phases (``retained``) and which are written out (``exported``).
A phase whose inputs depend on the configuration (data quality reads only the tables a user
picks) narrows its ``requires`` with a ``requires_for(config)`` method, and one whose outputs
do (anomaly labels only when injection is on) its ``provides`` with ``provides_for(config)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from datasynth.errors import ConfigurationError
from datasynth.runtime.phase import Phase
from datasynth.schemas.registry import table_spec

if TYPE_CHECKING:
    from datasynth.config import Config


class PlanError(ConfigurationError):
    """The phases cannot be ordered: duplicate provider, missing input or cycle."""


@dataclass(frozen=True)
class Plan:
    phases: tuple[Phase, ...]
    retained: frozenset[str]         # tables a later phase reads
    exported: tuple[str, ...]        # tables written to the output, in plan order

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.phases]

    def describe(self, config: Config | None = None) -> list[dict[str, object]]:
        """One row per step, for ``datasynth-data info --plan``."""
        rows: list[dict[str, object]] = [{"step": "initialize", "requires": [],
                                          "provides": [], "shards": 1,
                                          "description": "validate config, build the plan, "
                                                         "check the output is writable"}]
        for phase in self.phases:
            rows.append({"step": phase.name,
                         "requires": list(requires_of(phase, config) if config is not None
                                          else phase.requires),
                         "provides": list(writes_of(phase, config)),
                         "shards": len(phase.shards(config)) if config is not None else None,
                         "description": phase.description})
        rows.append({"step": "export", "requires": list(self.exported), "provides": [],
                     "shards": 1, "description": "check every part file is in place, write the "
                                                 "manifest (status complete)"})
        return rows


def build_plan(phases: list[Phase], config: Config) -> Plan:
    active = [p for p in phases if p.enabled(config)]
    provider: dict[str, Phase] = {}
    for phase in active:
        for table in provides_of(phase, config):
            table_spec(table)   # every provided table has a schema
            if table in provider:
                raise PlanError(f"table {table!r} is provided by both {provider[table].name!r} "
                                f"and {phase.name!r}")
            provider[table] = phase
    extenders: dict[str, list[Phase]] = {}
    for phase in active:
        for table in extends_of(phase):
            if table not in provider:
                raise PlanError(f"phase {phase.name!r} extends {table!r}, which no enabled "
                                "phase provides")
            extenders.setdefault(table, []).append(phase)
    requires = {phase.name: requires_of(phase, config) for phase in active}
    for phase in active:
        for table in requires[phase.name]:
            if table not in provider:
                raise PlanError(f"phase {phase.name!r} requires {table!r}, which no enabled "
                                "phase provides")
    ordered = _toposort(active, provider, extenders, requires)
    retained = frozenset(t for p in ordered for t in requires[p.name])
    exported = tuple(t for p in ordered for t in provides_of(p, config)
                     if table_spec(t).exported)
    return Plan(tuple(ordered), retained, exported)


def requires_of(phase: Phase, config: Config) -> tuple[str, ...]:
    """The tables ``phase`` reads under ``config``: ``requires``, or the subset of it that
    the phase's optional ``requires_for(config)`` names."""
    narrow = getattr(phase, "requires_for", None)
    return tuple(phase.requires) if narrow is None else tuple(narrow(config))


def extends_of(phase: Phase) -> tuple[str, ...]:
    return tuple(getattr(phase, "extends", ()))


def provides_of(phase: Phase, config: Config | None) -> tuple[str, ...]:
    """The tables ``phase`` provides under ``config``: ``provides``, or the subset of it that
    the phase's optional ``provides_for(config)`` names (the books write anomaly labels only
    when injection is on)."""
    narrow = getattr(phase, "provides_for", None)
    return tuple(phase.provides) if narrow is None or config is None else tuple(narrow(config))


def writes_of(phase: Phase, config: Config | None = None) -> tuple[str, ...]:
    """Every table a phase may emit: what it provides and what it extends."""
    return provides_of(phase, config) + extends_of(phase)


def _toposort(active: list[Phase], provider: dict[str, Phase],
              extenders: dict[str, list[Phase]],
              requires: dict[str, tuple[str, ...]]) -> list[Phase]:
    """Kahn's algorithm; among ready phases the earliest declared goes first."""
    position = {p.name: i for i, p in enumerate(active)}
    deps: dict[str, set[str]] = {}
    for p in active:
        needed = {provider[t].name for t in (*requires[p.name], *extends_of(p))}
        needed |= {e.name for t in requires[p.name] for e in extenders.get(t, ())}
        deps[p.name] = needed - {p.name}
    done: list[Phase] = []
    remaining = dict(deps)
    while remaining:
        ready = sorted((n for n, d in remaining.items() if not d), key=position.__getitem__)
        if not ready:
            cycle = ", ".join(sorted(remaining))
            raise PlanError(f"phases depend on each other in a cycle: {cycle}")
        name = ready[0]
        done.append(active[position[name]])
        del remaining[name]
        for other in remaining.values():
            other.discard(name)
    return done
