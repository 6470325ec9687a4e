/* xlite domains at run time: finding them by name or id (as xl takes
 * them), their names, and the teardown every way of ending one shares
 * (destroy, a failed create's rollback, the monitor after an outside
 * destroy). xenstore is the truth; nothing is cached. */
#ifndef XLITE_DOMAIN_H
#define XLITE_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "libtool/hv/hv.h"

/* Where xlite keeps its own records of a domain (owned by dom0, so the
 * guest can neither read nor change them). */
#define XLITE_XS_DIR "xlite"

/* SPEC as a domain id (1 to 5 digits, below DOMID_INVALID): true
 * with *domid; false when it is to be taken as a name. */
bool xlite_domid_parse(const char *spec, uint32_t *domid);
/* "NAME" or "ID" (all digits): *domid of an existing domain, or -ESRCH
 * with *err "domain 'SPEC' does not exist". */
int xlite_domain_resolve(struct xlite_hv *hv, const char *spec, uint32_t *domid, char **err);
/* The first domain called NAME (ascending ids; dying ones skipped): 0, or
 * -ESRCH when there is none. */
int xlite_domain_find(struct xlite_hv *hv, const char *name, uint32_t *domid);
/* The first live (not dying) domain other than EXCEPT whose handle (the
 * uuid xl and xlite give it) is UUID: 0 with *domid, -ESRCH when there is
 * none. One domain list from Xen, no xenstore request. */
int xlite_domain_find_uuid(struct xlite_hv *hv, const uint8_t uuid[16], uint32_t except,
			   uint32_t *domid);
/* Whether a live domain other than SELF has the uuid of VM_PATH ("/vm/UUID")
 * as its handle: xl and xlite both name a domain's /vm entry after it, so
 * that domain's entry is VM_PATH too and must stay. When Xen cannot be
 * asked, the entry stays as well: a stale /vm entry is harmless, a live
 * one removed is not. */
bool xlite_domain_vm_used_by_other(struct xlite_hv *hv, const char *vm_path, uint32_t self);
/* /local/domain/D/name; "Domain-0" for dom0 when unset; NULL when unset. */
char *xlite_domain_name(struct xlite_hv *hv, uint32_t domid);

/* What a domain leaves behind outside Xen, gathered before it goes. */
struct xlite_domain_leftovers {
	uint32_t domid;
	GPtrArray *xs_paths;		/* subtrees to remove */
	GPtrArray *loops;		/* "/dev/loopN" or "/dev/nbdN" to release */
	GArray *vifs;			/* of unsigned int: vifD.N to wait for */
	GPtrArray *vifnames;		/* names given by vifname=: to wait for too */
};

void xlite_domain_leftovers_init(struct xlite_domain_leftovers *l, uint32_t domid);
void xlite_domain_leftovers_dispose(struct xlite_domain_leftovers *l);
/* Adds PATH (deduplicated). */
void xlite_domain_leftovers_add_path(struct xlite_domain_leftovers *l, const char *path);
/* Adds DEV when it names a loop device ("/dev/loopN"), else ignores it. */
bool xlite_domain_leftovers_add_loop(struct xlite_domain_leftovers *l, const char *dev);
/* Adds vifD.DEVID to wait for (deduplicated). */
void xlite_domain_leftovers_add_vif(struct xlite_domain_leftovers *l, unsigned int devid);
/* Reads what domain DOMID owns from xenstore: /local/domain/D, its /vm
 * entry (unless another live domain has its uuid), every
 * /local/domain/0/backend/TYPE/D, xl's /libxl/D, and the
 * loop devices recorded by xlite (or by xl's block script). Missing
 * nodes are not errors. */
int xlite_domain_leftovers_gather(struct xlite_hv *hv, struct xlite_domain_leftovers *l);
/* 1 when DOMID no longer exists (or is dying), 0 while it does, < 0 when
 * that cannot be told. */
int xlite_domain_gone(struct xlite_hv *hv, uint32_t domid);
/* Only when the domain is gone (xlite_domain_gone), else -EBUSY and
 * nothing is touched: removes the subtrees, releases the loop devices,
 * then waits (XLITE_RELEASE_TIMEOUT_MS) until blkback let go of them and
 * netback removed the vifs. Keeps going after a failure; returns the
 * first, with hv->err saying what failed, one line for each step. */
int xlite_domain_leftovers_release(struct xlite_hv *hv, struct xlite_domain_leftovers *l);

/* Gathers, destroys the domain, then releases what it left behind and
 * returns once dom0 let go of it. When Xen cannot destroy it, nothing else
 * is touched. *err: one line per failed step, each "destroying domain D:
 * ...". */
int xlite_domain_destroy(struct xlite_hv *hv, uint32_t domid, char **err);
/* Writes control/shutdown (REQ: "poweroff", "reboot"), as xl does for PV. */
int xlite_domain_shutdown_request(struct xlite_hv *hv, uint32_t domid, const char *req,
				  char **err);
struct xlite_release;
/* Adds to R what DOMID's backends use now (its loop devices with the file
 * each serves, its vifs), to wait for once it is gone. */
int xlite_domain_watch_devices(struct xlite_hv *hv, uint32_t domid, struct xlite_release *r);
/* After DOMID went (shutdown -w; the caller holds the name lock, so its
 * monitor is done): releases what nobody cleaned up, then waits until
 * dom0 let go of R's devices, except loop devices a new domain called
 * NAME (a restart) uses now. *err names what is still held. */
int xlite_domain_settle(struct xlite_hv *hv, uint32_t domid, const char *name,
			struct xlite_release *r, char **err);
/* Polls until DOMID is gone (or dying); TIMEOUT_MS < 0 waits forever.
 * -ETIMEDOUT when it is still there. */
int xlite_domain_wait_gone(struct xlite_hv *hv, uint32_t domid, int timeout_ms);

#endif
