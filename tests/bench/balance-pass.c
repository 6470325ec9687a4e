/* Benchmark: one pass of the memory balancer's policy (xlite_balance, pure,
 * libtool/memory/balance.c) over N simulated domains (default 1,000),
 * timed one pass at a time, median of PASSES (default 201). Prints figures
 * only:
 *
 *   bench balance-pass: domains=1000 contended_us=... steady_us=... room_us=...
 *
 * contended: three quarters of the guests report a demand, what they want
 * exceeds the capacity by a fifth (the squeeze's level cuts run); steady:
 * the same guests, capacity enough for all; room: making room for a create
 * of a tenth of the capacity. The domains come from a fixed seed, so runs
 * compare. tests/bench/balance.sh runs it in the lab; built by `make
 * check` (installed in pkglibexecdir by a --enable-test-hooks build).
 *
 *   balance-pass [DOMAINS [PASSES]] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "libtool/memory/balance.h"

#define MIB 1024ULL

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median microseconds of PASSES single passes over DOMS. */
static double time_passes(const struct xlite_bal_host *host, const struct xlite_bal_dom *doms,
			  size_t n, struct xlite_bal_out *out, unsigned int passes)
{
	double *us = g_new(double, passes), median;
	struct xlite_bal_summary sum;
	unsigned int k;

	for (k = 0; k < passes; k++) {
		gint64 t0 = g_get_monotonic_time();

		xlite_balance(host, doms, n, out, &sum);
		us[k] = (double)(g_get_monotonic_time() - t0);
	}
	qsort(us, passes, sizeof(*us), cmp_double);
	median = us[passes / 2];
	g_free(us);
	return median;
}

int main(int argc, char **argv)
{
	guint64 n = 1000, passes = 201;
	struct xlite_bal_dom *doms;
	struct xlite_bal_out *out;
	struct xlite_bal_host host = { 0 };
	uint64_t wanted = 0;
	double contended, steady, room;
	GRand *rand;
	size_t i;

	if ((argc > 1 && !g_ascii_string_to_unsigned(argv[1], 10, 1, 1000000, &n, NULL)) ||
	    (argc > 2 && !g_ascii_string_to_unsigned(argv[2], 10, 1, 100000, &passes, NULL)) ||
	    argc > 3) {
		fprintf(stderr, "usage: balance-pass [DOMAINS (1-1000000) [PASSES (1-100000)]]\n");
		return 2;
	}
	rand = g_rand_new_with_seed(10);
	doms = g_new0(struct xlite_bal_dom, n);
	out = g_new0(struct xlite_bal_out, n);
	for (i = 0; i < n; i++) {
		struct xlite_bal_dom *d = &doms[i];

		d->domid = (uint32_t)i + 1;
		d->min = (uint64_t)g_rand_int_range(rand, 128, 257) * MIB;
		d->max = (uint64_t)g_rand_int_range(rand, 512, 4097) * MIB;
		d->target = d->actual = d->min + (uint64_t)g_rand_int_range(rand, 0, 257) * MIB;
		d->managed = i % 50 != 0;	/* a few of another toolstack's */
		d->has_demand = d->managed && i % 4 != 0;
		d->demand = (uint64_t)g_rand_int_range(rand, 64, 1025) * MIB;
		d->demand_seq = 1;
		wanted += d->has_demand ? MIN(d->demand + 64 * MIB, d->max) : d->target;
	}
	host.headroom = 64 * MIB;
	host.step_limit = 256 * MIB;
	host.hysteresis = 16 * MIB;
	host.capacity = wanted - wanted / 5;
	contended = time_passes(&host, doms, n, out, (unsigned int)passes);
	host.capacity = wanted + wanted / 5;
	steady = time_passes(&host, doms, n, out, (unsigned int)passes);
	host.capacity = wanted;
	host.room = wanted / 10;
	room = time_passes(&host, doms, n, out, (unsigned int)passes);
	printf("bench balance-pass: domains=%" G_GUINT64_FORMAT " passes=%" G_GUINT64_FORMAT
	       " contended_us=%.1f steady_us=%.1f room_us=%.1f\n", n, passes, contended, steady,
	       room);
	g_free(doms);
	g_free(out);
	g_rand_free(rand);
	return 0;
}
