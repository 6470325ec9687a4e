/* pv-drivers test platform: the platform interface implemented in
 * process, with a loopback backend for each device kind (blkback-like on a
 * memory buffer, netback-like on a pair of frame queues), each of which can
 * be told to misbehave. For unit tests on a machine without Xen.
 *
 * Backends act only when the frontend waits (pvd_platform wait()), as a
 * real backend runs while the guest sleeps, and only on what a real one
 * reacts to: a write of the frontend's state node, a notification on the
 * event channel, a frame arriving from the "network". The clock is
 * virtual: a wait that nothing ends advances it by its timeout at once. */
#ifndef PVD_TESTPLAT_H
#define PVD_TESTPLAT_H

#include <stddef.h>

#include <xen/io/xenbus.h>

#include "pv-drivers/core/platform.h"

struct pvd_test;
struct pvd_test_vbd;
struct pvd_test_vif;

enum pvd_test_misbehave {
	PVD_TEST_GOOD = 0,
	PVD_TEST_BAD_ID,	/* answers with an id that was never sent */
	PVD_TEST_DUP_ID,	/* answers each request twice */
	PVD_TEST_BAD_PROD,	/* response index far past the requests */
	PVD_TEST_BAD_OP,	/* blk: wrong operation in the response */
	PVD_TEST_BAD_STATUS,	/* blk: a status blkif does not define */
	PVD_TEST_IO_ERROR,	/* blk: BLKIF_RSP_ERROR for every request */
	PVD_TEST_SILENT,	/* never answers */
	PVD_TEST_CLOSE_ON_IO,	/* goes Closing at the first request */
	PVD_TEST_REFUSE,	/* goes Closing instead of connecting */
	PVD_TEST_NEVER_READY,	/* stays Initialising */
	PVD_TEST_RX_BAD_SIZE,	/* net: rx frame longer than its page */
	PVD_TEST_RX_BAD_OFFSET,	/* net: rx offset past the page */
	PVD_TEST_RX_MORE_DATA,	/* net: multi-slot rx without feature-sg */
	PVD_TEST_RX_ERROR,	/* net: rx responses with an error status */
};

struct pvd_test *pvd_test_new(uint16_t guest_domid);
void pvd_test_free(struct pvd_test *t);
struct pvd_platform *pvd_test_platform(struct pvd_test *t);
uint64_t pvd_test_now(const struct pvd_test *t);

/* xenstore as the toolstack sees it: absolute paths. get: g_free it. */
void pvd_test_xs_set(struct pvd_test *t, const char *path, const char *value);
char *pvd_test_xs_get(struct pvd_test *t, const char *path);
void pvd_test_xs_rm(struct pvd_test *t, const char *path);	/* subtree */
void pvd_test_xs_fail_commits(struct pvd_test *t, unsigned int n);
unsigned int pvd_test_xs_watches(const struct pvd_test *t);

/* What the frontends still hold. */
unsigned int pvd_test_grants_active(const struct pvd_test *t);
unsigned int pvd_test_ports_open(const struct pvd_test *t);
/* Times a backend found a grant it had mapped already ended (a frontend
 * released its pages while the backend could still use them). */
unsigned int pvd_test_stale_maps(const struct pvd_test *t);
/* Failures to inject in the platform itself (next N calls fail). */
void pvd_test_fail_grants(struct pvd_test *t, unsigned int n);
void pvd_test_fail_evtchn(struct pvd_test *t, unsigned int n);

struct pvd_test_vbd_config {
	uint64_t sectors;		/* 512-byte sectors */
	uint32_t sector_size;		/* logical; 0 means 512 */
	bool readonly;
	bool flush;			/* offer feature-flush-cache */
	enum pvd_test_misbehave misbehave;
	/* After connecting, write NODE=VALUE into the backend directory
	 * (e.g. sectors=banana, state=42). */
	const char *override_node, *override_value;
};

/* A vbd as a toolstack plus blkback make it: frontend and backend nodes,
 * backend in InitWait, a zeroed disk of cfg->sectors sectors. */
struct pvd_test_vbd *pvd_test_vbd_add(struct pvd_test *t, uint32_t vdev,
				      const struct pvd_test_vbd_config *cfg);
uint8_t *pvd_test_vbd_disk(struct pvd_test_vbd *v);
XenbusState pvd_test_vbd_state(const struct pvd_test_vbd *v);
unsigned int pvd_test_vbd_requests(const struct pvd_test_vbd *v);
unsigned int pvd_test_vbd_flushes(const struct pvd_test_vbd *v);
void pvd_test_vbd_misbehave(struct pvd_test_vbd *v, enum pvd_test_misbehave m);
const char *pvd_test_vbd_backend(const struct pvd_test_vbd *v);
/* The toolstack unplugs it: backend goes Closing. */
void pvd_test_vbd_unplug(struct pvd_test_vbd *v);
/* Most requests the backend ever found waiting in the ring at once. */
unsigned int pvd_test_vbd_max_inflight(const struct pvd_test_vbd *v);
/* Moves the backend's side of an idle ring (every request answered) to
 * index START, shared indices included, to test index wrap-around; the
 * test moves the frontend's private indices itself. */
void pvd_test_vbd_shift_ring(struct pvd_test_vbd *v, uint32_t start);

struct pvd_test_vif_config {
	const char *mac;		/* NULL: 00:16:3e:00:00:01 */
	bool no_rx_copy;		/* backend without feature-rx-copy */
	enum pvd_test_misbehave misbehave;
	const char *override_node, *override_value;
};

struct pvd_test_vif *pvd_test_vif_add(struct pvd_test *t, uint32_t handle,
				      const struct pvd_test_vif_config *cfg);
XenbusState pvd_test_vif_state(const struct pvd_test_vif *v);
void pvd_test_vif_misbehave(struct pvd_test_vif *v, enum pvd_test_misbehave m);
/* A frame arrives from the network for the guest (queued until the
 * frontend has rx buffers posted). */
void pvd_test_vif_inject(struct pvd_test_vif *v, const void *frame, size_t len);
size_t pvd_test_vif_queued_to_guest(const struct pvd_test_vif *v);
/* Next frame the guest sent; its length, 0 if none. */
size_t pvd_test_vif_take(struct pvd_test_vif *v, void *buf, size_t size);
/* Frames the backend rejected as malformed. */
unsigned int pvd_test_vif_tx_rejected(const struct pvd_test_vif *v);
/* As pvd_test_vbd_shift_ring, for both rings of an idle vif whose rx ring
 * holds a full set of posted buffers; START must be a multiple of the rx
 * ring size. */
void pvd_test_vif_shift_rings(struct pvd_test_vif *v, uint32_t start);

#endif
