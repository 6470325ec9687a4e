/* The per-domain monitor: a small process `xlite create` forks (as xl
 * does) that waits for the domain to shut down and carries out its
 * on_poweroff / on_reboot / on_crash action (destroy, restart, preserve),
 * until a daemon takes over. When the domain is destroyed from outside
 * (xl destroy, xlite destroy), it removes what is left of it (backend
 * directories, loop devices). All of it under the domain's name lock. */
#ifndef XLITE_MONITOR_H
#define XLITE_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "libtool/apply/apply.h"
#include "libtool/hv/hv.h"
#include "libtool/plan/plan.h"

enum xlite_monitor_step {
	XLITE_MONITOR_WAIT = 0,		/* running, paused, suspended: keep waiting */
	XLITE_MONITOR_CLEANUP,		/* gone: remove leftovers, then stop */
	XLITE_MONITOR_DESTROY,		/* destroy it, then stop */
	XLITE_MONITOR_RESTART,		/* destroy it, create it again, keep watching */
	XLITE_MONITOR_PRESERVE,		/* leave it as it is, stop */
};

/* Pure: the step for a domain in state INFO (NULL: it no longer exists). */
enum xlite_monitor_step xlite_monitor_decide(const struct xlite_plan *plan,
					     const struct xlite_dominfo *info);
const char *xlite_monitor_step_name(enum xlite_monitor_step step);

struct xlite_monitor {
	struct xlite_hv *hv;
	const struct xlite_plan *plan;
	struct xlite_apply_opts opts;	/* for restarts */
	uint32_t domid;
	GPtrArray *loops;		/* loop devices apply made for it ("/dev/loopN") */
	unsigned int restarts;		/* restarts within the current window */
	gint64 window_start;		/* monotonic us */
	int poll_ms;			/* re-check even without a watch event */
	void (*log)(const char *msg, void *opaque);
	void *log_opaque;
	/* The CLI's monitor process: it gives way to xlited (a step does
	 * nothing and returns 0) once the daemon runs and has adopted the
	 * domain (xlite_monitor_adopted). Decided under the name lock, which
	 * the daemon's actions take too: one of them acts, never both. */
	bool give_way;
};

/* xlited's mark on a domain it carries out the actions of. */
#define XLITE_MONITOR_ADOPTED_NODE "supervisor"
#define XLITE_MONITOR_ADOPTED_BY "xlited"
/* Writes the mark on DOMID (/local/domain/D/xlite/supervisor). */
int xlite_monitor_mark_adopted(struct xlite_hv *hv, uint32_t domid);
/* Whether xlited runs (its lock in LOCK_DIR, NULL: XLITE_LOCK_DIR) and
 * has marked DOMID as its own. */
bool xlite_monitor_adopted(struct xlite_hv *hv, const char *lock_dir, uint32_t domid);

/* LOOPS (copied; may be NULL): what apply made, from its result. They are
 * the only loop devices the monitor releases once the domain's own record
 * (/local/domain/D/xlite/loops) is gone with the domain, and only those its
 * vbd backends still name. */
void xlite_monitor_init(struct xlite_monitor *m, struct xlite_hv *hv,
			const struct xlite_plan *plan, const struct xlite_apply_opts *opts,
			uint32_t domid, GPtrArray *loops);
void xlite_monitor_dispose(struct xlite_monitor *m);
/* One round: look at the domain, act. 1: keep going; 0: done; < 0: error
 * (also done). */
int xlite_monitor_step(struct xlite_monitor *m);
/* Rounds until done, waiting for @releaseDomain between them. */
int xlite_monitor_run(struct xlite_monitor *m);

/* Opens the monitor's log PATH for appending (made 0644 when missing):
 * never through a symbolic link (O_NOFOLLOW: a link planted there cannot
 * make the monitor, running as root, write elsewhere), only a regular
 * file, and not inherited across exec. The descriptor, or -errno with
 * *err (g_free). */
int xlite_monitor_log_open(const char *path, char **err);

/* More restarts than this within XLITE_MONITOR_WINDOW_S: destroy instead
 * (a guest that crashes at boot would otherwise loop forever). */
#define XLITE_MONITOR_MAX_RESTARTS 5
#define XLITE_MONITOR_WINDOW_S 60

#endif
