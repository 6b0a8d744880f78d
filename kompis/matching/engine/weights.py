"""Score weights, with TOML loading.

Each score component has a float ``weight`` (points it contributes at most) and a ``must``
flag that turns the preference into a hard rule:

=====================  ====  ===============================================================
component              def.  ``must = true`` means
=====================  ====  ===============================================================
``interests``          25    the pair shares at least one interest
``age``                15    the age difference is below ``age_span_years``
``waiting``            20    (not allowed: waiting time cannot be a rule)
``swedish``            10    the established participant speaks Swedish (``sv``)
``proximity``          15    both live in the same municipality (even for digital meetings)
``family_situation``    5    both have children or both have none
``availability``       10    they share at least one availability slot
=====================  ====  ===============================================================

The defaults sum to 100, so a pair's score lies in 0-100.

TOML layout (every key optional)::

    interests_full_at = 3
    age_span_years = 20
    waiting_cap_days = 365

    [interests]
    weight = 30
    must = true

    [age]
    weight = 10
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

COMPONENTS: tuple[str, ...] = (
    "interests",
    "age",
    "waiting",
    "swedish",
    "proximity",
    "family_situation",
    "availability",
)

_DEFAULT_WEIGHTS: dict[str, float] = {
    "interests": 25.0,
    "age": 15.0,
    "waiting": 20.0,
    "swedish": 10.0,
    "proximity": 15.0,
    "family_situation": 5.0,
    "availability": 10.0,
}


class WeightsError(ValueError):
    """Invalid weights configuration."""


@dataclass(frozen=True, slots=True)
class Component:
    """A score component: ``weight`` points at most; ``must`` makes it a hard rule."""

    weight: float
    must: bool = False


#: default (weight, not must) per component; frozen, so safe to share as dataclass defaults
DEFAULT_COMPONENTS = {name: Component(w) for name, w in _DEFAULT_WEIGHTS.items()}


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the score components (see the module docstring for the meaning)."""

    interests: Component = DEFAULT_COMPONENTS["interests"]
    age: Component = DEFAULT_COMPONENTS["age"]
    waiting: Component = DEFAULT_COMPONENTS["waiting"]
    swedish: Component = DEFAULT_COMPONENTS["swedish"]
    proximity: Component = DEFAULT_COMPONENTS["proximity"]
    family_situation: Component = DEFAULT_COMPONENTS["family_situation"]
    availability: Component = DEFAULT_COMPONENTS["availability"]
    #: number of shared interests that earns the full interest weight
    interests_full_at: int = 3
    #: age difference (years) at which the age points reach zero
    age_span_years: int = 20
    #: waiting days beyond which waiting earns no more points
    waiting_cap_days: int = 365

    def __post_init__(self) -> None:
        for name in COMPONENTS:
            comp = getattr(self, name)
            if not isinstance(comp, Component):
                raise WeightsError(f"{name}: expected a Component")
            if not (comp.weight >= 0.0) or comp.weight > 1000.0:
                raise WeightsError(f"{name}: weight must be between 0 and 1000, got {comp.weight!r}")
        if self.waiting.must:
            raise WeightsError("waiting: 'must' is not supported (waiting time cannot be a hard rule)")
        if self.interests_full_at < 1:
            raise WeightsError("interests_full_at must be at least 1")
        if self.age_span_years < 1:
            raise WeightsError("age_span_years must be at least 1")
        if self.waiting_cap_days < 1:
            raise WeightsError("waiting_cap_days must be at least 1")

    @property
    def max_score(self) -> float:
        return float(sum(getattr(self, n).weight for n in COMPONENTS))

    def musts(self) -> frozenset[str]:
        """Names of the components marked ``must``."""
        return frozenset(n for n in COMPONENTS if getattr(self, n).must)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Weights:
        """Build from a mapping shaped like the TOML file; unknown keys raise :class:`WeightsError`."""
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise WeightsError(f"unknown weights key {key!r}")
            if key in COMPONENTS:
                base = Component(_DEFAULT_WEIGHTS[key])
                if isinstance(value, int | float) and not isinstance(value, bool):
                    kwargs[key] = replace(base, weight=float(value))
                elif isinstance(value, Mapping):
                    extra = set(value) - {"weight", "must"}
                    if extra:
                        raise WeightsError(f"{key}: unknown keys {sorted(extra)}")
                    weight = value.get("weight", base.weight)
                    must = value.get("must", False)
                    if isinstance(weight, bool) or not isinstance(weight, int | float):
                        raise WeightsError(f"{key}.weight must be a number")
                    if not isinstance(must, bool):
                        raise WeightsError(f"{key}.must must be true or false")
                    kwargs[key] = Component(float(weight), must)
                else:
                    raise WeightsError(f"{key}: expected a number or a table")
            else:
                if isinstance(value, bool) or not isinstance(value, int):
                    raise WeightsError(f"{key} must be an integer")
                kwargs[key] = value
        return cls(**kwargs)

    @classmethod
    def from_toml(cls, path: str | Path) -> Weights:
        """Load from a TOML file (see the module docstring for the layout)."""
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise WeightsError(f"{path}: {exc}") from exc
        return cls.from_mapping(data)
