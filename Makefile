# invest-kg — `make run` builds the bundled sample, `make test` runs the tests.
# Both create .venv and install the project into it first: `make run` what a build needs, `make test`
# also the test tools (pytest, ruff, Jupyter for the notebook, Dask, pandas…).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
BASE   := $(VENV)/.installed-base
STAMP  := $(VENV)/.installed
CORPORA ?= ../shared/corpora
GAZETTEERS ?= ../shared/gazetteers

.PHONY: install run test models eval-ner bench-ner bench bench-queries eval names golden screenshots clean

$(BASE): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(BASE)

$(STAMP): $(BASE)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(BASE)
	$(BIN)/kg build seeds/sample -o out/sample.ttl
	$(BIN)/kg query out/sample.ttl investments

test: $(STAMP)
	$(BIN)/ruff check --quiet kg tests pipelines
	$(BIN)/mypy kg
	$(BIN)/pytest

# Train, evaluate on held-out splits and ship the bundled NER pipelines (not part of the tests
# or CI; about 40 minutes per language on 2 cores). The model card is pipelines/README.md.
TRAIN := OMP_NUM_THREADS=1 $(BIN)/python -m spacy train pipelines/training/ner.cfg --code pipelines/training/augment.py
# Share of training examples seen again with names swapped for others of the same kind (augment.py;
# `make model-de SWAP_de=0.5`; off: it did not help, model card "Tries"), from these lists (the
# Italian pipeline, non-commercial, also from KIND's organisation gazetteer) and first names + GermaNER surnames.
SWAP_it ?= 0
SWAP_de ?= 0
NAMES_de := '["seeds/names/places.tsv", "seeds/names/companies.tsv"]'
NAMES_it := '["seeds/names/places.tsv", "seeds/names/companies.tsv", "$(CORPORA)/it/kind_gazetteer_ORG.txt"]'
SWAP = --corpora.train.augmenter.level $(SWAP_$*) --corpora.train.augmenter.name_lists $(NAMES_$*) \
    --corpora.train.augmenter.surnames $(CORPORA)/de/gazetteer_surnames.txt
EVAL_it := --eval corpus/it/eval-WN-test.spacy --eval corpus/it/eval-FIC-test.spacy --eval corpus/it/eval-ADG-test.spacy \
    --eval corpus/it/eval-europarl.spacy
EVAL_de := --eval corpus/de/eval-germeval-dev.spacy --eval corpus/de/eval-smartdata-test.spacy \
    --eval corpus/de/eval-europarl.spacy --eval corpus/de/eval-uner-pud.spacy --eval corpus/de/eval-hipe2020-test.spacy
# Which converted training set each language trains on. The shipped pipelines come from `train`;
# `train-more` adds WikiNEuRal + KIND Moro (it, non-commercial) and NewsEye, SoNAR and MobIE
# without its SmartData documents (de, CC BY; `train-more-legal` adds LER): `make model-de TRAIN_SET_de=train-more` (model card).
TRAIN_SET_it ?= train
TRAIN_SET_de ?= train
# and which slice picks the best checkpoint: `train-all` (it) goes with `dev-all`, a quarter of KIND WN dev
# (every other KIND split but WN test trains: a try that did not help, model card "Tries").
DEV_SET_it ?= dev
DEV_SET_de ?= dev
# Both languages start from a tok2vec pretrained on their own training text (spacy pretrain,
# character objective): +0.017 F on KIND WN test, +0.011 on GermEval dev (model card, "Tries").
STEPS_it ?= 6000
STEPS_de ?= 6000
PRETRAIN_EPOCHS_it ?= 8
PRETRAIN_EPOCHS_de ?= 12
# The text pretraining reads: `raw` is the training split's; `raw-more` adds the other corpora's
# text a pipeline may train on (a try that did not help: model card, "Tries").
PRETRAIN_TEXT_it ?= raw
PRETRAIN_TEXT_de ?= raw
# Static floret vectors as a fifth tok2vec input, trained on the text of every corpus a pipeline may
# use (a try not shipped: model card "Tries"): `make vectors-it`, remove build/pretrain/it, then
# `make model-it VECTORS_it=build/vectors/it`.
VECTORS_it ?=
VECTORS_de ?=
VECTORS = $(if $(VECTORS_$*),--paths.vectors $(VECTORS_$*) --components.tok2vec.model.embed.include_static_vectors true)
# The Italian NER's tok2vec also reads which name lists hold each word (kg/name_features.py; the lists
# are saved with the pipeline): places and listed companies (seeds/names), KIND's organisation
# gazetteer (non-commercial, as the Italian pipeline is), first names of lists only (paroleitaliane,
# MIT; the 1990 US census via the `names` package, public domain; not seeds/names/given-names.txt,
# which holds the training corpora's own first names), surnames (GermaNER, Apache 2.0; paroleitaliane).
# German was tried so too and is not (model card, "Tries"): `make model-de NAME_FEATURES_de=yes`.
NAME_FEATURES_it ?= yes
NAME_FEATURES_de ?=
FEATURE_NAMES_de := '["seeds/names/places.tsv", "seeds/names/companies.tsv"]'
FEATURE_NAMES_it := '["seeds/names/places.tsv", "seeds/names/companies.tsv", "$(CORPORA)/it/kind_gazetteer_ORG.txt"]'
CENSUS = $(shell $(BIN)/python -c "import names, pathlib; print(pathlib.Path(names.__file__).parent)")
FEATURE_WORDS = '{"FIRST": ["$(GAZETTEERS)/it-names/9000_nomi_propri.txt", "$(CENSUS)/dist.male.first", "$(CENSUS)/dist.female.first"], \
    "SURNAME": ["$(CORPORA)/de/gazetteer_surnames.txt", "$(GAZETTEERS)/it-names/lista_38000_cognomi.txt"]}'
