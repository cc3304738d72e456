# proposal-diff: the two commands a newcomer needs are `make reports` and `make test`.
CARGO ?= cargo
BIN := proposal-diff
# Every target builds with the release profile, so polars (the longest
# dependency to compile) is compiled once for `make reports`, `make test` and
# `make check` together. Cargo.toml keeps the tests' feature set equal to the
# release build's for the same reason.
PROFILE := --release

.PHONY: reports test lint format-check ci build check bench fuzz fuzz-build

build:
	$(CARGO) build $(PROFILE) --locked

## Regenerate reports/ from datasets/.
reports: build
	$(CARGO) run $(PROFILE) --locked --quiet --bin $(BIN) -- report --datasets datasets --out reports

## The whole test suite.
test:
	$(CARGO) test $(PROFILE) --locked --all-targets

## The CI gate on the shipped datasets and committed reports, with the same
## build as `make reports`.
check: build
	$(CARGO) run $(PROFILE) --locked --quiet --bin $(BIN) -- check --datasets datasets --reports reports

lint:
	$(CARGO) clippy $(PROFILE) --locked --all-targets -- -D warnings

format-check:
	$(CARGO) fmt --check

## What CI runs besides `check`: formatting, lints, tests.
ci: format-check lint test

## Time `report` on 1 and 10 million synthetic rows beside the parse and
## write floors and the DuckDB peer (installed into bench/.venv), and the
## CSV writers in isolation on the tables it wrote; writes bench/RESULTS.md.
bench:
	$(CARGO) build --release --locked --bin $(BIN) --bin parse_floor --bin write_floor --bin csv_writers
	python3 bench/run.py $(SIZES)

## Fuzz each target for FUZZ_SECONDS (default 120). Needs cargo-fuzz; the
## toolchain here is stable, so RUSTC_BOOTSTRAP lets it use the sanitizer flags.
FUZZ_SECONDS ?= 120
FUZZ_TARGETS := load_csv normalize
fuzz: fuzz-build
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  mkdir -p work/$$t && \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run -O $$t work/$$t corpus/$$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=4096 || exit 1; \
	done

fuzz-build:
	command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build -O
