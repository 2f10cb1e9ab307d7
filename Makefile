# The two set-up commands of the README. Both create .venv and install the project when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PROGRAMME := data/programmes/hak-herne-2025.txt
PORT ?= 8501

.PHONY: run test bench lint messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

## make run: the dashboard on the embedded SQLite default, with the Herne programme loaded
run: $(STAMP)
	$(BIN)/tracker import-programme $(PROGRAMME)
	$(BIN)/tracker serve --port $(PORT)

## make test: lint and the whole test suite, one process per core (PostgreSQL tests run when TRACKER_TEST_POSTGRES_URL is set)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .

## make bench: every benchmark (minutes; PostgreSQL too when TRACKER_BENCH_POSTGRES_URL is set)
BENCHMARKS := bench/figures.py bench/import_speed.py bench/pages.py bench/memory.py bench/edition.py bench/staff_clicks.py bench/readers.py bench/sign_in_timing.py bench/accessibility.py
bench: $(STAMP)
	@for script in $(BENCHMARKS); do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## make messages: extract the dashboard's and the edition's strings and merge them into their de and en catalogues
messages: $(STAMP)
	$(BIN)/pybabel extract --no-location -k _ -k ngettext:1,2 -o /tmp/dashboard.pot -w 110 dashboard
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -D dashboard -d dashboard/locale -i /tmp/dashboard.pot -w 110
	$(BIN)/pybabel extract --no-location -k _ -k ngettext:1,2 -F tracker/edition/babel.cfg -o /tmp/edition.pot -w 110 tracker/edition
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -D edition -d tracker/edition/locale -i /tmp/edition.pot -w 110
