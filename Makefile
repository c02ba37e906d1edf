# chitieu — build, run and test. `make run` and `make test` are all a fresh
# machine needs beyond Go.

GO      ?= go
BIN     := bin/chitieu
DB      ?= chitieu.db
ADDR    ?= :8080

.PHONY: run build test screenshots lint bench bench-web clean assets

run: build
	./$(BIN) serve --db $(DB) --addr $(ADDR)

build: assets
	$(GO) build -o $(BIN) ./cmd/chitieu

# -race turns checkptr on too, whose checks of every unsafe pointer step in
# modernc.org's SQLite (C translated to Go by a machine) cost 7 % of the
# dashboard tests' CPU; chitieu's own code has no unsafe pointer to check.
# Leaving modernc.org out of the race detector as well (as C under cgo is)
# saved 40 %, but made the detector report a race inside encoding/json in
# one run of twenty of TestServersAppendToOneChain, so it stays in.
RACE := -race -gcflags='modernc.org/...=-d=checkptr=0'

# The store tests run on PostgreSQL too when CHITIEU_TEST_POSTGRES names a
# database (.ci/run starts one with .ci/postgres); without it they skip and
# say so here (under CI=true they fail instead).
test: assets
	@[ -n "$$CHITIEU_TEST_POSTGRES" ] || echo "make test: CHITIEU_TEST_POSTGRES is not set, so the PostgreSQL store tests are skipped (start a cluster with: .ci/postgres start /tmp/chitieu-pg)"
	$(GO) test $(RACE) -count=1 -timeout 45m ./...

# The browser tests alone, with a full-page screenshot of each step saved
# under artifacts/browser for people to look at (make test takes none).
screenshots: assets
	CHITIEU_SCREENSHOTS=1 $(GO) test -count=1 -run '^TestBrowser$$' ./dashboard
	@echo "screenshots in artifacts/browser"

# Browser libraries come from the npm registry, pinned in package.json and
# package-lock.json, and are copied into the embedded static folder; the
# repository holds no copy of them (dashboard/static/vendor is ignored).
# axe-core stays in node_modules: the browser tests read it from there and
# inject it into every page they open; the binary never serves it.
VENDOR := dashboard/static/vendor
AXE    := node_modules/axe-core/axe.min.js
assets: $(VENDOR)/echarts.min.js $(AXE)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(AXE): node_modules/.package-lock.json
	@test -f $@ || { echo "$@ is missing after npm ci"; exit 1; }
	touch $@

$(VENDOR)/echarts.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	cp node_modules/echarts/LICENSE $(VENDOR)/echarts.LICENSE.txt

# go vet, staticcheck (pinned in go.mod as a tool, so no installation),
# formatting, the rule that the domain imports only the standard library,
# programs only under cmd/ (the product) and tools/ (everything else), and
# no build output or large file tracked by git (tools/checktree: nothing over
# 1 MB, no executable binary).
lint:
	$(GO) run ./tools/checktree
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@deps=$$($(GO) list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./indicators | grep -v '^chitieu' || true); \
	  if [ -n "$$deps" ]; then echo "indicators imports modules outside the standard library:"; echo "$$deps"; exit 1; fi
	@mains=$$($(GO) list -f '{{if eq .Name "main"}}{{.ImportPath}}{{end}}' ./... | grep -v -E '^chitieu/(cmd|tools)/' || true); \
	  if [ -n "$$mains" ]; then echo "programs outside cmd/ and tools/ (the product lives in cmd/, everything else in tools/):"; echo "$$mains"; exit 1; fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# The dashboards under load: a million synthetic unit values, wrk at 50 and
# 200 connections, idle, during a write load and during five 100,000-row
# web imports at once (with the job-progress API); prints a table. The
# database is kept in $(BENCH_DB) and filled only once.
# BENCH_POSTGRES=postgres://… (a cluster) runs the same rows again on two
# servers on one PostgreSQL database behind a round-robin TCP balancer; the
# database (chitieu_bench in that cluster) is made, filled once and kept.
BENCH_DB ?= $(TMPDIR)/chitieu-bench.db
BENCH_POSTGRES ?=
TMPDIR ?= /tmp
bench-web: assets
	@command -v wrk >/dev/null 2>&1 || { echo "bench-web needs wrk: install it first (Debian: apt-get install wrk)"; exit 1; }
	$(GO) build -o bin/benchweb ./tools/benchweb
	./bin/benchweb --db $(BENCH_DB) $(if $(BENCH_POSTGRES),--postgres '$(BENCH_POSTGRES)') $(BENCH_ARGS)

clean:
	rm -rf bin

# Report exports timed: the data export of a million values written through
# the store (the database is made once, under bin/), the audit history of
# that database (an event per value) and the progress report of every plan
# and period of the catalogue, with seconds and peak memory.
.PHONY: bench-report
bench-report: build
	$(GO) run ./tools/benchreport -bin $(BIN)

# Import speed and memory: long tables of 100,000 and 1,000,000 rows imported
# end to end into a fresh database, beside excelize's bare Rows iteration and
# openpyxl's read-only iteration (Debian's python3-openpyxl; its column stays
# empty without it). With a PostgreSQL database (BENCH_POSTGRES, else
# CHITIEU_TEST_POSTGRES) each file is imported into it too, in the same run,
# and a second table sets the stores side by side. BENCH_IMPORT_ARGS passes
# flags (-runs 3, -rows 100000, -readers=false). Prints tables and asserts
# nothing; CI does not run it.
.PHONY: bench-import
bench-import:
	$(GO) build -o bin/benchimport ./tools/benchimport
	./bin/benchimport $(BENCH_IMPORT_ARGS)
