/* xlite devices: virtual disks (vbd) and networks (vif) set up by xlite
 * itself, in C, with no /etc/xen/scripts hotplug script (LAB.md, "Devices
 * without hotplug scripts").
 *
 * Two users:
 *  - apply (create): xlite_devices_prepare() before the domain is built
 *    (bridges exist, disk sources are usable, loop devices attached), the
 *    plan's ${disk.N.physdev} / ${disk.N.path} come from
 *    xlite_devices_lookup(), the plan's nodes go into the one transaction,
 *    then xlite_devices_connect() puts each vifD.N on its bridge and writes
 *    hotplug-status. Rollback: xlite_devices_release() (loop devices).
 *  - hotplug (block-attach, network-attach, *-detach, *-list) on a running
 *    or paused domain: xlite_device_*_attach(), xlite_device_unplug().
 *
 * Everything goes through struct xlite_hv (real Xen or the fake), except the
 * checks of disk sources, which stat() the file system. Errors: 0 or a
 * negative errno, the reason recorded in hv->err (xlite_hv_error()).
 *
 * Loop devices xlite made for a domain are listed in /local/domain/D/xlite/
 * loops (dom0's only): apply writes it in the create transaction, hotplug
 * adds and removes entries; xlite_domain_leftovers_gather() (domain.c) and
 * xlite_device_unplug() release those, and no other loop device.
 */
#ifndef XLITE_DEVICE_H
#define XLITE_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/hv/hv.h"
#include "libtool/plan/plan.h"

/* How long a device step waits for the kernel or the guest (vifD.N to
 * appear, a frontend to close). */
#define XLITE_DEVICE_TIMEOUT_MS 10000
/* Smallest disk that makes sense: one sector. */
#define XLITE_DISK_MIN_BYTES 512

enum xlite_device_kind {
	XLITE_DEVICE_VBD = 0,
	XLITE_DEVICE_VIF,
};

/* "vbd" / "vif": the xenstore directory names. */
const char *xlite_device_kind_name(enum xlite_device_kind kind);

/* ---- one disk's host side ------------------------------------------- */

/* What a disk needs from dom0, resolved before the xenstore transaction. */
struct xlite_disk_host {
	char *path;		/* ${disk.N.path}: "/dev/loopN", "/dev/nbdN" or the block device */
	char physdev[24];	/* ${disk.N.physdev}: hex "major:minor", "7:0" */
	bool loop;		/* PATH is a device xlite attached and releases:
				 * a loop device, or an nbd device when NBD */
	bool nbd;		/* PATH is an nbd device qemu-nbd serves (qcow2) */
};

void xlite_disk_host_init(struct xlite_disk_host *h);
/* Frees memory only; xlite_disk_host_release() lets go of the loop. */
void xlite_disk_host_dispose(struct xlite_disk_host *h);

/* The source of DISK can back it: type=file a regular file, type=block a
 * block device; at least XLITE_DISK_MIN_BYTES; readable; writable (mode
 * bits and the file system, root included) unless readonly; target a valid
 * xvd name. Only stat()/open(): no hv op. */
int xlite_disk_check(struct xlite_hv *hv, const struct xlite_disk *disk);
/* Check, then a loop device for a raw file (read-only when asked), an nbd
 * device served by qemu-nbd for a qcow2 one, or the block device's
 * numbers. On failure nothing is left attached. */
int xlite_disk_host_prepare(struct xlite_hv *hv, const struct xlite_disk *disk,
			    struct xlite_disk_host *h);
/* Detaches the loop (or nbd) device xlite attached (no-op otherwise, or
 * when already released). */
int xlite_disk_host_release(struct xlite_hv *hv, struct xlite_disk_host *h);

/* ---- create: every device of a plan ---------------------------------- */

struct xlite_devices {
	struct xlite_disk_host *disks;	/* one per plan->disks[i] */
	size_t n_disks;
};

void xlite_devices_init(struct xlite_devices *devs);
/* Frees memory only (call xlite_devices_release() first on rollback). */
void xlite_devices_dispose(struct xlite_devices *devs);

/* Before the domain is built: every nic's bridge exists, no target is used
 * twice, every disk passes xlite_disk_check(). Acquires nothing. */
int xlite_devices_check(struct xlite_hv *hv, const struct xlite_plan *plan);
/* xlite_devices_check(), then each disk's host side. On failure, what was
 * attached is released again. */
