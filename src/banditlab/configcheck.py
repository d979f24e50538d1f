"""Config validation with errors that fit on one screen.

`validate_block` runs ``snakemake.utils.validate`` (the workflow's standard: it also fills the schema's
defaults into the block) and, when the block breaks its schema, replaces Snakemake's message (the failing
schema printed in full, hundreds of lines for an unknown key) with one line: the offending key by its full
dotted path, block included (``bandits.regret_vs_t.T_per_instance``), its value, and the allowed values or
range. ``workflow/rules/common.smk`` validates the top level and every study block with it.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import jsonschema
import yaml
from snakemake.exceptions import WorkflowError

__all__ = ["ConfigError", "MISPLACED_TARGET_KEY", "describe_error", "dotted_path", "validate_block"]

# The key of the files named after the workflow's rule targets at the repository root (e.g. `publish`): snakemake
# reads every word after --configfile as a config file, so `snakemake --configfile config/paper.yaml publish`
# loads `publish` as a config, and the key tells the validation to say so.
MISPLACED_TARGET_KEY = "_target_after_configfile"
# The schemas' pattern for a class of the user's own (banditlab.registry), said in words.
IMPORT_PATH_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$"
_TYPE_WORDS = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


class ConfigError(WorkflowError):
    """A config that breaks its schema; the message is one line: dotted key, value, what is allowed."""


def validate_block(config_block: dict, schema_path: str | Path, block_name: str | None = None) -> dict:
    """Validate ``config_block`` against the JSON schema at ``schema_path`` and fill in its defaults.

    Parameters
    ----------
    config_block : dict
        The config (``block_name=None``) or one of its blocks (``config["bandits"]``); defaults are filled in place.
    schema_path : str or Path
        The schema file (absolute, or relative to the working directory).
    block_name : str, optional
        The block's key in the config, the first part of every dotted path in the messages.

    Returns
    -------
    dict
        ``config_block``, with the schema's defaults filled in.

    Raises
    ------
    ConfigError
        When the block breaks the schema: one line naming the key (``bandits.regret_vs_t.T_per_instance = -400:
        allowed: an integer >= 10``); for a config file named after a target (`publish`), how to order the words.
    """
    from snakemake.utils import validate

    if block_name is None and MISPLACED_TARGET_KEY in config_block:
        raise ConfigError(misplaced_target_message(config_block[MISPLACED_TARGET_KEY]))
    try:
        validate(config_block, schema=str(schema_path))
    except WorkflowError as error:
        cause = _validation_error(error)
        if cause is None:
            raise
        root = yaml.safe_load(Path(schema_path).read_text())
        raise ConfigError(describe_error(cause, block_name, root)) from None
    return config_block


def misplaced_target_message(target: str, argv: list[str] | None = None) -> str:
    """Why ``target`` came in as a config file, and the command with the target first (from ``sys.argv``)."""
    words = list(sys.argv[1:] if argv is None else argv)
    if target in words:
        words.remove(target)
    command = " ".join(["snakemake", target, *words])
    return (
        f"'{target}' was read as a config file (snakemake reads every word after --configfile as one); "
        f"put targets first: {command}"
    )


def _validation_error(error: BaseException) -> jsonschema.ValidationError | None:
    """The jsonschema error inside Snakemake's ``WorkflowError("Error validating config file.", error)``."""
    for candidate in (*error.args, error.__cause__, error.__context__):
        if isinstance(candidate, jsonschema.ValidationError):
            return candidate
    return None


def dotted_path(block_name: str | None, path: Iterable) -> str:
    """``bandits.regret_vs_t.T_per_instance``, ``estimation.estimators[0]``: the key as the config nests it."""
    text = block_name or ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the config"


def _value(value) -> str:
    text = json.dumps(value) if not isinstance(value, dict) else "{" + ", ".join(map(str, value)) + "}"
    return text if len(text) <= 60 else text[:57] + "..."


