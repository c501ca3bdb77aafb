# Shortcuts; the two commands of README.md are scripts/run.sh and scripts/test.sh, which need
# nothing but bash (a fresh machine may not have make yet).
.PHONY: run test bench bench-window

run:
	scripts/run.sh

test:
	scripts/test.sh

# Benchmarks, printed as tables (release build; several minutes). PostgreSQL is included when
# SSKIOSK_BENCH_POSTGRES_URL or SSKIOSK_TEST_POSTGRES_URL is set.
bench:
	scripts/setup.sh
	cargo bench --bench store
	cargo bench --bench certificate
	cargo bench --bench card
	scripts/bench-baseline.sh
	cargo bench --bench kiosk
	cargo bench --bench checks
	cargo bench --bench hall
	$(MAKE) bench-window

# The window's lookup under load from wrk (issue 6): 50 sessions for 30 s against 100,000
# citizens; builds the stores once into target/bench-cache (minutes the first time).
bench-window:
	scripts/setup.sh
	cargo bench --bench window
