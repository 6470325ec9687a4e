/* xlite save and restore: a domain's memory and state (libxenguest's
 * stream) with its domain XML, in the format of format.h, to and from any
 * file descriptor (stream.h); a file written whole or not at all.
 *
 * Save: describe the domain (XML from Xen and xenstore), write the
 * header and XML, ask the guest to suspend (control/shutdown = "suspend",
 * as libxl does for PV: the guest acknowledges, then shuts down with
 * reason suspend), stream its memory, and then either resume it (a
 * checkpoint, or any failure: it runs on as it was) or, once the file is
 * complete and synced, destroy it with its devices.
 * Restore: check the file whole first, then create the domain as create
 * does (apply: name and memory checks, devices, one xenstore transaction,
 * rollback) with libxenguest's restore in place of the kernel build. */
#ifndef XLITE_SAVE_H
#define XLITE_SAVE_H

#include <stdbool.h>
#include <stdint.h>

#include "libtool/apply/apply.h"
#include "libtool/hv/hv.h"
#include "libtool/plan/plan.h"
#include "libtool/save/stream.h"

#define XLITE_SUSPEND_TIMEOUT_MS 60000	/* libxl's, for the ack and the suspend */

/* Before each round of a live save: where it is. */
struct xlite_save_round {
	unsigned int iteration;
	long dirty_pages;		/* dirtied during the last round; < 0: unknown */
	uint64_t pages_sent;
	bool last;			/* the domain is suspended for the final round */
};
typedef void xlite_save_round_fn(const struct xlite_save_round *r, void *opaque);

/* A live save's rounds: at most this many, and the domain is suspended
 * once a round leaves fewer dirty pages than this (libxenguest's own
 * simple policy). */
#define XLITE_SAVE_LIVE_ROUNDS 5
#define XLITE_SAVE_LIVE_DIRTY 50

struct xlite_save_opts {
	bool checkpoint;		/* resume the domain afterwards (save -c) */
	bool live;			/* memory sent while it runs (migrate --live) */
	const char *xml;		/* the domain XML to send (migrate -C); NULL: described */
	int suspend_timeout_ms;		/* 0: XLITE_SUSPEND_TIMEOUT_MS */
	const char *lock_dir;		/* NULL: XLITE_LOCK_DIR */
	xlite_save_progress_fn *progress;
	void *progress_opaque;
	xlite_save_round_fn *round;	/* live only; PROGRESS_OPAQUE */
	/* Called once the header and XML are out, before any memory (a
	 * migration waits there for its target to accept the domain): 0 to
	 * go on, or -errno with *err and nothing is suspended. */
	int (*accepted)(void *opaque, char **err);
	void *accepted_opaque;
	/* Test hook (lab): the stream stops after TEST_STOP_AT bytes until
	 * the file TEST_STOP_FILE, which it makes, is removed. */
	uint64_t test_stop_at;
	const char *test_stop_file;
};

struct xlite_save_result {
	uint64_t stream_bytes;		/* libxenguest's stream */
	uint64_t file_bytes;		/* all of it, header to trailer */
	double ms_total;
	double ms_suspend;		/* from the request to the guest's suspend */
	double ms_down;			/* checkpoint: suspended until resumed */
	gint64 t_suspended;		/* monotonic time of the suspend (0: none) */
	unsigned int rounds;		/* live: rounds before the suspend */
};

/* The live save's policy: 1 to suspend the domain now, 0 to go on with
 * another round (pure). */
int xlite_save_live_stop(unsigned int iteration, long dirty_pages);

/* Domain DOMID as domain XML (*xml, g_free): name, uuid, memory, vCPUs,
 * scheduler, boot image, lifecycle actions, disks and vifs as they are
 * now. -errno with *err. */
int xlite_domain_describe(struct xlite_hv *hv, uint32_t domid, char **xml, char **err);

/* What xlited needs to carry out DOMID's on_poweroff, on_reboot and
 * on_crash when it adopts a running domain: its plan as it is now
 * (described, parsed and planned: what a restart creates again; GRUB_IMAGE
 * for a disk-booted one) and the loop devices apply recorded for it
 * (added to LOOPS). -ENOTSUP when the domain is not xlite's (no
 * /local/domain/D/xlite: xl's, whose config xlite does not read); else
 * -errno with *err. */
int xlite_domain_adopt(struct xlite_hv *hv, uint32_t domid, const char *grub_image,
		       struct xlite_plan *plan, GPtrArray *loops, char **err);

/* Asks DOMID to suspend and waits (TIMEOUT_MS each for the guest's
 * acknowledgement and for the suspend). A guest that does not answer has
 * its request withdrawn. 0 once it is suspended; -errno with *err. */
int xlite_domain_suspend(struct xlite_hv *hv, uint32_t domid, int timeout_ms, char **err);
/* Resumes DOMID after a save (cooperative: it goes on as it was). */
int xlite_domain_resume(struct xlite_hv *hv, uint32_t domid, char **err);

/* The save of DOMID to FD (a file, a pipe, a socket). On success the
 * domain is left suspended (resumed with OPTS->checkpoint): the caller
 * destroys it once the stream is safe, or resumes it. On failure it runs
 * on as before (resumed when it had been suspended), unless it died. */
int xlite_save_stream(struct xlite_hv *hv, uint32_t domid, int fd,
		      const struct xlite_save_opts *opts, struct xlite_save_result *res,
		      char **err);
/* The save of DOMID to PATH, whole or not at all: written to
 * PATH.tmp-XXXXXX, synced, renamed; then the domain is destroyed (with its
 * devices), or resumed with OPTS->checkpoint. On failure no file is left
 * and the domain runs on as it was. */
int xlite_save_file(struct xlite_hv *hv, uint32_t domid, const char *path,
		    const struct xlite_save_opts *opts, struct xlite_save_result *res,
		    char **err);

struct xlite_restore_opts {
	struct xlite_apply_opts apply;	/* paused, memconf, lock_dir... as create's */
	const char *new_name;		/* NULL: the saved name */
	xlite_save_progress_fn *progress;
	void *progress_opaque;
};

/* Restores the domain saved in PATH: the whole file is checked first (a
 * truncated, corrupted or wrong-version file is refused, nothing made),
 * then the domain is made as create makes it (its devices from the saved
 * XML) with its memory from the file. PLAN (initialised by the caller)
 * is the domain's, for its monitor; *note (g_free, may be NULL) says what
 * changed (a new uuid). 0, or -errno with *err; then nothing is left. */
int xlite_restore_file(struct xlite_hv *hv, const char *path,
		       const struct xlite_restore_opts *opts, struct xlite_plan *plan,
		       struct xlite_apply_result *res, char **note, char **err);
/* The same from a reader that has read the header and XML (a socket). */
int xlite_restore_stream(struct xlite_hv *hv, struct xlite_save_reader *r, const char *what,
			 const struct xlite_restore_opts *opts, struct xlite_plan *plan,
			 struct xlite_apply_result *res, char **note, char **err);

#endif