def _resolve(schema, root: dict | None):
    """``schema`` with its local ``$ref`` (``#/$defs/point``) merged in, as the validator reads it."""
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/"):
        target = root or {}
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        schema = {**target, **{key: value for key, value in schema.items() if key != "$ref"}}
    return schema


def describe_schema(schema, root: dict | None = None) -> str:
    """What ``schema`` allows, in words: ``an integer >= 10``, ``one of uniform, gaussian``, ``a list of ...``.

    ``root`` is the whole schema, for the local references (``$ref: "#/$defs/..."``)."""
    schema = _resolve(schema, root)
    if not isinstance(schema, dict):
        return "nothing" if schema is False else "anything"
    for combinator in ("anyOf", "oneOf"):
        if isinstance(schema.get(combinator), list):
            outer = {key: value for key, value in schema.items() if key not in ("anyOf", "oneOf", "description")}
            return ", or ".join(describe_schema({**outer, **alternative}, root) for alternative in schema[combinator])
    if "const" in schema:
        return _value(schema["const"])
    if "enum" in schema:
        return "one of " + ", ".join(str(item) for item in schema["enum"])
    if schema.get("pattern") == IMPORT_PATH_PATTERN:
        return "the import path of a class of your own (package.module:ClassName)"
    if "pattern" in schema:
        return f"a string matching {schema['pattern']}"
    kind = schema.get("type")
    words = _TYPE_WORDS.get(kind, str(kind)) if isinstance(kind, str) else "a value"
    bounds = [
        f"{symbol} {schema[key]:g}"
        for key, symbol in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="), ("exclusiveMaximum", "<"))
        if isinstance(schema.get(key), int | float) and not isinstance(schema.get(key), bool)
    ]
    if bounds:
        words += " " + " and ".join(bounds)
    if kind == "object" and schema.get("properties"):
        words += " with keys " + ", ".join(schema["properties"])
    if kind == "array":
        if schema.get("minItems"):
            words += f" of at least {schema['minItems']} item{'s' if schema['minItems'] != 1 else ''}"
        if schema.get("uniqueItems"):
            words += ", no item twice"
        if isinstance(schema.get("items"), dict) and schema["items"]:
            words += f", each {describe_schema(schema['items'], root)}"
    return words


def _unknown_keys(error: jsonschema.ValidationError, schema: dict) -> list[str]:
    known = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        key for key in error.instance if key not in known and not any(re.search(pattern, key) for pattern in patterns)
    ]


def describe_error(error: jsonschema.ValidationError, block_name: str | None = None, root: dict | None = None) -> str:
    """One line for a schema violation: the dotted key, its value, and what the schema allows there.

    ``root`` is the whole schema the error comes from (for its local references)."""
    path = list(error.absolute_path)
    where = dotted_path(block_name, path)
    schema = _resolve(error.schema, root)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        unknown = _unknown_keys(error, schema) or ["?"]
        known = sorted(schema.get("properties", {}))
        hint = difflib.get_close_matches(unknown[0], known, n=1)
        guess = f" (did you mean {hint[0]}?)" if hint else ""
        keys = ", ".join(dotted_path(block_name, [*path, key]) for key in unknown)
        return f"{keys}: unknown key{'s' if len(unknown) > 1 else ''}{guess}; allowed keys: {', '.join(known)}"
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [key for key in error.validator_value if key not in error.instance]
        key = missing[0] if missing else "?"
        allowed = describe_schema(schema.get("properties", {}).get(key, {}), root)
        return f"{dotted_path(block_name, [*path, key])}: missing (required); allowed: {allowed}"
    if "propertyNames" in error.relative_schema_path and isinstance(error.instance, str):
        key = dotted_path(block_name, [*path, error.instance])
        return f"{key}: key name not allowed; allowed: {describe_schema(schema, root)}"
    if error.validator == "uniqueItems":
        return f"{where} = {_value(error.instance)}: an item appears twice; allowed: {describe_schema(schema, root)}"
    return f"{where} = {_value(error.instance)}: allowed: {describe_schema(schema, root)}"