int xlite_devices_prepare(struct xlite_hv *hv, const struct xlite_plan *plan,
			  struct xlite_devices *devs);
/* The value of a device placeholder: NAME is "disk.N.physdev" or
 * "disk.N.path"; NULL for any other name or N out of range. */
const char *xlite_devices_lookup(const struct xlite_devices *devs, const char *name);
/* After the plan's nodes are written for DOMID: waits for each
 * vifDOMID.DEVID (TIMEOUT_MS, <= 0: XLITE_DEVICE_TIMEOUT_MS), adds it to
 * its bridge, brings it up, writes its hotplug-status=connected. Disks need
 * nothing more (their loop devices are in the plan's nodes and in apply's
 * xlite/loops record); DEVS is taken for symmetry with prepare/release. */
int xlite_devices_connect(struct xlite_hv *hv, uint32_t domid,
			  const struct xlite_plan *plan, struct xlite_devices *devs,
			  int timeout_ms);
/* One vif of DOMID: waits for vifDOMID.DEVID; renames it (nic->ifname)
 * and sets its MTU (nic->mtu) when asked; puts it on nic->bridge and brings
 * it up or, routed, brings it up with a route to each of nic->ips through
 * it (what vif-route does); then writes its backend
 * hotplug-status=connected. */
int xlite_device_nic_connect(struct xlite_hv *hv, uint32_t domid, unsigned int devid,
			     const struct xlite_nic *nic, int timeout_ms);
struct xlite_release;
struct xlite_undo;
/* Rollback: releases every loop device of DEVS and adds it to R (for
 * xlite_release_wait()); each one that fails is a line in U and stays
 * DEVS' (a second call tries it again). Returns the first failure. */
int xlite_devices_release(struct xlite_hv *hv, struct xlite_devices *devs,
			  struct xlite_release *r, struct xlite_undo *u);

/* ---- disks in use elsewhere (held.c) --------------------------------- */

/* Whether the disks of PLAN may be attached beside what dom0's vbd backends
 * already serve (any domain's, xl's too). Sameness is by identity, never by
 * path text: a file's st_dev/st_ino (also behind a loop device), a block
 * device's st_rdev. libvirt's rule: read-only and <shareable/> uses may
 * meet; a writable use without <shareable/> meets nobody. -EBUSY names the
 * holder: "disk /x.img is in use read-write by domain web (5); both must be
 * <shareable/>"; two disks of PLAN on one file count too. A source that
 * cannot be stat()ed is left to xlite_disk_check. Touches nothing.
 * xenstore: one directory of backend/vbd, one per domain with vbds, one
 * read per vbd; mode and the holder's name only for a match. */
int xlite_devices_check_held(struct xlite_hv *hv, const struct xlite_plan *plan);
/* The same for one disk about to be hotplugged. */
int xlite_disk_check_held(struct xlite_hv *hv, const struct xlite_disk *disk);

/* ---- hotplug: one device of a running (or paused) domain -------------- */

/* Writes DISK's frontend then backend directory for DOMID (permissions as
 * in the plan: frontend nD,r0; backend n0,rD), after checking the target is
 * free in that domain and preparing the host side. Returns with the nodes
 * written (blkback connects on its own); on failure nothing is left. */
int xlite_device_disk_attach(struct xlite_hv *hv, uint32_t domid,
			     const struct xlite_disk *disk);
/* Its checks alone (attach -n): DOMID live, the target free, the source
 * usable; nothing is touched. */
int xlite_device_disk_attach_check(struct xlite_hv *hv, uint32_t domid,
				   const struct xlite_disk *disk);
/* Same for a nic: DEVID is the next free vif index (out); NIC->mac is used
 * when NIC->mac_given, else generated from the domain's uuid and DEVID.
 * Waits for vifD.DEVID and bridges it as xlite_devices_connect() does. */
int xlite_device_nic_attach(struct xlite_hv *hv, uint32_t domid,
			    const struct xlite_nic *nic, int timeout_ms,
			    unsigned int *devid);
/* Its checks alone (attach -n): DOMID live, the bridge there; *DEVID and
 * MAC what the attach would use. Nothing is touched. */
int xlite_device_nic_attach_check(struct xlite_hv *hv, uint32_t domid,
				  const struct xlite_nic *nic, unsigned int *devid,
				  uint8_t mac[6]);

