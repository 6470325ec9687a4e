# tests: rules included by the top Makefile.am

# The benchmark's timer (tests/bench/create.sh runs it in the lab's dom0).
pkglibexec_PROGRAMS = tests/bench/xlite-timeit
tests_bench_xlite_timeit_SOURCES = tests/bench/xlite-timeit.c
EXTRA_DIST += tests/bench/create.sh
