# Accord: every set-up step is here, idempotent, and works offline from the
# package registries only (see docs/ARCHITECTURE.md, "Toolchain").
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
SQLX_CLI_VERSION     := 0.9.0
BINARYEN_VERSION     := 132.0.0
# 12.2.3 runs on this machine's Node 20; later 12.x releases need Node 22.
LIGHTHOUSE_VERSION   := 12.2.3

TOOLS_DIR := $(CURDIR)/.tools
CARGO_BIN := $(HOME)/.cargo/bin
# wasm-opt from npm's binaryen comes first: Debian's binaryen breaks hydration.
export PATH := $(TOOLS_DIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)
# Builds never need a database: sqlx uses the committed .sqlx/ query data.
export SQLX_OFFLINE := true
# Playwright must never try to download a browser; Debian's chromium is used.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Python checkers the Rust tests run on what the server produces (a standard
# feed parser, a JSON Schema validator); tests find it through this variable.
PYTHON_VENV := $(TOOLS_DIR)/venv
export ACCORD_TEST_PYTHON := $(PYTHON_VENV)/bin/python
# The W3C Nu HTML Checker every page kind must pass (server/tests/site/
# nu_html_checker.rs), from npm's vnu-jar; it runs on Java.
VNU_JAR_VERSION := 26.9.27
export ACCORD_TEST_VNU := $(TOOLS_DIR)/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: help run dev-build-rust dev-site release release-server release-devtools site-if-missing crash-test load-test test-proxy test-replicas tool-nginx bench tool-bench \
        test test-rust test-e2e test-layers test-future check lint sqlx-prepare clean-db \
        postgres-answers tools tool-wasm-target tool-cargo-leptos tool-wasm-bindgen tool-wasm-opt tool-sqlx-cli \
        tool-chromium tool-e2e-npm tool-python tool-faketime tool-fonts-cjk tool-nu-checker audit tool-lighthouse

help:
	@echo "make run      build, migrate, seed and serve on http://127.0.0.1:3000"
	@echo "make test     the whole test suite, browser tests included"
	@echo "make release  release binary (target/release/accord) and site (target/site)"
	@echo "make crash-test  SIGKILL the release server under writes, 10 rounds: nothing acknowledged is lost"
	@echo "make load-test   64 readers + 16 writers for 60 s against the release server (LOAD_TEST_ARGS=--seconds N)"
	@echo "make test-proxy  the release server behind nginx with TLS, as docs/DEPLOY.md deploys it"
	@echo "make bench       read/write benchmark vs nginx, seed and 100k-commitment databases (docs/PERFORMANCE.md; BENCH_ARGS=…)"
	@echo "make audit       Lighthouse on / and a permalink, mobile and desktop; reports in target/audit/ (AUDIT_ARGS=…)"

## ---------------------------------------------------------------- tools
tools: tool-wasm-target tool-cargo-leptos tool-wasm-bindgen

tool-wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown

# The build tools are compiled with a quicker profile than their own release
# profile (fat LTO, one codegen unit), which alone took 24 of a first
# `make run`'s 31 minutes; they run for seconds per build, so their own speed
# barely matters. Both installs share one target directory, so the crates they
# have in common are compiled once. (Cargo lets the environment override a
# package's [profile.release]; see docs/ARCHITECTURE.md, "Toolchain".)
TOOL_BUILD_ENV := CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
                  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
                  CARGO_TARGET_DIR=$(CURDIR)/target/tools

# cargo-leptos 0.3.11 needs a newer rustc than this machine's 1.95.
tool-cargo-leptos:
	@cargo leptos --version 2>/dev/null | grep -qF "$(CARGO_LEPTOS_VERSION)" \
	  || $(TOOL_BUILD_ENV) cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked

# Must equal the wasm-bindgen crate pinned in Cargo.toml. Without --locked:
# its lockfile pins a crate version the registry no longer serves.
tool-wasm-bindgen:
	@wasm-bindgen --version 2>/dev/null | grep -qF "$(WASM_BINDGEN_VERSION)" \
	  || $(TOOL_BUILD_ENV) cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

