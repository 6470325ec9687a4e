/* pv-drivers core: Xen's shared rings (xen/io/ring.h), with the memory
 * barriers ring.h leaves to its includer and the one check every consumer
 * makes before trusting the other end's producer index. */
#ifndef PVD_RING_H
#define PVD_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <xen/io/ring.h>

/* ring.h leaves the barriers to us (or, for an old interface version,
 * maps them to mb()/rmb()/wmb() nobody defines). The other end runs on
 * another CPU: real fences, not just compiler barriers. The macros are
 * expanded where the ring macros are used, so defining them here, after
 * ring.h, is enough. */
#undef xen_mb
#undef xen_rmb
#undef xen_wmb
#define xen_mb() atomic_thread_fence(memory_order_seq_cst)
#define xen_rmb() atomic_thread_fence(memory_order_acquire)
#define xen_wmb() atomic_thread_fence(memory_order_release)

/* The other end's index, read once from shared memory. */
static inline RING_IDX pvd_ring_read_idx(const RING_IDX *idx)
{
	return *(const volatile RING_IDX *)idx;
}

/* May the other end claim PROD responses when we have consumed up to CONS
 * and produced requests up to REQ_PROD? It may not answer more requests
 * than we made: anything else is a broken or hostile backend, and indices
 * past that point would read slots we never filled. Wrap-around safe. */
static inline bool pvd_ring_rsp_prod_ok(RING_IDX prod, RING_IDX cons,
					RING_IDX req_prod)
{
	return (RING_IDX)(prod - cons) <= (RING_IDX)(req_prod - cons);
}

#endif
