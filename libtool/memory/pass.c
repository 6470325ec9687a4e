/* One pass of the memory balancer (see pass.h). */
#include <string.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/domain.h"
#include "libtool/memory/host.h"
#include "libtool/memory/memory.h"
#include "libtool/memory/pass.h"

void xlite_bal_pass_init(struct xlite_bal_pass *p)
{
	memset(p, 0, sizeof(*p));
}

void xlite_bal_pass_dispose(struct xlite_bal_pass *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		g_free(p->decisions[i].name);
		g_free(p->decisions[i].apply_err);
	}
	g_free(p->decisions);
	memset(p, 0, sizeof(*p));
}

int xlite_bal_pass_run(struct xlite_hv *hv, const struct xlite_memconf *mc, bool dry_run,
		       struct xlite_bal_history *history, const char *lock_dir,
		       struct xlite_bal_pass *p, char **err)
{
	struct xlite_mem_host h;
	struct xlite_bal_host bh = { 0 };
	struct xlite_bal_out *out = NULL;
	int lock_fd = -1;
	size_t i;
	int rc;

	xlite_mem_host_init(&h);
	/* A create making room waits for the memory it freed: a pass must not
	 * hand that memory back to the others meanwhile. */
	rc = dry_run ? 0 : xlite_memory_lock(lock_dir ? lock_dir : XLITE_LOCK_DIR, &lock_fd, err);
	if (rc == 0)
		rc = xlite_mem_host_read(hv, mc, &h, err);
	if (rc < 0)
		goto out;
	if (history)	/* stale reports, and demands read while a balloon moves */
		xlite_bal_history_apply(history, h.doms, h.n);
	bh.capacity = h.capacity_kib;
	bh.headroom = mc->headroom_kib;
	bh.step_limit = mc->step_limit_kib;
	bh.hysteresis = mc->hysteresis_kib;
	out = g_new0(struct xlite_bal_out, h.n ? h.n : 1);
	xlite_balance(&bh, h.doms, h.n, out, &p->sum);
	p->decisions = g_new0(struct xlite_bal_decision, h.n ? h.n : 1);
	p->n = h.n;
	for (i = 0; i < h.n; i++) {
		struct xlite_bal_decision *d = &p->decisions[i];

		d->domid = h.doms[i].domid;
		d->name = xlite_domain_name(hv, d->domid);
		d->dom = h.doms[i];
		d->out = out[i];
		d->changed = out[i].target != h.doms[i].target;
		if (d->changed && !dry_run &&
		    xlite_mem_apply_target(hv, d->domid, out[i].target, &d->apply_err) < 0 &&
		    !d->apply_err)
			d->apply_err = g_strdup("failed");
	}
out:
	xlite_name_unlock(&lock_fd);
	g_free(out);
	xlite_mem_host_dispose(&h);
	return rc;
}