tool-wasm-opt:
	@[ -x "$(TOOLS_DIR)/node_modules/.bin/wasm-opt" ] \
	  || npm install --no-audit --no-fund --prefix "$(TOOLS_DIR)" binaryen@$(BINARYEN_VERSION)

tool-sqlx-cli:
	@cargo sqlx --version 2>/dev/null | grep -qF "$(SQLX_CLI_VERSION)" \
	  || cargo install sqlx-cli --version $(SQLX_CLI_VERSION) --no-default-features --features sqlite --locked

# wrk drives the benchmark; nginx-light serves the same bytes for comparison.
tool-bench:
	@{ command -v wrk && { command -v nginx || [ -x /usr/sbin/nginx ]; }; } >/dev/null \
	  || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk nginx-light; }

# Noto Sans CJK (SIL OFL 1.1): the Korean and Chinese glyphs of share cards
# and badges, read by the server at start from /usr/share/fonts/opentype/
# noto/ (see server/src/cards/fonts.rs). Checked by its installed status, so
# a removed package whose configuration files remain is installed again.
tool-fonts-cjk:
	@dpkg -s fonts-noto-cjk 2>/dev/null | grep -qx 'Status: install ok installed' \
	  || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-cjk; }

tool-chromium:
	@command -v chromium >/dev/null \
	  || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-liberation; }

# Reinstalled whenever package-lock.json is newer than the installed tree.
tool-e2e-npm:
	@[ end2end/node_modules/.package-lock.json -nt end2end/package-lock.json ] \
	  || (cd end2end && npm ci --no-audit --no-fund)

tool-python:
	@"$(PYTHON_VENV)/bin/python" -c "import feedparser, jsonschema, pyld, schemathesis" 2>/dev/null \
	  || { python3 -m venv "$(PYTHON_VENV)" \
	       && "$(PYTHON_VENV)/bin/pip" install --quiet --disable-pip-version-check \
	            feedparser==6.0.14 jsonschema==4.26.0 pyld==3.3.0 schemathesis==4.32.5; }

# Java from Debian when there is none; the jar at the pinned version (npm
# --prefix adds it beside the other tools in .tools/node_modules).
tool-nu-checker:
	@command -v java >/dev/null \
	  || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends default-jre-headless; }
	@grep -qF '"version": "$(VNU_JAR_VERSION)"' "$(TOOLS_DIR)/node_modules/vnu-jar/package.json" 2>/dev/null \
	  && [ -f "$(ACCORD_TEST_VNU)" ] \
	  || npm install --no-audit --no-fund --prefix "$(TOOLS_DIR)" vnu-jar@$(VNU_JAR_VERSION)

## ---------------------------------------------------------------- run
# A fresh machine's first start: the wasm-bindgen CLI compiles and the font
# package downloads while Accord builds. Serving needs no cargo-leptos
# (scripts/dev_site.sh says why); the server migrates and seeds at start.
run:
	$(MAKE) --no-print-directory -j3 tool-wasm-bindgen tool-fonts-cjk dev-build-rust
	bash scripts/dev_site.sh assemble
	bash scripts/dev_site.sh serve

# The development server binary and browser bundle (target/debug/accord,
# target/front/…/frontend.wasm), as `cargo leptos build` would make them.
dev-build-rust: tool-wasm-target
	bash scripts/dev_site.sh build-rust

# Both, and the site folder: what `make test-e2e` tests.
dev-site: tool-wasm-target tool-wasm-bindgen
	bash scripts/dev_site.sh build

# The .gz copies are served as they are to browsers that accept gzip, so
# the wasm bundle is never compressed per request.
# The bundle folder starts empty: a development build (scripts/dev_site.sh)
# leaves plain-named files there that are not this release's, and the size
# check below reads every .wasm in it.
release: tools tool-wasm-opt tool-fonts-cjk
	rm -rf target/site/pkg
	cargo leptos build --release
	gzip -9 -k -f target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css
	bash scripts/check_bundle_size.sh target/site/pkg

