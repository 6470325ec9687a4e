/* A pv-drivers platform for the fuzz targets: xenstore is a table, grants
 * are allocations, the clock is virtual, and whenever a frontend waits, a
 * "backend" acts on what the fuzz input says next (a state, a node value,
 * a response in the ring, an index). Input exhausted: waits time out at
 * once, so every run ends. */
#ifndef FUZZ_PVD_PLAT_H
#define FUZZ_PVD_PLAT_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "pv-drivers/core/platform.h"

struct fz;

/* The device's backend: one action per call, from the input (fz_u8...).
 * Returns PVD_WAKE_* bits, or -1 when it did nothing (the wait then
 * times out). */
typedef int fz_backend_fn(struct fz *f, void *opaque);

struct fz {
	struct pvd_platform plat;
	const uint8_t *data;
	size_t size, off;
	GHashTable *xs;			/* path -> value, as the frontend names them */
	uint64_t now;
	pvd_txn_t next_txn;
	unsigned int fail_commits;	/* next N commits: -EAGAIN */
	unsigned int fail_ops;		/* next N grant/evtchn calls fail */
	GHashTable *grants;		/* page -> count */
	unsigned int grants_active;	/* pages */
	unsigned int ports_open;
	uint32_t next_port, next_ref;
	unsigned int watches;
	fz_backend_fn *backend;
	void *opaque;
};

void fz_init(struct fz *f, const uint8_t *data, size_t size);
void fz_dispose(struct fz *f);
/* A target's LLVMFuzzerTestOneInput: the first byte's low bit picks
 * ODD or EVEN, which get a platform on the rest of the input. */
int fz_run(const uint8_t *data, size_t size, void (*even)(struct fz *f),
	   void (*odd)(struct fz *f));

/* Input; 0 (or nothing) once exhausted. */
bool fz_more(const struct fz *f);
uint8_t fz_u8(struct fz *f);
uint16_t fz_u16(struct fz *f);
uint32_t fz_u32(struct fz *f);
uint64_t fz_u64(struct fz *f);
/* A short string (length byte, then bytes, cut at a NUL); g_free it. */
char *fz_str(struct fz *f);
/* PATH set to a string from the input if its next byte is odd, else to DEF. */
void fz_xs_set_or(struct fz *f, const char *path, const char *def);

void fz_xs_set(struct fz *f, const char *path, const char *value);
const char *fz_xs_get(struct fz *f, const char *path);
void fz_xs_rm(struct fz *f, const char *path);

/* Common backend actions on the node BE_DIR (a backend directory) and the
 * platform: a state (valid number, or any string), a node removed or set
 * (NODES, NULL-terminated names), a failure injected, the clock moved.
 * Returns PVD_WAKE_* bits; OP is the action byte already read. */
int fz_common_action(struct fz *f, uint8_t op, const char *be_dir,
		     const char *const *nodes);

#endif
