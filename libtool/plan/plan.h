/* xlite plan: everything a create will do, computed from a config by a pure
 * function (no I/O). Values known only while applying (domain id, ring
 * frames, event channels, loop devices) appear as ${...} placeholders that
 * apply substitutes; `xlite create -n` prints the plan with them unexpanded.
 *
 * Placeholders: ${domid} ${uuid} ${console.mfn} ${console.port}
 *               ${store.mfn} ${store.port} ${disk.N.physdev} (hex "maj:min")
 *               ${disk.N.path} (loop device or block device path)
 * N is the disk's index in the config (0-based). A literal '$' in a value
 * taken from the config is written "$$".
 *
 * Order of the xenstore ops matters and is the order to apply them in:
 * each directory is made with its permissions before its nodes are written
 * (children inherit); a device's frontend directory comes before its
 * backend directory (Linux never probes a backend whose frontend is
 * missing). A MKDIR costs two xenstore requests (MKDIR, SET_PERMS), a
 * WRITE one.
 */
#ifndef XLITE_PLAN_H
#define XLITE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libtool/parse/config.h"

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
	struct xlite_disk disk;		/* copy of the config's disk (own strings) */
	bool needs_loop;		/* raw file: xlite sets up a loop device */
	bool needs_nbd;			/* qcow2: xlite serves it with qemu-nbd on an nbd device */
	char *backend;			/* /local/domain/0/backend/vbd/${domid}/VDEV */
	char *frontend;			/* /local/domain/${domid}/device/vbd/VDEV */
	struct xlite_xs_ops nodes;	/* frontend dir first, then backend dir */
};

struct xlite_plan_nic {
	struct xlite_nic nic;		/* copy (own strings); nic.mac always set */
	unsigned int devid;
	char mac[18];			/* "00:16:3e:xx:xx:xx" */
	char *backend;			/* /local/domain/0/backend/vif/${domid}/DEVID */
	char *frontend;
	char *vif;			/* "vif${domid}.DEVID" */
	struct xlite_xs_ops nodes;	/* frontend dir first, then backend dir */
	/* After the nodes: wait for VIF, attach it to nic.bridge and bring it
	 * up, then write "connected" here (netback waits for it). */
	char *hotplug_status;		/* BACKEND/hotplug-status */
};

struct xlite_plan {
	char *name;
	char uuid[37];
	char *os_type;			/* "linux" or "xen" (PV), "xenpvh" (PVH) */
	/* PVH: an HVM container with hardware paging (HAP) and no device
	 * model; Xen's paging pool for it (libxl's shadow_memkb). */
	bool pvh;
	uint64_t paging_kib;
	uint64_t max_pages;		/* 4 KiB pages, from memory_kib */
	uint64_t target_pages;		/* from current_kib */
	/* KiB, rounded up to whole MiB as Xen's builder takes them */
	uint64_t memory_kib, current_kib, min_kib;
	uint64_t maxmem_kib;		/* xc_domain_setmaxmem: memory_kib + 1 MiB slack */
	unsigned int max_vcpus, cur_vcpus;
	unsigned int weight, cap;	/* 0 = scheduler default / no cap */
	bool min_given;			/* <min_guarantee>; else min = current */
	struct xlite_vcpupin *pins;	/* as the config's: the "all" one first */
	size_t n_pins;
	/* XLITE_BOOT_DISK: the kernel is GRUB, which reads the grub.cfg on
	 * the guest's disks inside the guest: pvgrub2 (grub-x86_64-xen.bin)
	 * for a PV guest, pvhgrub (grub-i386-xen_pvh.bin) for a PVH one;
	 * kernel is NULL until xlite_plan_set_boot_image() names the image
	 * (a host setting, xlite.conf [boot] grub-image or grub-pvh-image). */
	enum xlite_boot boot;
	char *bootloader, *bootloader_args;	/* as the config says, may be NULL */
	char *kernel, *initrd, *cmdline;	/* initrd, cmdline may be NULL */
	enum xlite_action on_poweroff, on_reboot, on_crash;
	struct xlite_xs_ops domain_nodes;	/* /local/domain/${domid}, /vm/${uuid} */
	struct xlite_plan_disk *disks;
	size_t n_disks;
	struct xlite_plan_nic *nics;
	size_t n_nics;
	unsigned int xs_requests;	/* xenstore requests all the ops above cost */
	/* given to Xen at create; 0: the default (Xen's grant frames, 1023
	 * event channels as libxl) */
	unsigned int max_grant_frames, max_event_channels;
	/* PVH below its maximum: all of memory_kib is the guest's physical
	 * memory, current_kib of it populated through Xen's populate-on-demand
	 * cache until the guest's balloon driver gives the rest back
	 * (libxenguest's meminit_hvm with target_pages, as libxl builds it). */
	bool pod;
	/* PV: the host's E820 reshaped around current_kib of RAM, the balloon
	 * room above 4 GiB (libxl's e820_host, libxl__e820_alloc). */
	bool e820_host;
};

void xlite_plan_init(struct xlite_plan *plan);
void xlite_plan_dispose(struct xlite_plan *plan);

/* Pure: fills PLAN (initialised) from CFG. 0 or -errno with *err set. */
int xlite_plan_build(struct xlite_plan *plan, const struct xlite_config *cfg,
		     char **err);

/* The kernel of a disk-booted plan: the GRUB image PATH (copied), the one
 * xlite_plan_boot_setting() names. No-op for a plan that boots a kernel of
 * its own. */
void xlite_plan_set_boot_image(struct xlite_plan *plan, const char *path);
/* The GRUB that boots a disk-booted PLAN, for messages: "pvgrub2" (PV) or
 * "pvhgrub" (PVH); and the xlite.conf [boot] key naming its image. */
const char *xlite_plan_boot_loader(const struct xlite_plan *plan);
const char *xlite_plan_boot_setting(const struct xlite_plan *plan);

/* Plan as text (what `xlite create -n` prints) or JSON; caller frees.
 * NULL only when out of memory. */
char *xlite_plan_to_text(const struct xlite_plan *plan);
char *xlite_plan_to_json(const struct xlite_plan *plan);

/* Substitute placeholders in S using LOOKUP ("$$" is a literal '$').
 * NULL with errno ENOENT (unknown name: LOOKUP returned NULL), EINVAL
 * (malformed: '$' not followed by '{' or '$', unterminated "${") or ENOMEM. */
typedef const char *xlite_lookup_fn(const char *name, void *opaque);
char *xlite_expand(const char *s, xlite_lookup_fn *lookup, void *opaque);
/* The same, with a message naming the culprit: 0 or -errno with *err set. */
int xlite_expand_err(const char *s, xlite_lookup_fn *lookup, void *opaque,
		     char **out, char **err);
/* S with each '$' doubled, so xlite_expand gives S back; caller frees. */
char *xlite_expand_escape(const char *s);

/* The values apply knows, and a lookup for them. Numbers are formatted
 * into BUF, so each result is valid until the next lookup (xlite_expand
 * copies it at once). Disk arrays hold N_DISKS entries; unset (NULL)
 * entries make their placeholders unknown. */
struct xlite_plan_vars {
	uint32_t domid;
	const char *uuid;
	uint64_t console_mfn, store_mfn;
	uint32_t console_port, store_port;
	size_t n_disks;
	const char *const *disk_path;		/* ${disk.N.path} */
	const char *const *disk_physdev;	/* ${disk.N.physdev} */
	char buf[32];
};
const char *xlite_plan_vars_lookup(const char *name, void *opaque);

#endif
