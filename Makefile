# etcdctl, rewritten. `make demo` and `make test` are all a fresh clone needs (Go and the module proxy).
GO ?= go
BIN := bin
REF := .reference/bin
TEST_TIMEOUT ?= 30m

.PHONY: all build reference test test-deps test-short e2e-upstream fuzz-diff demo bench lint man clean

all: build

# etcdctl's own recipe (static link, build tags) is scripts/build-etcdctl.sh, shared with the tests.
build:
	$(GO) build -o internal/snapshot35/embedded/etcdctl-snapshot35 ./cmd/etcdctl-snapshot35
	GO=$(GO) ./scripts/build-etcdctl.sh $(BIN)/etcdctl
	$(GO) build -o $(BIN)/localcluster ./cmd/localcluster

# Upstream etcdctl and etcd v3.7.3 (the oracle), and the older releases some tests compare with,
# compiled from the module proxy into an ignored folder.
REF_VERSIONS ?= v3.7.3 v3.6.16 v3.5.35
reference:
	for v in $(REF_VERSIONS); do ./scripts/build-reference.sh $$v || exit 1; done

test: build reference lint test-deps
	ETCDCTL_OURS=$(CURDIR)/$(BIN)/etcdctl $(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

# Debian packages some tests need (etcd 3.4's server), installed when missing.
test-deps:
	./scripts/test-deps.sh

# etcd's own client suites (tests/v3@v3.7.3: common in e2e mode, e2e TestCtlV3*) run against bin/etcdctl;
# compiled from the module proxy into .reference/e2e. Skips by name: scripts/e2e-upstream.skip.
e2e-upstream: build
	./scripts/e2e-upstream.sh

# Unit tests only (no differential tests against the reference).
test-short: build
	ETCDCTL_DIFFTEST_SKIP=1 $(GO) test -short -count=1 ./...

demo: build
	./scripts/demo.sh

bench: build reference
	ETCDCTL_OURS=$(CURDIR)/$(BIN)/etcdctl $(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./bench/...

lint:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.reference/*' -not -path './bin/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# One man page per command, into bin/man/man1.
man:
	$(GO) run ./cmd/gendoc -dir $(BIN)/man/man1

clean:
	rm -rf $(BIN)

# Generated differential tests: N drawn command lines of seed SEED, ours against the reference.
SEED ?= 1
N ?= 1000
fuzz-diff: build reference
	ETCDCTL_OURS=$(CURDIR)/$(BIN)/etcdctl GENDIFF_SEED=$(SEED) GENDIFF_N=$(N) GENDIFF_FROM=$(FROM) GENDIFF_DIALECT=$(DIALECT) \
		$(GO) test -count=1 -timeout $(TEST_TIMEOUT) -run '^TestGenerated$$' -v ./internal/gendiff