/* Graceful unplug of one device: backend online=0, state=5 (Closing); waits
 * (TIMEOUT_MS, <= 0: XLITE_DEVICE_TIMEOUT_MS) for the frontend to reach 6
 * (Closed) or vanish and the backend to reach 6; then removes the backend
 * and frontend directories, releases the loop device xlite made, and
 * returns once blkback let go of it (or netback removed vifD.N):
 * -ETIMEDOUT naming it after another TIMEOUT_MS.
 * -ENOENT when there is no such device; -ETIMEDOUT when the guest did not
 * let go (nodes left as they are) unless FORCE, which removes them anyway. */
int xlite_device_unplug(struct xlite_hv *hv, uint32_t domid,
			enum xlite_device_kind kind, unsigned int devid,
			int timeout_ms, bool force);

/* A device xlite attaches and may release: "/dev/loopN" or "/dev/nbdN",
 * nothing else (such names are read back from xenstore). */
bool xlite_device_is_loop(const char *dev);

/* A target name ("xvdb") or a number ("51728") to a vbd devid; -EINVAL. */
int xlite_device_vbd_id(const char *spec, unsigned int *devid);

/* ---- listing ---------------------------------------------------------- */

struct xlite_device_info {
	enum xlite_device_kind kind;
	unsigned int devid;		/* virtual-device (vbd) / handle (vif) */
	uint32_t backend_id;
	int fe_state, be_state;		/* XenbusState, -1 when unreadable */
	int evtchn, ring_ref;		/* -1 when absent (rx ring for vifs) */
	int tx_ring_ref;		/* vif only, -1 otherwise */
	char target[16];		/* vbd: "xvda" (backend dev), "" if unknown */
	char mac[18];			/* vif: "00:16:3e:..", "" if unknown */
	char *params;			/* vbd: file or device; vif: bridge */
	char *backend;			/* backend path */
	bool readonly;			/* vbd: mode=r */
};

void xlite_device_info_dispose(struct xlite_device_info *info);
void xlite_device_infos_free(struct xlite_device_info *infos, size_t n);

/* Every device of KIND that DOMID's frontend directory holds, ascending
 * devid. Values read from xenstore are checked (numbers, lengths). */
int xlite_device_list(struct xlite_hv *hv, uint32_t domid,
		      enum xlite_device_kind kind,
		      struct xlite_device_info **infos, size_t *n);

/* ---- text: xl's disk and nic specs ---------------------------------- */

/* xl's disk spec (xl-disk-configuration(5)), the subset xlite supports:
 * positional "TARGET,FORMAT,VDEV,ACCESS", the deprecated "phy:TARGET,VDEV,
 * ACCESS" / "file:TARGET,VDEV,ACCESS", and keys target= (takes the rest of
 * the string), vdev= (xvdX, or hdX/sdX numbered as libxl does),
 * access=r|ro|w|rw, format=raw, devtype=disk, backendtype=phy, the words
 * discard / no-discard and trusted / untrusted, from one or more argv
 * words joined by ','. A CD-ROM and script-served targets (iscsi:, drbd:,
 * script=) are refused, saying so. Fills DISK
 * (strings g_free()d, as xlite_config_dispose does); *TYPE_GIVEN
 * says whether a phy:/file: prefix fixed DISK->type (else the caller picks
 * by what the target is). 0 or -EINVAL with *err (g_free). Pure. */
int xlite_disk_spec_parse(const char *const *words, size_t n_words,
			  struct xlite_disk *disk, bool *type_given, char **err);

/* xl's network-attach words (xl-network-configuration(5)): bridge=BR
 * (default "xenbr0"), mac=MAC, type=vif, rate=RATE[@INTERVAL] (netback's
 * limit), ip=ADDR[ ADDR...], vifname=NAME, mtu=N, script=vif-bridge or
 * vif-route (done natively; a routed vif has no bridge), model= (warned
 * about: PV), backend=0, and the words trusted / untrusted; others are
 * refused with a reason. Fills NIC (xlite_nic_dispose()). 0 or -EINVAL
 * with *err. Pure. */
int xlite_nic_spec_parse(const char *const *words, size_t n_words,
			 struct xlite_nic *nic, char **err);
/* The same, with warnings (model=) to WARN(msg, OPAQUE). */
int xlite_nic_spec_parse_warn(const char *const *words, size_t n_words, struct xlite_nic *nic,
			      xlite_warn_fn *warn, void *opaque, char **err);


/* ---- teardown that checks itself ------------------------------------- */

/* How long a teardown (destroy, detach, rollback) waits in all for dom0's
 * backends to let go of its loop devices and vifs. */
