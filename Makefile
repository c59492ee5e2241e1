# The two commands of the README:
#   make serve   installs what is missing, then serves the playground on http://127.0.0.1:8080
#   make test    installs what is missing, then runs every tier of tests
# Other targets: make release (dist/ for any static host), make lint, make fmt.

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: serve test release bench lint fmt tools tools-test

serve: tools
	cargo fetch --quiet
	trunk serve

test: tools-test
	scripts/test.sh

release: tools
	cargo fetch --quiet
	trunk build --release
	node scripts/csp.mjs
	scripts/size.sh

# The benchmark: not part of `make test` (it measures, it does not pass or fail).
bench: tools-test
	cargo fetch --quiet
	trunk build --release --features bench --dist target/bench-dist
	node scripts/csp.mjs target/bench-dist
	DIST=$(CURDIR)/target/bench-dist node benches/run.mjs

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown --features bench -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown --features studio -- -D warnings

fmt:
	cargo fmt --all

tools:
	scripts/tools.sh build

tools-test:
	scripts/tools.sh test
