/* The balancer's policy (see balance.h): pure, no I/O, no allocation
 * beyond its work arrays. */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/memory/balance.h"

static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int cmp_u64_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Cuts the largest of SPAN[0..n) first: finds the level L so that
 * sum(max(0, span - L)) >= NEED (or L = 0 when even all is too little),
 * takes it off ALLOC, and returns what was taken. */
static uint64_t level_cut(uint64_t *alloc, const uint64_t *span, size_t n, uint64_t need)
{
	uint64_t *sorted, total = 0, taken = 0, level = 0, above = 0;
	size_t i, k;

	if (need == 0 || n == 0)
		return 0;
	for (i = 0; i < n; i++)
		total = sat_add(total, span[i]);
	if (total <= need) {
		for (i = 0; i < n; i++)
			alloc[i] -= span[i];
		return total;
	}
	sorted = g_new(uint64_t, n);
	memcpy(sorted, span, n * sizeof(*span));
	qsort(sorted, n, sizeof(*sorted), cmp_u64_desc);
	/* With the k largest above the level: sum over them of (s - L) = need. */
	for (k = 1; k <= n; k++) {
		uint64_t next = k < n ? sorted[k] : 0;

		above += sorted[k - 1];
		/* at level NEXT the k largest give above - k * next */
		if (above - k * next >= need) {
			level = (above - need) / k;	/* rounds the level down: takes >= need */
			break;
		}
	}
	for (i = 0; i < n; i++) {
		if (span[i] > level) {
			alloc[i] -= span[i] - level;
			taken += span[i] - level;
		}
	}
	g_free(sorted);
	return taken;
}

