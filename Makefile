# chitieu — build, run and test. `make run` and `make test` are all a fresh
# machine needs beyond Go.

GO      ?= go
BIN     := bin/chitieu
DB      ?= chitieu.db
ADDR    ?= :8080

.PHONY: run build test lint bench clean

run: build
	./$(BIN) serve --db $(DB) --addr $(ADDR)

build:
	$(GO) build -o $(BIN) ./cmd/chitieu

test:
	$(GO) test -race -count=1 ./...

# go vet, formatting, and the rule that the domain imports only the
# standard library.
lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@deps=$$($(GO) list -deps ./indicators | grep '\.' | grep -v '^chitieu' || true); \
	  if [ -n "$$deps" ]; then echo "indicators imports modules outside the standard library:"; echo "$$deps"; exit 1; fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin

# Import speed and memory: long tables of 100,000 and 1,000,000 rows imported
# end to end into a fresh database, beside excelize's bare Rows iteration and
# openpyxl's read-only iteration (Debian's python3-openpyxl; its column stays
# empty without it). Prints a table and asserts nothing; CI does not run it.
.PHONY: bench-import
bench-import:
	$(GO) build -o bin/benchimport ./importers/benchimport
	./bin/benchimport
