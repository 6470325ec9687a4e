/* pv-drivers core: the guest agent's report to xenstore. */
#include "pv-drivers/core/agent.h"
#include "pv-drivers/core/xs.h"

struct report {
	const struct pvd_meminfo *m;
	uint64_t seq;
};

static int write_report(struct pvd_platform *p, pvd_txn_t t, void *opaque)
{
	const struct report *rep = opaque;
	const struct pvd_meminfo *m = rep->m;
	const struct {
		const char *name;
		uint64_t value;
	} nodes[] = {
		{ "meminfo_total", m->total_kib },
		{ "meminfo_free", m->free_kib },
		{ "meminfo_available", m->available_kib },
		{ "meminfo_swap_total", m->swap_total_kib },
		{ "meminfo_swap_free", m->swap_free_kib },
		{ "meminfo_seq", rep->seq },
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
	struct report rep = { m, seq };

	pvd_err_clear(&p->err);
	return pvd_xs_transaction(p, "data/", write_report, &rep);
}
