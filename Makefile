# The two commands the README promises: `make demo` and `make test`.
# Both install any missing Debian package first (sudo only when not root), then build.

BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
PACKAGES := g++ cmake make pkg-config git tao-pegtl-dev libfmt-dev librange-v3-dev \
            libboost-test-dev libcli11-dev nlohmann-json3-dev libssl-dev python3-icalendar \
            libzip-dev libpugixml-dev libxlsxwriter-dev libsqlite3-dev libmstch-dev \
            python3-openpyxl chromium poppler-utils neovim
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# ccache, when the machine has it, makes rebuilds after a branch switch or in a second work tree
# cheap; it is optional, so a fresh machine builds without it.
LAUNCHER := $(shell command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: all demo test deps build build-sanitize fuzz bench clean editor
FUZZ_SECONDS ?= 60

all: build

deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) $(LAUNCHER) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# The same sources with AddressSanitizer and UndefinedBehaviorSanitizer, so CI catches memory
# errors and undefined behaviour that a normal build hides. Each library file compiles on its own
# here (no unity build), so a file that leans on an #include of the file before it is caught.
build-sanitize: deps
	cmake -S . -B $(BUILD)-sanitize $(LAUNCHER) -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" \
	  -DCATENGINE_SANITIZE=ON -DCMAKE_UNITY_BUILD=OFF >/dev/null
	cmake --build $(BUILD)-sanitize -j $(JOBS)

# The results on screen, then the papers (docs/reports.md) in $(BUILD)/report/, with two earlier
# terms saved in a history store so that the sheets chart levels term by term.
demo: build
	./$(BUILD)/catengine evaluate policies/peterborough --data examples/peterborough/schools.csv --as-of 2018-09-17
	@for term in 2018-01-10 2018-04-20; do \
	  CATENGINE_NOW=$${term}T09:00:00Z ./$(BUILD)/catengine evaluate policies/peterborough \
	    --data examples/peterborough/schools.csv --as-of $$term --history $(BUILD)/demo-history.sqlite \
	    --save --format csv >/dev/null 2>&1 || exit 1; \
	done
	@# Before the floors built under $(BUILD)/floors/, $(BUILD)/report/ held the report floor's objects.
	@if [ -d $(BUILD)/report/CMakeFiles ] && [ ! -e $(BUILD)/report/.catengine-report ]; then rm -rf $(BUILD)/report; fi
	./$(BUILD)/catengine report policies/peterborough --data examples/peterborough/schools.csv \
	  --as-of 2018-09-17 --history $(BUILD)/demo-history.sqlite --out $(BUILD)/report
	@echo "open $(abspath $(BUILD))/report/index.html in a browser (file://$(abspath $(BUILD))/report/index.html)"

test: build build-sanitize
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(BUILD)-sanitize && ctest --output-on-failure -j $(JOBS)

# Benchmarks of every phase (Google Benchmark), then whole-process time and memory.
bench: deps
	@dpkg-query -W -f='$${Status}' libbenchmark-dev 2>/dev/null | grep -q "install ok installed" || \
	  { $(SUDO) apt-get install -y -qq libbenchmark-dev time bc; }
	cmake -S . -B $(BUILD)-bench $(LAUNCHER) -DCMAKE_BUILD_TYPE=Release -DCATENGINE_BENCH=ON >/dev/null
	cmake --build $(BUILD)-bench -j $(JOBS) --target catengine catengine_bench generate_peterborough \
	  generate_report_cards
	./$(BUILD)-bench/catengine_bench --benchmark_min_time=0.5
	tests/bench/run_bench.sh $(BUILD)-bench

# Runs each libFuzzer harness for FUZZ_SECONDS (clang, ASan and UBSan), from the committed seed
# corpus; new inputs go to a scratch corpus so the committed one stays small. The entropic
# scheduler is off because PEGTL's many instantiations make its feature bookkeeping cost ~90% of
# the run; malloc stacks are not recorded (re-run a saved crash input without ASAN_OPTIONS for
# them), which triples the executions per second.
FUZZ_ENV := ASAN_OPTIONS=malloc_context_size=0 UBSAN_OPTIONS=print_stacktrace=1
FUZZ_ARGS := -entropic=0 -timeout=10 -print_final_stats=1
# fuzz_policy's -max_len is 65536: the depth limits need long inputs to reach (257 operators in a
# chain, about 1 KB, for E0009; some 500 definitions in a chain, about 11 KB, for E0010), and the
# Peterborough seed (17 KB) is then read whole rather than cut at 4 KB. Parsing and checking are
# linear, so executions stay fast: in 30-second runs, 160 a second against 260 with 4096, for
# 15% more coverage (19,484 edges against 16,861).
fuzz: deps
	@command -v clang++ >/dev/null || { $(SUDO) apt-get install -y -qq clang libclang-rt-dev; }
	CXX=clang++ cmake -S . -B $(BUILD)-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCATENGINE_FUZZ=ON >/dev/null
	cmake --build $(BUILD)-fuzz -j $(JOBS) --target fuzz_policy fuzz_csv
	mkdir -p $(BUILD)-fuzz/corpus-policy $(BUILD)-fuzz/corpus-csv
	$(FUZZ_ENV) ./$(BUILD)-fuzz/fuzz_policy $(FUZZ_ARGS) -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  $(BUILD)-fuzz/corpus-policy tests/fuzz/corpus/policy
	$(FUZZ_ENV) ./$(BUILD)-fuzz/fuzz_csv $(FUZZ_ARGS) -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	  $(BUILD)-fuzz/corpus-csv tests/fuzz/corpus/csv

# The VS Code extension (editors/vscode): the packages pinned in its package-lock.json, then
# $(BUILD)/catengine-policy-VERSION.vsix, VERSION being catengine's (project VERSION in
# CMakeLists.txt), checked for the files it must hold. Needs Node.js 20 and npm. No package's
# install script runs: none is needed to package (they fetch signing and keychain helpers).
VERSION := $(shell sed -n 's/^project.catengine VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
editor:
	@command -v npm >/dev/null 2>&1 || { echo "make editor needs Node.js 20 and npm"; exit 1; }
	cd editors/vscode && node test/check_version.js $(CURDIR)
	cd editors/vscode && npm ci --no-audit --no-fund --ignore-scripts
	mkdir -p $(BUILD)
	cd editors/vscode && node scripts/package.js $(abspath $(BUILD))/catengine-policy-$(VERSION).vsix

clean:
	rm -rf $(BUILD) $(BUILD)-sanitize $(BUILD)-fuzz $(BUILD)-bench
