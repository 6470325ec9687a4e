/* pv-drivers core: the guest agent's report to xenstore. */
#include "pv-drivers/core/agent.h"
#include "pv-drivers/core/xs.h"

static int write_report(struct pvd_platform *p, pvd_txn_t t,
			const struct pvd_meminfo *m, uint64_t seq)
{
	const struct {
		const char *name;
		uint64_t value;
	} nodes[] = {
		{ "meminfo_total", m->total_kib },
		{ "meminfo_free", m->free_kib },
		{ "meminfo_available", m->available_kib },
		{ "meminfo_swap_total", m->swap_total_kib },
		{ "meminfo_swap_free", m->swap_free_kib },
		{ "meminfo_seq", seq },
	};
	unsigned int i;
	int r = 0;

	for (i = 0; r == 0 && i < PVD_ARRAY_SIZE(nodes); i++)
		r = pvd_xs_write_u64(p, t, PVD_AGENT_DIR, nodes[i].name, nodes[i].value);
	return r;
}

int pvd_agent_publish(struct pvd_platform *p, const struct pvd_meminfo *m,
		      uint64_t seq)
{
	unsigned int tries;
	int r;

	pvd_err_clear(&p->err);
	for (tries = 0; tries < 16; tries++) {
		pvd_txn_t t;

		r = p->ops->xs_txn_start(p, &t);
		if (r < 0)
			return r;
		r = write_report(p, t, m, seq);
		if (r < 0) {
			(void)p->ops->xs_txn_end(p, t, false);
			return r;
		}
		r = p->ops->xs_txn_end(p, t, true);
		if (r != -EAGAIN)
			return r;
	}
	return pvd_fail(&p->err, -EAGAIN, "data/: xenstore transaction kept "
			"conflicting");
}
