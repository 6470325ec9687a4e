/* One pass of the memory balancer, as `xlite balance` and xlited run it:
 * under the host's memory lock, read every guest's figures (and the
 * reports' history of a loop), call the pure policy (balance.h) and set
 * the targets it chose. The result says each decision and its reason;
 * the caller prints or publishes it. */
#ifndef XLITE_MEMORY_PASS_H
#define XLITE_MEMORY_PASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libtool/hv/hv.h"
#include "libtool/memory/balance.h"
#include "libtool/memory/conf.h"

struct xlite_bal_decision {
	uint32_t domid;
	char *name;			/* NULL when xenstore has none */
	struct xlite_bal_dom dom;	/* as read (target: before the pass) */
	struct xlite_bal_out out;	/* what the policy chose */
	bool changed;			/* out.target != dom.target */
	char *apply_err;		/* the change failed: why (NULL: made or none) */
};

struct xlite_bal_pass {
	struct xlite_bal_decision *decisions;
	size_t n;
	struct xlite_bal_summary sum;
};

void xlite_bal_pass_init(struct xlite_bal_pass *p);
void xlite_bal_pass_dispose(struct xlite_bal_pass *p);
/* One pass into P (initialised): DRY_RUN decides and changes nothing
 * (and takes no lock); HISTORY (may be NULL) is a loop's memory of the
 * reports. 0, also when some changes failed (each decision's apply_err);
 * -errno with *err when the host could not be read (P then empty). */
int xlite_bal_pass_run(struct xlite_hv *hv, const struct xlite_memconf *mc, bool dry_run,
		       struct xlite_bal_history *history, const char *lock_dir,
		       struct xlite_bal_pass *p, char **err);

#endif
