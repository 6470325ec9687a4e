/* xlite apply: a plan becomes a running domain, or nothing at all.
 *
 * Steps, each undone by rollback when a later one fails:
 *   name lock, name check, memory check -> domain_create -> max_vcpus,
 *   maxmem, memmap limit, cpuid -> console and store event channels ->
 *   disks (loop devices) and bridges -> build the PV image -> ONE xenstore
 *   transaction with every node -> introduce to xenstored -> vifs on their
 *   bridges, hotplug-status -> scheduler weight/cap -> unpause (unless
 *   paused was asked) -> for a guest booted from its disk, wait until
 *   pvgrub2 started its kernel (boot_timeout_ms).
 * Rollback: destroy the domain (its event channels and memory go with it),
 * remove every xenstore subtree written, release the loop devices, wait
 * until blkback and netback let go of them. Each undo step that fails adds
 * a line ("rollback: ...") to the error; a domain Xen will not destroy
 * keeps its xenstore nodes and loop devices.
 */
#ifndef XLITE_APPLY_H
#define XLITE_APPLY_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "libtool/hv/hv.h"
#include "libtool/plan/plan.h"

#define XLITE_LOCK_DIR "/run/xlite"
#define XLITE_KCACHE_DIR "/var/cache/xlite/kernels"

struct xlite_memconf;

struct xlite_apply_opts {
	bool paused;			/* leave the domain paused (create -p) */
	const char *lock_dir;		/* NULL: XLITE_LOCK_DIR */
	const char *kcache_dir;		/* NULL: no kernel cache */
	uint64_t kcache_max;		/* its bound in bytes (xlite.conf's max-size) */
	int vif_timeout_ms;		/* wait for vifD.N; 0: 10 s */
	bool lock_held;			/* the caller holds the name lock already */
	bool mem_lock_held;		/* ... the memory lock (with memconf) */
	/* Admission (issue 10): minimums beside dom0's reserve, room made by
	 * lowering other guests; NULL: only the free-memory check. */
	const struct xlite_memconf *memconf;
	int room_timeout_ms;		/* wait for the room; 0: 30 s */
	/* Restore (libtool/save/): the domain's memory and state come from
	 * RESTORE in place of the PV build (its CPUID policy with them);
	 * it fills B's mfns, or fails with hv->err. NULL: a create. */
	int (*restore)(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b,
		       void *opaque);
	void *restore_opaque;
	/* A disk-booted plan (issue 13), not paused: wait this long for
	 * pvgrub2 to start the guest's kernel; past it the create fails and
	 * is rolled back. 0: do not wait. */
	int boot_timeout_ms;
	/* A disk-booted plan: wait this long for blkback to reach InitWait on
	 * each disk before the guest runs (pvgrub2 needs it); 0: 30 s. */
	int backend_timeout_ms;
};

struct xlite_apply_result {
	uint32_t domid;
	GPtrArray *loops;		/* "/dev/loopN" set up for the disks */
	unsigned long xs_requests;	/* xenstore requests this create sent */
	bool kcache_hit;
	/* milliseconds per phase, for `create -v` and the benchmark */
	double ms_domain, ms_build, ms_xenstore, ms_devices, ms_total;
	double ms_introduce;		/* part of ms_xenstore */
	double ms_boot;			/* pvgrub2 until the guest's kernel ran */
};

void xlite_apply_result_init(struct xlite_apply_result *r);
void xlite_apply_result_dispose(struct xlite_apply_result *r);

/* 0 with RESULT filled, or -errno with *err saying which step failed and
 * why (caller frees); then nothing of the domain is left. -EEXIST: a
 * domain of that name exists. */
int xlite_apply(struct xlite_hv *hv, const struct xlite_plan *plan,
		const struct xlite_apply_opts *opts, struct xlite_apply_result *result,
		char **err);

/* The per-name lock (flock on DIR/NAME.lock, DIR created 0700): *fd >= 0
 * while held. Blocks while another process holds it. */
int xlite_name_lock(const char *dir, const char *name, int *fd, char **err);
void xlite_name_unlock(int *fd);

/* The host's memory lock (flock on DIR/XLITE_MEMORY_LOCK_FILE; a name
 * lock's file always ends in .lock, so no domain name can take it): held
 * by a create with admission from its decision until its domain holds its
 * memory in Xen, by a raise of a guaranteed minimum and by each balancer
 * pass, so that two of them never count the same free memory. Blocks
 * while held; xlite_name_unlock() releases it. */
#define XLITE_MEMORY_LOCK_FILE "memory.flock"
int xlite_memory_lock(const char *dir, int *fd, char **err);
/* xlite_mem_host_set_min() (admission of a raised minimum, then the
 * change) under that lock: for the CLI's mem-min and xlited. */
int xlite_mem_set_min_locked(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err);

/* xlited's lock (flock on DIR/XLITE_DAEMON_LOCK_FILE), held while it
 * runs: one daemon per host, and the CLI's monitors know it is there.
 * -EBUSY when another process holds it. */
#define XLITE_DAEMON_LOCK_FILE "xlited.flock"
int xlite_daemon_lock(const char *dir, int *fd, char **err);
/* Whether a process holds DIR's daemon lock now. */
bool xlite_daemon_running(const char *dir);

#endif
