# tests: rules included by the top Makefile.am

# The benchmark's timer (tests/bench/create.sh runs it in the lab's dom0):
# installed only by a --enable-test-hooks build (the lab's), built for
# `make check` otherwise.
if XLITE_TEST_HOOKS
pkglibexec_PROGRAMS = tests/bench/xlite-timeit tests/bench/balance-pass
else
check_PROGRAMS += tests/bench/xlite-timeit tests/bench/balance-pass
endif
tests_bench_xlite_timeit_SOURCES = tests/bench/xlite-timeit.c
# One pass of the memory balancer over 1,000 simulated domains (figures).
tests_bench_balance_pass_SOURCES = tests/bench/balance-pass.c
tests_bench_balance_pass_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS)
tests_bench_balance_pass_LDADD = $(XLITE_CONFIG_TEST_LDADD)
EXTRA_DIST += tests/bench/create.sh

# A plain build installs no test hooks, a --enable-test-hooks build does
# (a whole plain build in a temporary directory: about a minute).
TESTS += tests/test-install-clean.sh
EXTRA_DIST += tests/test-install-clean.sh
