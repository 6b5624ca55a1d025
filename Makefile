# Moot: the two commands a new user needs are `make up` and `make test`.
# Everything here wraps CMake presets (CMakePresets.json) and scripts in scripts/.

PRESET ?= debug
JOBS ?= $(shell nproc)
BUILD_DIR := build/$(PRESET)

.PHONY: help deps configure build test test-unit bench up down status clean format lint bazel

help:
	@echo "make up      install missing packages, build, start Redis and every service, load demo data"
	@echo "make down    stop everything make up started"
	@echo "make test    install, build and run every test (real Redis, SQLite, PostgreSQL)"
	@echo "make bench   build release binaries and run the benchmark suite"
	@echo "make deps    install the Debian packages Moot needs (only those missing)"
	@echo "make build   build the debug tree (PRESET=release|asan|ci to change)"

deps:
	@scripts/deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 600

test-unit: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) -L unit

bench:
	@$(MAKE) --no-print-directory PRESET=release build
	@scripts/bench.sh build/release

up:
	@scripts/up.sh

down:
	@scripts/down.sh

status:
	@scripts/status.sh

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

lint:
	@git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

bazel: deps
	@scripts/bazel.sh build //...

clean:
	@rm -rf build
