# The two commands the README promises: `make demo` and `make test`.
# Both install any missing Debian package first (sudo only when not root), then build.

BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
PACKAGES := g++ cmake make pkg-config git tao-pegtl-dev libfmt-dev librange-v3-dev \
            libboost-test-dev libcli11-dev nlohmann-json3-dev libssl-dev python3-icalendar
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all demo test deps build clean

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
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/catengine evaluate policies/peterborough --data examples/peterborough/schools.csv --as-of 2018-09-17

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)
