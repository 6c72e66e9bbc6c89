"""Performance measurements, run by `make bench` (never by `make test`).

Each module `benchmarks/bench_<name>.py` defines `run() -> dict` and returns its figures;
`python -m benchmarks [name ...]` runs them and prints one JSON object."""
