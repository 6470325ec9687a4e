/* xlite migrate: a running domain moved to another host over any pair of
 * descriptors (ssh's pipes, a socket), as xl migrate does. The stream is
 * the save file's (format.h), the replies are lines the other way:
 *
 *   sender                          receiver (xlite migrate-receive)
 *   header + domain XML       ->
 *                             <-    "accept" (the name is free, the memory
 *                                   is there) or "error WHY": no memory moved
 *   memory (live: rounds while
 *   it runs, then suspended)  ->    restored paused, with its devices
 *                             <-    "ready" or "error WHY"
 *   "go"                      ->    unpauses it
 *                             <-    "running" or "error WHY"
 *   destroys the source
 *
 * Any failure before "running" leaves the domain running on the source
 * (resumed when it was suspended) and the receiver removes what it made.
 * Both ends write replies to a peer that may be gone: the caller ignores
 * SIGPIPE (the writes then fail with EPIPE). */
#ifndef XLITE_SAVE_MIGRATE_H
#define XLITE_SAVE_MIGRATE_H

#include <stdbool.h>
#include <stdint.h>

#include "libtool/apply/apply.h"
#include "libtool/save/save.h"

#define XLITE_MIGRATE_LINE_MAX 1024

struct xlite_migrate_opts {
	bool live;			/* memory sent while it runs (PVH, or PV with shadow) */
	const char *xml;		/* the domain XML the target gets (-C); NULL: its own */
	int suspend_timeout_ms;		/* 0: XLITE_SUSPEND_TIMEOUT_MS */
	const char *lock_dir;		/* NULL: XLITE_LOCK_DIR */
	xlite_save_progress_fn *progress;
	xlite_save_round_fn *round;
	void *progress_opaque;
};

struct xlite_migrate_result {
	struct xlite_save_result save;
	double ms_down;			/* suspended on the source until running on the target */
	double ms_total;
	bool source_left;		/* the domain runs on the source (a failure) */
};

/* Why a live move of DOMID cannot be, or NULL (g_free): Xen tracks dirty
 * pages of PVH guests with HAP and of PV guests with shadow paging only. */
char *xlite_migrate_live_refusal(struct xlite_hv *hv, uint32_t domid);

/* Moves DOMID: the stream to OUT, the receiver's replies from IN. 0 once
 * the target runs it and it is destroyed here; otherwise -errno with *err
 * and the domain runs here as before (unless it died). */
int xlite_migrate_send(struct xlite_hv *hv, uint32_t domid, int out, int in,
		       const struct xlite_migrate_opts *opts, struct xlite_migrate_result *res,
		       char **err);

struct xlite_migrate_recv_opts {
	struct xlite_apply_opts apply;	/* memconf, lock_dir... (paused is forced) */
	xlite_save_progress_fn *progress;
	void *progress_opaque;
};

/* The receiving end: the stream from IN, replies to OUT. 0 once the domain
 * runs here (PLAN, RES: the domain's, for its monitor); otherwise -errno
 * with *err, "error WHY" sent, and nothing is left here. */
int xlite_migrate_receive(struct xlite_hv *hv, int in, int out,
			  const struct xlite_migrate_recv_opts *opts, struct xlite_plan *plan,
			  struct xlite_apply_result *res, char **err);

/* One reply line (no newline) from FD, read byte by byte so that nothing
 * after it is consumed; TIMEOUT_MS < 0: no limit. 0, -EPIPE at the end of
 * the stream, -ETIMEDOUT, -EPROTO for a line too long, or -errno. */
int xlite_migrate_read_line(int fd, int timeout_ms, char **line);

#endif
