/* The memory balancer's policy: a pure function (no I/O). Host state and
 * each domain's figures in; new targets, a reason each, and the
 * contention out. xlite balance (--once, --watch) and create's room-making
 * read the state, call it, and apply what it says.
 *
 * Rules, in order:
 *  - every target stays within [min, max];
 *  - a domain xlite does not manage (no guaranteed minimum: another
 *    toolstack's, or dom0) is never changed; it counts at its target;
 *  - a guest without a fresh agent report is never grown, nor taken below
 *    its target (except when making room for a create, down to its min);
 *  - a guest with a report wants demand + headroom (within [min, max]);
 *  - when the wants do not fit, the squeeze takes first what guests have
 *    above their demand, from the most above it first (a guest whose demand
 *    is below its minimum counts what it has above its demand, but gives
 *    nothing below its minimum); only when even the demands do not fit is
 *    any guest taken below its demand, each by the same amount (making room
 *    for a create: the most above its minimum first), never below its
 *    minimum;
 *  - while the step limit or the hysteresis keeps a guest above its demand,
 *    no guest is taken below its demand (it waits at its demand);
 *  - changes smaller than the hysteresis are not made, and no target moves
 *    more than the step limit in one pass (a target below its minimum or
 *    above its maximum is put back at once); growth is cut so that the
 *    targets' sum never exceeds what guests can have, or what they had. */
#ifndef XLITE_MEMORY_BALANCE_H
#define XLITE_MEMORY_BALANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xlite_bal_dom {
	uint32_t domid;
	uint64_t min, max, target, actual;	/* KiB */
	bool managed;		/* xlite's: has a guaranteed minimum */
	bool has_demand;	/* a fresh, sane agent report */
	uint64_t demand;	/* KiB the guest uses (MemTotal - MemAvailable) */
	uint64_t demand_seq;	/* the report's sequence number (freshness) */
};

struct xlite_bal_host {
	uint64_t capacity;	/* KiB all guests' targets may add up to */
	uint64_t room;		/* KiB to keep free for a create (0 normally) */
	uint64_t headroom, step_limit, hysteresis;
};

enum xlite_bal_reason {
	XLITE_BAL_KEEP = 0,		/* at what it wants */
	XLITE_BAL_UNMANAGED,		/* not xlite's: left alone */
	XLITE_BAL_NO_AGENT,		/* no demand report: kept */
	XLITE_BAL_HYSTERESIS,		/* the change would be too small */
	XLITE_BAL_GROW,			/* demand + headroom */
	XLITE_BAL_SHRINK,		/* less in use: down toward demand + headroom */
	XLITE_BAL_SQUEEZE,		/* memory short: less than it wants */
	XLITE_BAL_ROOM,			/* squeezed to make room for a create */
	XLITE_BAL_TO_MIN,		/* was below its minimum */
	XLITE_BAL_TO_MAX,		/* was above its maximum */
	XLITE_BAL_HELD,			/* short: kept at its demand while
					 * others above theirs come down */
};

struct xlite_bal_out {
	uint64_t target;	/* new target */
	uint64_t want;		/* what it would have with memory enough */
	enum xlite_bal_reason reason;
	bool step_limited;	/* the move was cut by the step limit */
	bool is_short;		/* given less than it wants, or held only by
				 * its floor when the floors do not fit */
};

struct xlite_bal_summary {
	uint64_t capacity, wanted, granted;	/* KiB: sum of wants, of new targets */
	uint64_t shortfall;	/* wanted beyond what there is (contention) */
	size_t n_short;		/* guests given less than they want, or held
				 * only by their floor when floors do not fit */
	size_t n_changed;
	bool fits;		/* minimums (and room) fit in capacity */
};

/* Fills OUT[i] for each DOMS[i] and *SUM. Pure and deterministic. */
void xlite_balance(const struct xlite_bal_host *host, const struct xlite_bal_dom *doms,
		   size_t n, struct xlite_bal_out *out, struct xlite_bal_summary *sum);

const char *xlite_bal_reason_str(enum xlite_bal_reason r);

/* What guests' targets may add up to: the free memory and what guests
 * hold now, less what dom0 lacks of its reserve (dom0 is never asked to
 * give memory: it keeps what it has and at least its reserve). KiB. */
uint64_t xlite_bal_capacity(uint64_t free_kib, uint64_t guests_actual_kib,
			    uint64_t dom0_actual_kib, uint64_t dom0_reserve_kib);

/* What xlite balance --watch (and the daemon) remember of each guest's
 * reports between passes, to read them as the policy needs (pure, no
 * I/O):
 *  - a report whose sequence number has not moved for STALE passes is
 *    stale (the agent is gone): the guest is treated as agentless;
 *  - a demand is what the domain holds now (Xen) less what the guest said
 *    it had available, at some earlier moment: while the balloon moves,
 *    the two disagree (a guest being squeezed would seem to use less and
 *    less, one growing more and more). A report is taken as it is only
 *    when it is new since the last pass and the domain's allocation has
 *    not moved since then (by more than XLITE_BAL_SETTLED_KIB); else the
 *    last demand so taken stands. */
#define XLITE_BAL_STALE_PASSES 3
#define XLITE_BAL_SETTLED_KIB 2048
struct xlite_bal_history;
struct xlite_bal_history *xlite_bal_history_new(void);
void xlite_bal_history_free(struct xlite_bal_history *hist);
/* Updates HIST with DOMS (fresh from xlite_mem_host_read) and corrects
 * their has_demand and demand as above. */
void xlite_bal_history_apply(struct xlite_bal_history *hist, struct xlite_bal_dom *doms,
			     size_t n);

#endif