## ---------------------------------------------------------------- reliability
# Not part of `make test`: each takes minutes and wants an otherwise idle
# machine. Python 3 standard library only. See docs/RELIABILITY.md.
release-server: tool-fonts-cjk
	cargo build --release -p server --bin accord --features ssr

# The scripts serve pages from target/site; build it once if it is missing.
site-if-missing:
	@[ -d target/site/pkg ] || $(MAKE) release

CRASH_TEST_ARGS ?=
LOAD_TEST_ARGS ?=

crash-test: release-server site-if-missing
	python3 scripts/crash_test.py $(CRASH_TEST_ARGS)

load-test: release-server site-if-missing
	python3 scripts/load_test.py $(LOAD_TEST_ARGS)

# nginx (as the current user, from target/tls-proxy-test/) with TLS in front
# of the release server, configured by docs/deploy/nginx-accord.conf itself:
# Secure cookies, HSTS, client addresses from the proxy only, cross-origin
# refusals and the page cache, over https. A few seconds.
test-proxy: release-server site-if-missing tool-nginx
	python3 scripts/tls_proxy_test.py

tool-nginx:
	@{ { command -v nginx || [ -x /usr/sbin/nginx ]; } && command -v openssl; } >/dev/null \
	  || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y nginx-light openssl; }

## ---------------------------------------------------------------- performance
# Not part of `make test`: about 15 minutes (the first run also generates a
# 100,000-commitment database, cached in target/bench/). See docs/PERFORMANCE.md.
# BENCH_ARGS=--postgres runs scripts/bench_engines.py instead: SQLite and
# PostgreSQL side by side (the large site is copied once with migrate-db and
# kept as a database named accord_bench_…), and two replicas against one.
BENCH_ARGS ?=

# `accord-dev` (benchmark data, bare-axum baseline) is a binary of its own:
# the served `accord` never links the generator.
release-devtools:
	cargo build --release -p devtools --bin accord-dev

bench: release release-devtools tool-bench
	python3 scripts/bench.py $(BENCH_ARGS)

# Lighthouse in Debian's Chromium on the release server: each page and preset
# three times, the median scores against their bars (docs/PERFORMANCE.md,
# "Lighthouse"). Not part of `make test`: a few minutes, and scores on a
# shared machine move with its load.
AUDIT_ARGS ?=

audit: release tool-lighthouse tool-chromium
	python3 scripts/lighthouse_audit.py $(AUDIT_ARGS)

tool-lighthouse:
	@"$(TOOLS_DIR)/node_modules/.bin/lighthouse" --version 2>/dev/null | grep -qx "$(LIGHTHOUSE_VERSION)" \
	  || npm install --no-audit --no-fund --prefix "$(TOOLS_DIR)" lighthouse@$(LIGHTHOUSE_VERSION)

## ---------------------------------------------------------------- test
test: test-layers test-rust test-replicas test-e2e

# Domain unit and property tests, the store's #[sqlx::test]s (each gets its
# own fresh database), the app's and devtools' unit tests, then the router
# tests. The server's HTTP tests run one at a time: each test has its own
# Tokio runtime, and rendering pages for several runtimes at once in one
# process has been seen to stall a render (production has one runtime).
test-rust: tool-python tool-fonts-cjk tool-nu-checker postgres-answers
	cargo test -p domain -p i18n -p store -p store-rows -p store-postgres -p app -p devtools --features app/ssr
	cargo test -p server -- --test-threads=1

# The store's PostgreSQL tests (each makes a database of its own) need the
# server every machine of this project runs at 127.0.0.1:5432; nothing is
# installed for it. ACCORD_TEST_POSTGRES_URL points the tests elsewhere.
postgres-answers:
	@pg_isready -q -d "$${ACCORD_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}" \
	  || { echo "PostgreSQL does not answer at $${ACCORD_TEST_POSTGRES_URL:-127.0.0.1:5432}: the store's"; \
	       echo "PostgreSQL tests need it (docs/SCALING.md). Start it with"; \
	       echo "  pg_ctlcluster --skip-systemctl-redirect \$$(ls /etc/postgresql) main start"; exit 1; }

