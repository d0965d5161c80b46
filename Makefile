# invest-kg — `make run` builds the bundled sample, `make test` runs the tests.
# Both create .venv and install the project into it first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPORA ?= ../shared/corpora

.PHONY: install run test models clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/kg build seeds/sample -o out/sample.ttl
	$(BIN)/kg query out/sample.ttl investments

test: $(STAMP)
	$(BIN)/pytest

# Train the bundled NER pipelines from ../shared/corpora (not part of the tests or CI).
models: $(STAMP)
	$(BIN)/python pipelines/training/convert.py --corpora $(CORPORA) --out corpus
	$(MAKE) model-it model-de

# Work in progress (issue 3): trains and evaluates; packaging into pipelines/models/ is not done yet.
model-%: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m spacy train pipelines/training/ner.cfg --nlp.lang $* \
	    --paths.train corpus/$*/train.spacy --paths.dev corpus/$*/dev.spacy -o build/train/$*
	for split in corpus/$*/eval-*.spacy; do \
	    $(BIN)/python -m spacy evaluate build/train/$*/model-best $$split; done

clean:
	rm -rf out build corpus