FEATURE_PIPELINE := '["name_features", "tok2vec", "ner"]'
FEATURE_ANNOTATING := '["name_features"]'
ARCHITECTURE = $(if $(NAME_FEATURES_$*),--nlp.pipeline $(FEATURE_PIPELINE) --components.tok2vec.model.embed.@architectures invest.NameListEmbed.v1)
FEATURES = $(if $(NAME_FEATURES_$*),$(ARCHITECTURE) --training.annotating_components $(FEATURE_ANNOTATING) \
    --initialize.components.name_features.names $(FEATURE_NAMES_$*) --initialize.components.name_features.words $(FEATURE_WORDS))
INIT_it := --paths.init_tok2vec build/pretrain/it/model-last.bin
INIT_de := --paths.init_tok2vec build/pretrain/de/model-last.bin

models: $(STAMP)
	$(BIN)/python pipelines/training/convert.py --corpora $(CORPORA) --out corpus
	$(MAKE) model-it model-de

model-it: build/pretrain/it/model-last.bin
model-de: build/pretrain/de/model-last.bin

model-%: $(STAMP)
	$(BIN)/pip install --quiet -e ".[names]"
	$(TRAIN) --nlp.lang $* --paths.train corpus/$*/$(TRAIN_SET_$*).spacy --paths.dev corpus/$*/$(DEV_SET_$*).spacy $(INIT_$*) $(FEATURES) $(SWAP) $(VECTORS) \
	    --training.max_steps $(STEPS_$*) -o build/train/$*
	OMP_NUM_THREADS=1 $(BIN)/python pipelines/training/package.py --lang $* \
	    --trained build/train/$*/model-best $(EVAL_$*)

build/pretrain/%/model-last.bin: $(STAMP) pipelines/training/ner.cfg
	OMP_NUM_THREADS=1 $(BIN)/python -m spacy pretrain pipelines/training/ner.cfg build/pretrain/$* \
	    --nlp.lang $* --paths.raw_text corpus/$*/$(PRETRAIN_TEXT_$*).jsonl --pretraining.max_epochs $(PRETRAIN_EPOCHS_$*) $(VECTORS) $(ARCHITECTURE)

vectors-%: $(STAMP)
	$(BIN)/pip install --quiet -e ".[vectors]"
	OMP_NUM_THREADS=1 $(BIN)/python pipelines/training/vectors.py corpus/$*/raw-more.jsonl build/vectors/$*.floret
	$(BIN)/python -m spacy init vectors $* build/vectors/$*.floret build/vectors/$* --mode floret

# The bundled NER alone and with invest-kg's components after it, on the held-out splits (model card).
eval-ner: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python pipelines/training/score_components.py --lang it $(EVAL_it)
	OMP_NUM_THREADS=1 $(BIN)/python pipelines/training/score_components.py --lang de $(EVAL_de)

bench-ner: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python pipelines/training/bench.py

clean:
	rm -rf out build corpus

# End-to-end benchmark (not a test): words/s against raw spaCy, triples/s, memory, SHACL time.
SIZES ?= 100 1000 10000
bench: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m kg.bench $(foreach n,$(SIZES),--sizes $(n))

# Every canned query at about 10k, 100k and 1M triples: Oxigraph store (whole kg query processes)
# and rdflib in memory (not a test; about 10 minutes).
QUERY_SIZES ?= 45 450 4500
bench-queries: $(STAMP)
	$(BIN)/python -m kg.bench_queries $(foreach n,$(QUERY_SIZES),--sizes $(n))

# Extraction quality on real news (not a test): each text of the development set built alone and
# scored against its hand-made gold (entity recall, investment precision/recall/F1 per kind).
REALNEWS ?= ../shared/realnews-dev
eval: $(STAMP)
	$(BIN)/python -m kg.evaluate $(REALNEWS)

# The name lists of seeds/names/ (places, listed companies, nouns), from CLDR, ISO 3166-2, GeoNames,
# FinanceDatabase, OpenStreetMap and the German Wiktionary; the converted corpora say which words are ordinary words.
# german-nouns (the German Wiktionary's nouns and places) is installed without its dependencies: only
# its table is read, and its parser's dependencies would pin an old lxml.
names: $(STAMP)
	$(BIN)/pip install --quiet -e ".[names]"
	$(BIN)/pip install --quiet --no-deps german-nouns==1.2.5
	test -f corpus/de/train-more.spacy || $(BIN)/python pipelines/training/convert.py --corpora $(CORPORA) --out corpus
	$(BIN)/python pipelines/names/build_names.py --gazetteers $(GAZETTEERS) --out seeds/names --corpus corpus

# The golden snapshot of the sample graph (tests/golden/sample.nt): rewrite it after a change that
# is meant to change the graph, and read its diff before committing.
golden: $(STAMP)
	$(BIN)/kg build seeds/sample -o tests/golden/sample.nt --no-validate

# The README's screenshots: the browser tests, saving each page they check (needs chromium).
screenshots: $(STAMP)
	KG_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/test_browser.py