#define XLITE_RELEASE_TIMEOUT_MS 15000

/* Rollback bookkeeping: the failure that started it, then one line per
 * undo step that failed too ("rollback: WHAT: WHY"). */
struct xlite_undo {
	char *cause;
	GString *lines;			/* each line starts with '\n' */
	int rc;				/* the first undo failure, 0: none */
};

void xlite_undo_begin(struct xlite_undo *u, const char *cause);
/* An undo step (WHAT, printf-style) failed with RC; hv->err says why. */
void xlite_undo_failed(struct xlite_undo *u, struct xlite_hv *hv, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same with the reason in the text. */
void xlite_undo_note(struct xlite_undo *u, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The cause and every failed step, newline-separated (g_free); ends U. */
char *xlite_undo_end(struct xlite_undo *u);
/* xlite_undo_end() into hv->err; returns RC. */
int xlite_undo_end_hv(struct xlite_undo *u, struct xlite_hv *hv, int rc);

/* What a teardown waits for: loop devices to be free (or to serve another
 * file) and vifs to be gone (so out of their bridges). */
struct xlite_release {
	GPtrArray *loops;		/* "/dev/loopN" */
	GPtrArray *backings;		/* the file each served (same index) */
	GPtrArray *ifnames;		/* "vifD.N" */
};

void xlite_release_init(struct xlite_release *r);
void xlite_release_dispose(struct xlite_release *r);
/* Releases loop device DEV (LOOP_CLR_FD: a device blkback still holds is
 * cleared on its last close) and adds it to R. 0 also when it was free.
 * An nbd device ("/dev/nbdN", a qcow2 disk) is disconnected once blkback
 * let go of it, and its server has ended when this returns. */
int xlite_release_loop(struct xlite_hv *hv, struct xlite_release *r, const char *dev);
/* Adds DEV, which served BACKING, to wait for without releasing it. */
void xlite_release_watch_loop(struct xlite_release *r, const char *dev, const char *backing);
/* Waits for none of the loop devices added so far (their backend
 * directories could not be removed, so blkback keeps them). */
void xlite_release_forget_loops(struct xlite_release *r);
/* Adds vifDOMID.DEVID to wait for. */
void xlite_release_add_vif(struct xlite_release *r, uint32_t domid, unsigned int devid);
/* Adds network interface IFNAME (a vif renamed by vifname=) to wait for. */
void xlite_release_add_ifname(struct xlite_release *r, const char *ifname);
/* Polls every 20 ms until each loop of R is free and each vif gone, at
 * most TIMEOUT_MS (<= 0: XLITE_RELEASE_TIMEOUT_MS). -ETIMEDOUT with
 * "dom0's backends still hold /dev/loop0 (serving F), vif5.0 (on bridge
 * B) after 15.0 s". */
int xlite_release_wait(struct xlite_hv *hv, struct xlite_release *r, int timeout_ms);

/* ---- fault injection (tests, lab) -------------------------------------- */

/* Makes the Nth call (default 1) of hv op OP fail with -ERRNO (default
 * EIO) from now on: SPEC "OP[:N[:ERRNO]]", or up to 4 of them separated by
 * ',' (each counting the calls of its own op: "build_pv:1,xs_rm:1" fails a
 * step, then a step of its rollback), OP one of loop_attach, loop_detach,
 * blockdev_stat, bridge_check, bridge_attach, xs_apply, xs_write,
 * xs_introduce, build_pv, domain_unpause, xs_rm, domain_destroy, vif_route. Works
 * over any hv (the real one in the lab: XLITE_FAULT in the CLI's
 * environment); undone by xlite_hv_dispose(). 0 or -EINVAL. */
int xlite_hv_fault_wrap(struct xlite_hv *hv, const char *spec);

/* ---- XML: one <disk> or <interface> element --------------------------- */

/* XML (LEN bytes, e.g. "<disk type='file' device='disk'>...</disk>") checked
 * by the domain parser as if inside a domain's <devices>: CFG then holds
 * exactly one disk (KIND vbd) or one nic (vif), and nothing else of use.
 * NAME names the text in messages ("NAME:LINE: ..."). 0, or -EINVAL/-errno
 * with *err (free). CFG is disposed by the caller on success only. */
int xlite_device_xml_parse(const char *xml, size_t len, const char *name,
			   enum xlite_device_kind kind, struct xlite_config *cfg,
			   xlite_warn_fn *warn, void *opaque, char **err);

#endif
