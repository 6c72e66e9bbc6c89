"""Pieces of the load benchmark (benchmarks/bench_load.py): the province-sized data set, the HTTP load generator."""