# Two replicas of the debug server on one PostgreSQL database behind nginx
# (Debian's, started by the test as the current user): a write through one
# shows on the other within a second; one is SIGKILLed under readers and
# editors, nothing acknowledged is lost and it rejoins (docs/RELIABILITY.md).
# About 20 seconds.
test-replicas: tool-nginx postgres-answers
	cargo build -p server --bin accord
	python3 scripts/replica_kill_test.py --binary target/debug/accord

# The Rust suite with the clock five years ahead (not in `make test`: it
# runs the same tests again). No test may depend on today's date.
test-future: tool-python tool-faketime tool-fonts-cjk
	bash scripts/test_future.sh

tool-faketime:
	@command -v faketime >/dev/null \
	  || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y faketime; }

# The crate lines hold: what each crate links (docs/ARCHITECTURE.md).
test-layers:
	bash scripts/check_layers.sh

# Playwright in Debian's Chromium against the real server, built the way
# `make run` builds it (scripts/dev_site.sh), so the browser tests check the
# bundle a developer serves. Each spec file starts its own server from that
# build on a free port over a fresh SQLite file in target/e2e/specs/
# (end2end/tests/fixtures.ts).
test-e2e: dev-site tool-chromium tool-e2e-npm tool-fonts-cjk
	rm -rf target/e2e && mkdir -p target/e2e
	cd end2end && npx playwright test

# Every crate compiles; the browser bundle and the domain for wasm too.
check: tool-wasm-target tool-fonts-cjk
	cargo check -p domain -p store -p store-rows -p store-postgres -p app -p server -p devtools --all-targets
	cargo check -p frontend -p domain --target wasm32-unknown-unknown

lint: tool-wasm-target tool-fonts-cjk
	cargo fmt --all --check
	cargo clippy -p domain -p i18n -p store -p store-rows -p store-postgres -p app -p server -p devtools --all-targets -- -D warnings
	cargo clippy -p frontend -p domain --target wasm32-unknown-unknown -- -D warnings

# Regenerates .sqlx/ after a query or migration changes; commit the result.
# `store`'s queries are described by a SQLite file migrated with
# migrations/sqlite, `store-postgres`'s (its sqlx.toml names
# POSTGRES_DATABASE_URL) by a PostgreSQL database migrated with
# migrations/postgres, both in one run, so .sqlx/ holds both engines' data.
# (`cargo check` at the root builds the default members, which leave out
# the wasm-only `frontend`.)
SQLX_PREPARE_PG_ADMIN := postgres://postgres@127.0.0.1:5432/postgres
SQLX_PREPARE_PG       := postgres://postgres@127.0.0.1:5432/accord_sqlx_prepare
sqlx-prepare: tool-sqlx-cli postgres-answers
	rm -f target/sqlx-prepare.db
	SQLX_OFFLINE=false DATABASE_URL=sqlite://target/sqlx-prepare.db cargo sqlx database create
	SQLX_OFFLINE=false DATABASE_URL=sqlite://target/sqlx-prepare.db cargo sqlx migrate run --source migrations/sqlite
	psql -q "$(SQLX_PREPARE_PG_ADMIN)" -c 'DROP DATABASE IF EXISTS accord_sqlx_prepare WITH (FORCE)' \
	  -c "CREATE DATABASE accord_sqlx_prepare ENCODING 'UTF8' TEMPLATE template0"
	for migration in migrations/postgres/*.sql; do \
	  psql -q -v ON_ERROR_STOP=1 "$(SQLX_PREPARE_PG)" -f "$$migration" || exit 1; done
	SQLX_OFFLINE=false DATABASE_URL=sqlite://target/sqlx-prepare.db POSTGRES_DATABASE_URL=$(SQLX_PREPARE_PG) \
	  cargo sqlx prepare --workspace -- --all-targets --features app/ssr,store/generate

clean-db:
	rm -f data/accord.db data/accord.db-wal data/accord.db-shm
