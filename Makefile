# The project's verbs. Every target creates .venv and installs on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# `make demo` needs only the package and its mock extra, not the development toolchain.
DEMO_STAMP := $(VENV)/.installed-mock
UPSTREAM       := .venv-upstream
UPSTREAM_STAMP := $(UPSTREAM)/.installed
BENCH_VENV     := .venv-bench
BENCH_STAMP    := $(BENCH_VENV)/.installed
BENCH_ARGS     ?=
HFHUB          := .venv-hfhub
HFHUB_STAMP    := $(HFHUB)/.installed
OPENAI         := .venv-openai
OPENAI_STAMP   := $(OPENAI)/.installed
INTEG          := .venv-integrations
INTEG_STAMP    := $(INTEG)/.installed
INTEG_REQS     := tests/integrations/requirements.txt
OWN    := text_generation mock_server install_guard tests benchmarks loadtest
SPEC   ?=
URL    ?=
PYTEST_ARGS ?=
USERS       ?= 50
DURATION    ?= 1m
SPAWN_RATE  ?= 10
PROCESSES   ?=
REPORT      ?= loadtest/report

.PHONY: help install test integrations generate check-generated lint mock demo spec-diff bench verify loadtest clean

help:
	@echo "make demo             install the package with its mock extra, run the README examples against the mock"
	@echo "make test             check-generated + lint + the whole test suite"
	@echo "make integrations     LangChain's and LlamaIndex's TGI wrappers on our client and the mock"
	@echo "make generate         regenerate generated/ from openapi.yaml"
	@echo "make check-generated  fail if generated/ does not match openapi.yaml"
	@echo "make lint             ruff and mypy --strict"
	@echo "make mock             run the mock TGI server on 127.0.0.1:8080"
	@echo "make spec-diff SPEC=<file or URL>  compare a published TGI openapi.json with ours"
	@echo "make bench            ours vs text-generation 0.7.0, huggingface_hub, openai, httpx (BENCH_ARGS=--quick)"
	@echo "make verify URL=<url> check a live TGI server against openapi.yaml and TGI's behaviour"
	@echo "make loadtest URL=<url> USERS=50 DURATION=1m [PROCESSES=N]  headless Locust run, CSV+HTML in $(REPORT)"

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,loadtest]'
	@touch $(STAMP)

$(DEMO_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[mock]'
	@touch $(DEMO_STAMP)

generate: $(STAMP)
	tools/generate.sh
	@echo "generated/tgi_client rewritten from openapi.yaml"

check-generated: $(STAMP)
	@tools/check-generated.sh

lint: $(STAMP)
	$(BIN)/ruff check $(OWN)
	$(BIN)/ruff format --check $(OWN)
	$(BIN)/mypy
	$(BIN)/mypy --strict generated/tgi_client

test: check-generated lint $(UPSTREAM_STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory integrations

# LangChain's HuggingFaceTextGenInference and LlamaIndex's TextGenerationInference run on our client
# (installed editable) against the mock, in their own venv: their dependencies never enter .venv.
integrations: $(INTEG_STAMP)
	$(INTEG)/bin/pytest -q -p no:cacheprovider tests/integrations

$(INTEG_STAMP): pyproject.toml $(INTEG_REQS)
	@test -x $(INTEG)/bin/python || $(PYTHON) -m venv $(INTEG)
	$(INTEG)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[mock]' -r $(INTEG_REQS)
	$(INTEG)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
		'llama-index-llms-text-generation-inference==0.3.2'
	@touch $(INTEG_STAMP)

# text-generation 0.7.0 (import name text_generation, like ours) in its own venv, for the tests that
# run the real upstream client against the mock server.
.venv-upstream: $(UPSTREAM_STAMP)

$(UPSTREAM_STAMP):
	@test -x $(UPSTREAM)/bin/python || $(PYTHON) -m venv $(UPSTREAM)
	$(UPSTREAM)/bin/python -m pip install --quiet --disable-pip-version-check 'text-generation==0.7.0'
	@touch $(UPSTREAM_STAMP)

spec-diff: $(DEMO_STAMP)
	@test -n "$(SPEC)" || { echo "usage: make spec-diff SPEC=<file or URL of a published TGI openapi.json>"; exit 2; }
	$(BIN)/python -m tgi_mock.spec_diff "$(SPEC)"

mock: $(DEMO_STAMP)
	$(BIN)/python -m tgi_mock --host 127.0.0.1 --port 8080

demo: $(DEMO_STAMP)
	$(BIN)/python examples/demo.py

# Our client with its runtime dependencies only (no dev tools), as a user installs it with
# `pip install tgi-sdk`.
$(BENCH_STAMP): pyproject.toml
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $(BENCH_STAMP)

# The peers a user would pick instead today, each in its own venv (make bench only).
.venv-hfhub: $(HFHUB_STAMP)

$(HFHUB_STAMP):
	@test -x $(HFHUB)/bin/python || $(PYTHON) -m venv $(HFHUB)
	$(HFHUB)/bin/python -m pip install --quiet --disable-pip-version-check 'huggingface_hub==2.4.0'
	@touch $(HFHUB_STAMP)

.venv-openai: $(OPENAI_STAMP)

$(OPENAI_STAMP):
	@test -x $(OPENAI)/bin/python || $(PYTHON) -m venv $(OPENAI)
	$(OPENAI)/bin/python -m pip install --quiet --disable-pip-version-check 'openai==3.51.0'
	@touch $(OPENAI_STAMP)

bench: $(STAMP) $(UPSTREAM_STAMP) $(BENCH_STAMP) $(HFHUB_STAMP) $(OPENAI_STAMP)
	$(BIN)/python -m benchmarks.run --python $(BENCH_VENV)/bin/python \
		--upstream-python $(UPSTREAM)/bin/python --hfhub-python $(HFHUB)/bin/python \
		--openai-python $(OPENAI)/bin/python $(BENCH_ARGS)

verify: $(STAMP)
	@test -n "$(URL)" || { echo "usage: make verify URL=<base URL of a TGI server, e.g. http://127.0.0.1:8080>"; exit 2; }
	$(BIN)/tgi-contract verify "$(URL)"

loadtest: $(STAMP)
	@test -n "$(URL)" || { echo "usage: make loadtest URL=<base URL of a TGI or mock server> [USERS=50] [DURATION=1m] [PROCESSES=N]"; exit 2; }
	@mkdir -p $(REPORT)
	$(BIN)/locust -f loadtest/locustfile.py --headless -H "$(URL)" -u $(USERS) -r $(SPAWN_RATE) \
		-t $(DURATION) --csv $(REPORT)/tgi --html $(REPORT)/tgi.html --only-summary \
		$(if $(PROCESSES),--processes $(PROCESSES))
	@echo "report: $(REPORT)/tgi.html, $(REPORT)/tgi_stats.csv"

clean:
	rm -rf $(VENV) $(UPSTREAM) $(BENCH_VENV) $(HFHUB) $(OPENAI) $(INTEG) .mypy_cache .ruff_cache .pytest_cache
