/* pv-drivers core: the platform interface. Everything a frontend needs
 * from its OS: grant pages to a domain, event channels, xenstore, a clock
 * and a way to sleep until something happens. linux-user implements it
 * with /dev/xen/{gntalloc,evtchn,xenbus}; the test platform with an
 * in-process loopback backend. Every op records its failures in p->err
 * (pvd_fail: the first recorded cause wins until the next entry point). */
#ifndef PVD_PLATFORM_H
#define PVD_PLATFORM_H

#include "pv-drivers/core/pvd.h"

typedef uint32_t pvd_txn_t;
#define PVD_TXN_NONE 0u

/* What wait() saw: an event channel fired, a watched node changed. */
#define PVD_WAKE_EVTCHN 1u
#define PVD_WAKE_WATCH 2u

struct pvd_platform;

struct pvd_platform_ops {
	/* COUNT contiguous zeroed pages, granted to DOMID (read-only unless
	 * WRITABLE); REFS[i] is the grant reference of page i. */
	int (*grant)(struct pvd_platform *p, uint16_t domid, uint32_t count,
		     bool writable, uint32_t *refs, void **pages);
	/* Ends the grants and frees the pages of one grant() call. */
	void (*ungrant)(struct pvd_platform *p, void *pages, uint32_t count);

	/* A local port bound to a new unbound port for REMOTE to bind. */
	int (*evtchn_alloc)(struct pvd_platform *p, uint16_t remote, uint32_t *port);
	int (*evtchn_notify)(struct pvd_platform *p, uint32_t port);
	void (*evtchn_close)(struct pvd_platform *p, uint32_t port);

	/* Value of PATH into BUF (NUL-terminated); returns its length,
	 * -ENOENT (no message recorded: callers decide whether a missing
	 * node is an error), or -E2BIG when it does not fit (never truncated). */
	int (*xs_read)(struct pvd_platform *p, pvd_txn_t t, const char *path,
		       char *buf, size_t size);
	int (*xs_write)(struct pvd_platform *p, pvd_txn_t t, const char *path,
			const char *value);
	int (*xs_txn_start)(struct pvd_platform *p, pvd_txn_t *t);
	/* -EAGAIN when COMMIT lost a race: start again. */
	int (*xs_txn_end)(struct pvd_platform *p, pvd_txn_t t, bool commit);
	int (*xs_watch)(struct pvd_platform *p, const char *path);
	void (*xs_unwatch)(struct pvd_platform *p, const char *path);

	/* Sleeps until an event channel fires or a watch triggers, at most
	 * TIMEOUT_MS (0: just look). Returns PVD_WAKE_* bits, 0 on timeout,
	 * or a negative error. Fired event channels are acknowledged. */
	int (*wait)(struct pvd_platform *p, uint32_t timeout_ms);
	uint64_t (*now_ms)(struct pvd_platform *p);
};

struct pvd_platform {
	const struct pvd_platform_ops *ops;
	void *impl;
	struct pvd_err err;
};

#endif
