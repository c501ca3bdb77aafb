# The two commands of README.md: `make run` and `make test`.
.PHONY: setup build run test lint bench

setup:
	scripts/setup.sh

build: setup
	cargo build --release

# Installs what is missing, builds, and serves http://127.0.0.1:8080 (an empty store is created
# under data/ and filled with demo citizens on first start).
run: build
	./target/release/sskiosk serve

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings

# The whole suite. PostgreSQL tests run too when SSKIOSK_TEST_POSTGRES_URL is set
# (e.g. postgres://postgres@127.0.0.1:5432/postgres); .ci/run sets it.
test: setup lint
	cargo test

# Benchmarks with their figures printed as a table (release build; takes several minutes).
bench: setup
	cargo build --release
	cargo bench --bench store
