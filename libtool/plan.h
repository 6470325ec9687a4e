/* xlite plan: everything a create will do, computed from a config by a pure
 * function (no I/O). Values known only while applying (domain id, ring
 * frames, event channels, loop devices) appear as ${...} placeholders that
 * apply substitutes; `xlite create -n` prints the plan with them unexpanded.
 *
 * Placeholders: ${domid} ${uuid} ${console.mfn} ${console.port}
 *               ${store.mfn} ${store.port} ${disk.N.physdev} (hex "maj:min")
 *               ${disk.N.path} (loop device or block device path)
 */
#ifndef XLITE_PLAN_H
#define XLITE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libtool/config.h"

enum xlite_xs_op_kind {
	XLITE_XS_MKDIR = 0,	/* create directory PATH, then set PERMS */
	XLITE_XS_WRITE,		/* write VALUE at PATH (inherits perms) */
};

struct xlite_xs_op {
	enum xlite_xs_op_kind kind;
	char *path;		/* absolute, may hold placeholders */
	char *value;		/* WRITE only */
	char *perms;		/* MKDIR only: "n0,r${domid}" as xenstore-chmod takes them */
};

struct xlite_xs_ops {
	struct xlite_xs_op *ops;
	size_t n;
};

struct xlite_plan_disk {
	struct xlite_disk disk;		/* copy of the config's disk */
	bool needs_loop;		/* file-backed: xlite sets up a loop device */
	char *backend;			/* /local/domain/0/backend/vbd/${domid}/VDEV */
	char *frontend;			/* /local/domain/${domid}/device/vbd/VDEV */
	struct xlite_xs_ops nodes;	/* frontend dir first, then backend dir */
};

struct xlite_plan_nic {
	struct xlite_nic nic;
	unsigned int devid;
	char mac[18];			/* "00:16:3e:xx:xx:xx" */
	char *backend;			/* /local/domain/0/backend/vif/${domid}/DEVID */
	char *frontend;
	char *vif;			/* "vif${domid}.DEVID" */
	struct xlite_xs_ops nodes;
};

struct xlite_plan {
	char *name;
	char uuid[37];
	uint64_t max_pages;		/* 4 KiB pages, from memory_kib */
	uint64_t target_pages;		/* from current_kib */
	uint64_t memory_kib, current_kib, min_kib;
	uint64_t maxmem_kib;		/* xc_domain_setmaxmem: memory_kib + slack */
	unsigned int max_vcpus, cur_vcpus;
	unsigned int weight, cap;
	char *kernel, *initrd, *cmdline;
	enum xlite_action on_poweroff, on_reboot, on_crash;
	struct xlite_xs_ops domain_nodes;	/* /local/domain/${domid}, /vm/${uuid} */
	struct xlite_plan_disk *disks;
	size_t n_disks;
	struct xlite_plan_nic *nics;
	size_t n_nics;
};

void xlite_plan_init(struct xlite_plan *plan);
void xlite_plan_dispose(struct xlite_plan *plan);

/* Pure: fills PLAN from CFG. 0 or -errno with *err set. */
int xlite_plan_build(struct xlite_plan *plan, const struct xlite_config *cfg,
		     char **err);

/* Plan as text (what `xlite create -n` prints) or JSON; caller frees. */
char *xlite_plan_to_text(const struct xlite_plan *plan);
char *xlite_plan_to_json(const struct xlite_plan *plan);

/* Substitute placeholders in S using LOOKUP; NULL on an unknown name. */
typedef const char *xlite_lookup_fn(const char *name, void *opaque);
char *xlite_expand(const char *s, xlite_lookup_fn *lookup, void *opaque);

#endif
