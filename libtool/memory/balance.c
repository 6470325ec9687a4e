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

/* What cutting every I to LEVEL takes: min(CAP[i], KEY[i] - LEVEL) of
 * those whose KEY is above the level. */
static uint64_t taken_at(const uint64_t *key, const uint64_t *cap, size_t n, uint64_t level)
{
	uint64_t taken = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (key[i] > level)
			taken = sat_add(taken, MIN(cap[i], key[i] - level));
	return taken;
}

/* Cuts the largest KEY first, each I by at most CAP[i]: finds the highest
 * level L so that the sum of min(CAP[i], KEY[i] - L) is >= NEED (or takes
 * every CAP when even that is too little), takes it off ALLOC, and returns
 * what was taken. With KEY = CAP this levels the spans (the largest cut
 * first); with one KEY for all, every I gives the same (up to its CAP). */
static uint64_t capped_cut(uint64_t *alloc, const uint64_t *key, const uint64_t *cap, size_t n,
			   uint64_t need)
{
	uint64_t lo = 0, hi = 0, total;
	size_t i;

	if (need == 0 || n == 0)
		return 0;
	for (i = 0; i < n; i++)
		hi = MAX(hi, key[i]);
	total = taken_at(key, cap, n, 0);
	if (total <= need) {
		for (i = 0; i < n; i++)
			alloc[i] -= cap[i];
		return total;
	}
	/* taken_at falls as the level rises: taken_at(lo) >= need > taken_at(hi) */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (taken_at(key, cap, n, mid) >= need)
			lo = mid;
		else
			hi = mid;
	}
	total = 0;
	for (i = 0; i < n; i++) {
		uint64_t c = key[i] > lo ? MIN(cap[i], key[i] - lo) : 0;

		alloc[i] -= c;
		total += c;
	}
	return total;
}

void xlite_balance(const struct xlite_bal_host *host, const struct xlite_bal_dom *doms,
		   size_t n, struct xlite_bal_out *out, struct xlite_bal_summary *sum)
{
	uint64_t *alloc = g_new0(uint64_t, n ? n : 1);
	uint64_t *lo = g_new0(uint64_t, n ? n : 1);	/* hard floor */
	uint64_t *mid = g_new0(uint64_t, n ? n : 1);	/* soft floor: demand */
	uint64_t *span = g_new0(uint64_t, n ? n : 1);
	uint64_t *key = g_new0(uint64_t, n ? n : 1);
	uint64_t avail, wanted = 0, total = 0, old_total = 0, floor_total = 0, limit;
	bool making_room = host->room > 0, held;
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

	/* Short: first the excess above demand, the most above its demand
	 * first (a guest whose demand is below its minimum counts all it has
	 * above its demand, though it gives nothing below the minimum); then,
	 * when even the demands do not fit, below the demands: every guest
	 * gives the same (a create takes the most above its minimum first),
	 * none below its minimum. */
	if (wanted > avail) {
		uint64_t need = wanted - avail, taken;

		for (i = 0; i < n; i++) {
			uint64_t dem = doms[i].managed && doms[i].has_demand ?
				       MIN(doms[i].demand, alloc[i]) : mid[i];

			key[i] = alloc[i] - dem;
			span[i] = alloc[i] - mid[i];
		}
		taken = capped_cut(alloc, key, span, n, need);
		need = need > taken ? need - taken : 0;
		for (i = 0; i < n; i++) {
			span[i] = alloc[i] - lo[i];
			key[i] = making_room ? span[i] : UINT64_MAX / 2;
		}
		capped_cut(alloc, key, span, n, need);
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

	/* While the step limit or the hysteresis keeps a guest above its
	 * demand, no guest is taken below its demand (mid): those wait at
	 * their demand, or where they are when already below it. */
	held = false;
	for (i = 0; i < n && !making_room; i++)
		if (doms[i].managed && doms[i].has_demand && out[i].target > mid[i])
			held = true;
	for (i = 0; i < n && held; i++) {
		const struct xlite_bal_dom *d = &doms[i];
		uint64_t floor = MIN(d->target, mid[i]);

		if (!d->managed || !d->has_demand || out[i].target >= floor)
			continue;
		out[i].target = d->target - floor < hyst ? d->target : floor;
		out[i].step_limited = false;
		out[i].reason = XLITE_BAL_HELD;
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
		capped_cut(alloc, span, span, n, need);
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
		out[i].is_short = out[i].target < out[i].want ||
				   (!sum->fits && doms[i].managed && out[i].target <= lo[i]);
		if (out[i].is_short)
			sum->n_short++;
		if (out[i].target != doms[i].target)
			sum->n_changed++;
	}
	sum->shortfall = wanted > avail ? wanted - avail : 0;
	g_free(alloc);
	g_free(lo);
	g_free(mid);
	g_free(span);
	g_free(key);
}

struct seen {
	uint64_t seq, actual, demand;
	unsigned int same;
};

struct xlite_bal_history {
	GHashTable *seen;	/* domid -> struct seen */
};

struct xlite_bal_history *xlite_bal_history_new(void)
{
	struct xlite_bal_history *hist = g_new0(struct xlite_bal_history, 1);

	hist->seen = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	return hist;
}

void xlite_bal_history_free(struct xlite_bal_history *hist)
{
	if (!hist)
		return;
	g_hash_table_destroy(hist->seen);
	g_free(hist);
}

void xlite_bal_history_apply(struct xlite_bal_history *hist, struct xlite_bal_dom *doms,
			     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct xlite_bal_dom *d = &doms[i];
		struct seen *s = g_hash_table_lookup(hist->seen, GUINT_TO_POINTER(d->domid));
		bool fresh, settled;

		if (!d->has_demand)
			continue;
		if (!s) {
			s = g_new0(struct seen, 1);
			s->seq = d->demand_seq;
			s->actual = d->actual;
			s->demand = d->demand;
			g_hash_table_insert(hist->seen, GUINT_TO_POINTER(d->domid), s);
			continue;
		}
		fresh = d->demand_seq != s->seq;
		settled = (d->actual > s->actual ? d->actual - s->actual : s->actual - d->actual) <=
			  XLITE_BAL_SETTLED_KIB;
		s->same = fresh ? 0 : s->same + 1;
		s->seq = d->demand_seq;
		s->actual = d->actual;
		if (fresh && settled)
			s->demand = d->demand;
		else
			d->demand = s->demand;
		if (s->same >= XLITE_BAL_STALE_PASSES)
			d->has_demand = false;
	}
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
	case XLITE_BAL_HELD:
		return "memory short: held at its demand while others above theirs come down";
	}
	return "?";
}
