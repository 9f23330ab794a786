"""Resident-facing texts, loaded from editable YAML files (ja, やさしい日本語, en)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = ["LANGUAGES", "Prompts", "check_prompts", "load_prompts"]

LANGUAGES = ("ja", "easy_ja", "en")


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if not isinstance(key, str):  # YAML 1.1 reads a bare yes/no/on/off key as a boolean
            raise TypeError(f"prompt key {prefix}{key!r} is not a string: quote it in the YAML file")
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, str):
            flat[name] = value
        else:  # YAML reads bare Yes/No/123/~ as other types: texts must be quoted strings
            raise TypeError(f"prompt {name} is {value!r}, not text: quote it in the YAML file")
    return flat


class Prompts:
    """The texts of one language; ``t("label.send")`` formats a key."""

    def __init__(self, language: str, texts: dict[str, str], directory: str | None = None):
        self.language = language
        self.texts = texts
        self.directory = directory

    def t(self, key: str, **values: object) -> str:
        template = self.texts[key]
        return template.format(**values) if values else template

    def has(self, key: str) -> bool:
        return key in self.texts


@cache
def load_prompts(language: str, directory: str | None = None) -> Prompts:
    """Load a language's texts; ``directory`` (or SONAE_PROMPTS_DIR via the app) overrides the packaged files."""
    if language not in LANGUAGES:
        language = "ja"
    if directory:
        raw = (Path(directory) / f"{language}.yaml").read_text(encoding="utf-8")
    else:
        raw = resources.files("dialogue").joinpath("prompts", f"{language}.yaml").read_text(encoding="utf-8")
    return Prompts(language, _flatten(yaml.safe_load(raw)), directory)


def check_prompts(directory: str) -> list[str]:
    """Problems of an edited prompts folder: missing keys or placeholders that differ from the packaged texts."""
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    problems: list[str] = []
    for language in LANGUAGES:
        packaged = load_prompts(language).texts
        try:
            edited = load_prompts(language, directory).texts
        except (OSError, TypeError, yaml.YAMLError) as exc:
            problems.append(f"{language}.yaml: {exc}")
            continue
        for key, text in packaged.items():
            if key not in edited:
                problems.append(f"{language}.yaml: missing {key}")
            elif fields(edited[key]) != fields(text):
                problems.append(f"{language}.yaml: {key} must use the placeholders {sorted(fields(text))}")
    return problems
