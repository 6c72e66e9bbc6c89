# Every target installs what it needs first; see README.md ("Make targets").
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Written after a successful install; pyproject.toml newer than it means "install again".
STAMP := $(VENV)/.installed

.PHONY: help install system-deps run test check migrate demo bench clean

help:
	@echo "make run      install, migrate, load the demo data, start web + worker + beat"
	@echo "make test     install, run the whole test suite"
	@echo "make install  create $(VENV) and install the project with its test tools"
	@echo "make system-deps  install the Debian packages the tests need (chromium, poppler-utils, harfbuzz-subset, redis-server, docker-compose)"
	@echo "make migrate  apply database migrations"
	@echo "make demo     migrate and load the demo data (idempotent)"
	@echo "make check    Django's system checks"
	@echo "make bench    benchmarks (prints JSON; never part of make test)"
	@echo "make clean    remove $(VENV) and var/ (the SQLite database, broker, media)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	bash scripts/run.sh

system-deps:
	bash scripts/system-deps.sh

test: install system-deps
	$(PY) -m pytest

check: install
	$(PY) manage.py check

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) var
