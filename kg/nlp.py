"""Text → spaCy Doc: choose, load and extend one pipeline per language.

Resolution order for a language (first that exists wins):

1. a model the user names (``--model it=it_core_news_lg``, ``--model it=path/to/pipeline``, or
   ``--model it=rules`` for no statistical NER);
2. an installed official spaCy model (``<lang>_core_news_lg``, ``_md``, ``_sm``);
3. the pipeline bundled with invest-kg (``pipelines/models/<lang>``);
4. a blank pipeline: catalogue rules only.

Whatever the base, the components of ``pipelines/components.cfg`` are added after it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from kg.resources import PIPELINES

OFFICIAL_SIZES = ("lg", "md", "sm")
COMPONENTS_CONFIG = PIPELINES / "components.cfg"
BUNDLED = PIPELINES / "models"
RULES_ONLY = "rules"


class ModelError(Exception):
    """A named model that cannot be found or loaded."""


@dataclass(frozen=True)
class PipelineChoice:
    lang: str
    name: str
    path: str | None
    source: str  # "user", "installed", "bundled" or "rules"
    version: str | None = None
    package: bool = False  # an installed Python package: loaded by name, not from `path`
    license: str | None = None  # as the pipeline's meta.json states it

    def as_dict(self) -> dict:
        return asdict(self)


def parse_model_options(options: list[str] | None) -> dict[str, str]:
    """Turn ["it=it_core_news_lg", "de=./my-model"] into {"it": ..., "de": ...}."""
    models = {}
    for option in options or []:
        lang, sep, model = option.partition("=")
        if not sep or not lang or not model:
            raise ModelError(f"--model expects LANG=NAME_OR_PATH, got '{option}'")
        models[lang.strip()] = model.strip()
    return models


def choose_pipeline(lang: str, user_model: str | None = None) -> PipelineChoice:
    """The pipeline that serves `lang`, by the resolution order above."""
    if user_model == RULES_ONLY:
        return PipelineChoice(lang, f"blank:{lang}", None, "user", spacy.__version__)
    if user_model:
        path = Path(user_model)
        if path.exists():
            meta = read_meta(path)
            return PipelineChoice(lang, meta.get("name", path.name), str(path.resolve()), "user", meta.get("version"),
                                  license=meta.get("license"))
        if spacy.util.is_package(user_model):
            return installed_choice(lang, user_model, "user")
        raise ModelError(f"model '{user_model}' for '{lang}' is neither a folder nor an installed package")
    for size in OFFICIAL_SIZES:
        name = f"{lang}_core_news_{size}"
        if spacy.util.is_package(name):
            return installed_choice(lang, name, "installed")
    bundled = BUNDLED / lang
    if (bundled / "config.cfg").exists():
        meta = read_meta(bundled)
        return PipelineChoice(lang, f"{meta.get('lang', lang)}_{meta.get('name', 'invest_ner')}", str(bundled), "bundled",
                              meta.get("version"), license=meta.get("license"))
    return PipelineChoice(lang, f"blank:{lang}", None, "rules", spacy.__version__)


def installed_choice(lang: str, package: str, source: str) -> PipelineChoice:
    path = spacy.util.get_package_path(package)
    return PipelineChoice(lang, package, str(path), source, spacy.util.get_package_version(package), package=True,
                          license=read_meta(path).get("license"))


def read_meta(path: Path) -> dict:
    meta = path / "meta.json"
    return spacy.util.srsly.read_json(meta) if meta.exists() else {}


@cache
def load_pipeline(choice: PipelineChoice) -> Language:
    """Load the base pipeline once per process and add the invest-kg components."""
    try:
        if choice.package:
            nlp = spacy.load(choice.name)
        else:
            nlp = spacy.load(choice.path) if choice.path else spacy.blank(choice.lang)
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot load pipeline '{choice.name}' from {choice.path}: {error}") from error
    add_sentence_boundaries(nlp)
    add_invest_components(nlp)
    return nlp


def add_sentence_boundaries(nlp: Language) -> None:
    """Make sure docs have sentences, and that a paragraph break always ends one (headlines)."""
    if not nlp.has_pipe("parser"):
        nlp.add_pipe("sentencizer", first=True)
        nlp.add_pipe("invest_glued_periods", after="sentencizer")
    nlp.add_pipe("invest_paragraph_breaks", first=True)


def add_invest_components(nlp: Language, config_path: Path = COMPONENTS_CONFIG) -> Language:
    """Add the components listed in a components .cfg file, in order, and initialize those its
    [initialize.components] block gives data to (the other components of `nlp` keep their weights)."""
    config = spacy.util.load_config(config_path)
    for name, settings in config["components"].items():
        settings = dict(settings)
        nlp.add_pipe(settings.pop("factory"), name=name, config=settings)
    for name, settings in config.get("initialize", {}).get("components", {}).items():
        data = spacy.util.registry.resolve({"data": dict(settings)})["data"]
        component: Any = nlp.get_pipe(name)  # a component with data to initialize has an initialize method
        component.initialize(lambda: [], nlp=nlp, **data)
    return nlp


def pipeline_for(lang: str, user_models: dict[str, str] | None = None) -> Language:
    return load_pipeline(choose_pipeline(lang, (user_models or {}).get(lang)))