void xlite_balance(const struct xlite_bal_host *host, const struct xlite_bal_dom *doms,
		   size_t n, struct xlite_bal_out *out, struct xlite_bal_summary *sum)
{
	uint64_t *alloc = g_new0(uint64_t, n ? n : 1);
	uint64_t *lo = g_new0(uint64_t, n ? n : 1);	/* hard floor */
	uint64_t *mid = g_new0(uint64_t, n ? n : 1);	/* soft floor: demand */
	uint64_t *span = g_new0(uint64_t, n ? n : 1);
	uint64_t avail, wanted = 0, total = 0, old_total = 0, floor_total = 0, limit;
	bool making_room = host->room > 0;
	/* Making room is one decision, not a loop: no step limit, no hysteresis. */
	uint64_t step = making_room ? 0 : host->step_limit;
	uint64_t hyst = making_room ? 0 : host->hysteresis;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	sum->capacity = host->capacity;
	avail = host->capacity > host->room ? host->capacity - host->room : 0;

	/* What each wants, and how low it may go. */
	for (i = 0; i < n; i++) {
		const struct xlite_bal_dom *d = &doms[i];
		uint64_t max = d->max < d->min ? d->min : d->max;
		uint64_t target = clamp(d->target, d->min, max);

		memset(&out[i], 0, sizeof(out[i]));
		if (!d->managed) {
			out[i].want = lo[i] = mid[i] = d->target;
			out[i].reason = XLITE_BAL_UNMANAGED;
		} else if (!d->has_demand) {
			out[i].want = mid[i] = target;
			lo[i] = making_room ? d->min : target;
			out[i].reason = XLITE_BAL_NO_AGENT;
		} else {
			out[i].want = clamp(sat_add(d->demand, host->headroom), d->min, max);
			if (making_room && out[i].want > target)	/* a create grows nobody */
				out[i].want = target;
			lo[i] = d->min;
			mid[i] = clamp(d->demand, d->min, out[i].want);
		}
		alloc[i] = out[i].want;
		wanted = sat_add(wanted, out[i].want);
		floor_total = sat_add(floor_total, lo[i]);
		old_total = sat_add(old_total, d->managed ? target : d->target);
	}
	sum->wanted = wanted;
	sum->fits = floor_total <= avail;

	/* Short: the excess above demand first, then above the minimum. */
	if (wanted > avail) {
		uint64_t need = wanted - avail;

		for (i = 0; i < n; i++)
			span[i] = alloc[i] - mid[i];
		need -= level_cut(alloc, span, n, need);
		for (i = 0; i < n; i++)
			span[i] = alloc[i] - lo[i];
		level_cut(alloc, span, n, need);
	}

	/* Hysteresis and the step limit, from the current targets. */
	for (i = 0; i < n; i++) {
		const struct xlite_bal_dom *d = &doms[i];
		uint64_t max = d->max < d->min ? d->min : d->max;
		uint64_t cur = d->target, a = alloc[i];
		uint64_t diff = a > cur ? a - cur : cur - a;

		if (!d->managed) {
			out[i].target = d->target;
			continue;
		}
		if (cur < d->min || cur > max) {	/* out of bounds: at once */
			out[i].reason = cur < d->min ? XLITE_BAL_TO_MIN : XLITE_BAL_TO_MAX;
			out[i].target = clamp(a, d->min, max);
			continue;
		}
		if (diff == 0 || diff < hyst) {
			out[i].target = cur;
			if (diff && out[i].reason != XLITE_BAL_NO_AGENT)
				out[i].reason = XLITE_BAL_HYSTERESIS;
			continue;
		}
		if (step && diff > step) {
			a = a > cur ? cur + step : cur - step;
			out[i].step_limited = true;
		}
		out[i].target = a;
		if (a > cur)
			out[i].reason = XLITE_BAL_GROW;
		else if (a < out[i].want)
			out[i].reason = making_room && out[i].reason == XLITE_BAL_NO_AGENT ?
					XLITE_BAL_ROOM : XLITE_BAL_SQUEEZE;
		else
			out[i].reason = XLITE_BAL_SHRINK;
	}

	/* Growth must fit beside the rest: cut the growths, most recent first
	 * (the largest first), down to the current target or the minimum. */
	for (i = 0; i < n; i++)
		total = sat_add(total, out[i].target);
	limit = avail > old_total ? avail : old_total;
	if (making_room)
		limit = avail;
	if (total > limit) {
		uint64_t need = total - limit;

		for (i = 0; i < n; i++) {
			uint64_t base = doms[i].managed ? clamp(doms[i].target, doms[i].min,
								 doms[i].max < doms[i].min ?
								 doms[i].min : doms[i].max) : 0;

			span[i] = doms[i].managed && out[i].target > base ? out[i].target - base : 0;
		}
		for (i = 0; i < n; i++)
			alloc[i] = out[i].target;
		level_cut(alloc, span, n, need);
		for (i = 0; i < n; i++) {
			if (alloc[i] != out[i].target) {
				out[i].target = alloc[i];
				if (out[i].target == doms[i].target)
					out[i].reason = XLITE_BAL_SQUEEZE;
			}
		}
	}

	for (i = 0; i < n; i++) {
		sum->granted = sat_add(sum->granted, out[i].target);
		/* short: below its want, or held up only by its floor when the
		 * floors themselves do not fit */
		if (out[i].target < out[i].want ||
		    (!sum->fits && doms[i].managed && out[i].target <= lo[i]))
			sum->n_short++;
		if (out[i].target != doms[i].target)
			sum->n_changed++;
	}
	sum->shortfall = wanted > avail ? wanted - avail : 0;
	g_free(alloc);
	g_free(lo);
	g_free(mid);
	g_free(span);
}

uint64_t xlite_bal_capacity(uint64_t free_kib, uint64_t guests_actual_kib,
			    uint64_t dom0_actual_kib, uint64_t dom0_reserve_kib)
{
	uint64_t cap = sat_add(free_kib, guests_actual_kib);
	uint64_t lack = dom0_reserve_kib > dom0_actual_kib ? dom0_reserve_kib - dom0_actual_kib : 0;

	return cap > lack ? cap - lack : 0;
}

const char *xlite_bal_reason_str(enum xlite_bal_reason r)
{
	switch (r) {
	case XLITE_BAL_KEEP:
		return "at its want";
	case XLITE_BAL_UNMANAGED:
		return "not xlite's (no guaranteed minimum): left alone";
	case XLITE_BAL_NO_AGENT:
		return "no agent report: kept at its target";
	case XLITE_BAL_HYSTERESIS:
		return "change below the hysteresis: kept";
	case XLITE_BAL_GROW:
		return "grows to its demand + headroom";
	case XLITE_BAL_SHRINK:
		return "shrinks toward its demand + headroom";
	case XLITE_BAL_SQUEEZE:
		return "memory short: squeezed";
	case XLITE_BAL_ROOM:
		return "squeezed to make room for a create";
	case XLITE_BAL_TO_MIN:
		return "was below its minimum";
	case XLITE_BAL_TO_MAX:
		return "was above its maximum";
	}
	return "?";
}
