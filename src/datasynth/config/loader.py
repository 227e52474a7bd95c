"""Reading configuration files and turning every failure into one readable ConfigurationError.

A user sees ``field.path[2].name: message (got 'value')`` for each problem, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from datasynth.errors import ConfigurationError

if TYPE_CHECKING:
    from datasynth.config.config import Config

_MAX_SHOWN = 12


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so pydantic reports a bad date with its path."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_config(path: str | Path) -> Config:
    """Read and validate a YAML configuration file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(f"configuration file not found: {path}", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read configuration file {path}: {exc}",
                                 source=str(path)) from None
    return parse_config(text, source=str(path))


def parse_config(text: str, source: str = "<string>") -> Config:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigurationError(f"{source}: not valid YAML{where}: {problem}",
                                 source=source) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigurationError(f"{source}: expected a mapping of sections at the top level, "
                                 f"got {type(data).__name__}", source=source)
    return validate_config(data, source)


def validate_config(data: dict[str, Any], source: str = "<dict>") -> Config:
    from datasynth.config.config import Config

    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(err) for err in exc.errors(include_url=False)]
        raise ConfigurationError(_message(source, problems), problems=problems,
                                 source=source) from None


def _message(source: str, problems: list[tuple[str, str]]) -> str:
    if len(problems) == 1:
        path, text = problems[0]
        return f"invalid configuration in {source}: {path}: {text}"
    lines = [f"invalid configuration in {source} ({len(problems)} problems):"]
    lines += [f"  {path}: {text}" for path, text in problems[:_MAX_SHOWN]]
    if len(problems) > _MAX_SHOWN:
        lines.append(f"  ... and {len(problems) - _MAX_SHOWN} more")
    return "\n".join(lines)


def _describe(err: dict[str, Any]) -> tuple[str, str]:
    from datasynth.config.config import Config, _LocatedError

    loc = tuple(err.get("loc", ()))
    value = err.get("input")
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, _LocatedError):
        return format_path(cause.loc), f"{cause} (got {cause.value!r})"
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(Config, loc[:-1])
        hint = f"; allowed keys here: {', '.join(allowed)}" if allowed else ""
        return format_path(loc), f"unknown key{hint}"
    if kind == "missing":
        return format_path(loc), "required field is missing"
    message = str(err.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    if kind.startswith("literal_error"):
        message = message.replace("Input should be", "expected one of")
    message = message.replace("Input should be", "expected")
    return format_path(loc), f"{message} (got {_short(value)})"


def format_path(loc: tuple[Any, ...]) -> str:
    """``('companies', 1, 'code')`` -> ``companies[1].code``; pydantic's union tags dropped."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and (part.startswith(("list[", "literal[", "function-"))
                                        or part in {"str", "int", "float"}):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out or "<top level>"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Walk the model tree along ``loc`` and list the keys accepted at that level."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        fields = current.model_fields
        field = next((f for name, f in fields.items() if (f.alias or name) == part), None)
        if field is None:
            return []
        current = _model_of(field.annotation)
    if current is None:
        return []
    return sorted((f.alias or name) for name, f in current.model_fields.items())


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    return None
