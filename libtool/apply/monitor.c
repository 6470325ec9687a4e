/* The per-domain monitor (see monitor.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libtool/apply/domain.h"
#include "libtool/apply/monitor.h"

static enum xlite_monitor_step step_for(enum xlite_action a)
{
	switch (a) {
	case XLITE_ACTION_DESTROY:
	case XLITE_ACTION_COREDUMP_DESTROY:
		return XLITE_MONITOR_DESTROY;
	case XLITE_ACTION_RESTART:
	case XLITE_ACTION_RENAME_RESTART:
	case XLITE_ACTION_COREDUMP_RESTART:
		return XLITE_MONITOR_RESTART;
	case XLITE_ACTION_PRESERVE:
		return XLITE_MONITOR_PRESERVE;
	}
	return XLITE_MONITOR_DESTROY;
}

enum xlite_monitor_step xlite_monitor_decide(const struct xlite_plan *plan,
					     const struct xlite_dominfo *info)
{
	if (!info || info->dying)
		return XLITE_MONITOR_CLEANUP;
	if (!info->shutdown)
		return XLITE_MONITOR_WAIT;
	switch (info->shutdown_reason) {
	case XLITE_SHUTDOWN_POWEROFF:
		return step_for(plan->on_poweroff);
	case XLITE_SHUTDOWN_REBOOT:
	case XLITE_SHUTDOWN_SOFT_RESET:
		return step_for(plan->on_reboot);
	case XLITE_SHUTDOWN_SUSPEND:
		return XLITE_MONITOR_WAIT;	/* a save in progress, not ours */
	case XLITE_SHUTDOWN_CRASH:
	case XLITE_SHUTDOWN_WATCHDOG:
	default:
		return step_for(plan->on_crash);
	}
}

const char *xlite_monitor_step_name(enum xlite_monitor_step step)
{
	switch (step) {
	case XLITE_MONITOR_WAIT: return "wait";
	case XLITE_MONITOR_CLEANUP: return "cleanup";
	case XLITE_MONITOR_DESTROY: return "destroy";
	case XLITE_MONITOR_RESTART: return "restart";
	case XLITE_MONITOR_PRESERVE: return "preserve";
	}
	return "?";
}

static void mlog(struct xlite_monitor *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void mlog(struct xlite_monitor *m, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (!m->log)
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	m->log(msg, m->log_opaque);
	g_free(msg);
}

void xlite_monitor_init(struct xlite_monitor *m, struct xlite_hv *hv,
			const struct xlite_plan *plan, const struct xlite_apply_opts *opts,
			uint32_t domid, GPtrArray *loops)
{
	guint i;

	memset(m, 0, sizeof(*m));
	m->loops = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; loops && i < loops->len; i++)
		g_ptr_array_add(m->loops, g_strdup(loops->pdata[i]));
	m->hv = hv;
	m->plan = plan;
	m->opts = *opts;
	m->opts.lock_held = true;	/* restarts run under the monitor's lock */
	m->opts.paused = false;
	m->opts.restore = NULL;		/* a restart boots afresh */
	m->domid = domid;
	m->poll_ms = 10000;
	m->window_start = g_get_monotonic_time();
}

void xlite_monitor_dispose(struct xlite_monitor *m)
{
	if (m->loops)
		g_ptr_array_free(m->loops, TRUE);
	memset(m, 0, sizeof(*m));
}

static bool is_our_loop(struct xlite_monitor *m, const char *dev)
{
	guint i;

	for (i = 0; dev && i < m->loops->len; i++)
		if (strcmp(m->loops->pdata[i], dev) == 0)
			return true;
	return false;
}

/* The loop devices this domain's vbd backends still name that apply made
 * for it: `xl destroy` removes /local/domain/D with xlite's record in it,
 * but leaves the backends (and so the loops) behind. */
static void gather_own_loops(struct xlite_monitor *m, struct xlite_domain_leftovers *l)
{
	char base[64], *path, *params;
	char **devs = NULL;
	unsigned int i;

	snprintf(base, sizeof(base), "/local/domain/0/backend/vbd/%u", m->domid);
	if (m->hv->ops->xs_directory(m->hv, base, &devs) < 0)
		return;
	for (i = 0; devs[i]; i++) {
		path = g_strdup_printf("%s/%s/params", base, devs[i]);
		params = NULL;
		if (m->hv->ops->xs_read(m->hv, path, &params) == 0 && is_our_loop(m, params))
			xlite_domain_leftovers_add_loop(l, params);
		g_free(params);
		g_free(path);
	}
	g_strfreev(devs);
}

/* The domain went without us: remove what it left, unless a domain of the
 * same name exists again (its nodes under /vm are then that one's). */
static int cleanup(struct xlite_monitor *m)
{
	struct xlite_domain_leftovers l;
	uint32_t other;
	int rc;

	xlite_domain_leftovers_init(&l, m->domid);
	gather_own_loops(m, &l);
	rc = xlite_domain_leftovers_gather(m->hv, &l);
	if (rc == 0 && xlite_domain_find(m->hv, m->plan->name, &other) == -ESRCH) {
		char *vm = g_strdup_printf("/vm/%s", m->plan->uuid);

		xlite_domain_leftovers_add_path(&l, vm);
		g_free(vm);
	}
	if (rc == 0)
		rc = xlite_domain_leftovers_release(m->hv, &l);
	xlite_domain_leftovers_dispose(&l);
	mlog(m, "domain %u is gone; cleaned up%s%s", m->domid, rc < 0 ? ": " : "",
	     rc < 0 ? xlite_hv_error(m->hv) : "");
	return rc;
}

static bool restart_allowed(struct xlite_monitor *m)
{
	gint64 now = g_get_monotonic_time();

	if (now - m->window_start > (gint64)XLITE_MONITOR_WINDOW_S * G_USEC_PER_SEC) {
		m->window_start = now;
		m->restarts = 0;
	}
	return ++m->restarts <= XLITE_MONITOR_MAX_RESTARTS;
}

static int restart(struct xlite_monitor *m)
{
	struct xlite_apply_result res;
	char *err = NULL;
	int rc;

	rc = xlite_domain_destroy(m->hv, m->domid, &err);
	if (rc < 0) {
		mlog(m, "%s", err);
		g_free(err);
		return rc;
	}
	if (!restart_allowed(m)) {
		mlog(m, "domain '%s' restarted %u times in %d s: not restarting it again",
		     m->plan->name, XLITE_MONITOR_MAX_RESTARTS, XLITE_MONITOR_WINDOW_S);
		return 0;
	}
	xlite_apply_result_init(&res);
	rc = xlite_apply(m->hv, m->plan, &m->opts, &res, &err);
	if (rc < 0) {
		mlog(m, "restarting domain '%s': %s", m->plan->name, err);
		g_free(err);
	} else {
		mlog(m, "domain '%s' restarted: id %u -> %u", m->plan->name, m->domid, res.domid);
		m->domid = res.domid;
		g_ptr_array_set_size(m->loops, 0);
		for (guint i = 0; i < res.loops->len; i++)
			g_ptr_array_add(m->loops, g_strdup(res.loops->pdata[i]));
		rc = 1;
	}
	xlite_apply_result_dispose(&res);
	return rc;
}

static int act(struct xlite_monitor *m, enum xlite_monitor_step step)
{
	char *err = NULL;
	int rc = 0;

	switch (step) {
	case XLITE_MONITOR_WAIT:
		return 1;
	case XLITE_MONITOR_CLEANUP:
		return cleanup(m);
	case XLITE_MONITOR_DESTROY:
		rc = xlite_domain_destroy(m->hv, m->domid, &err);
		mlog(m, "domain %u shut down: destroyed%s%s", m->domid, err ? ": " : "",
		     err ? err : "");
		g_free(err);
		return rc;
	case XLITE_MONITOR_RESTART:
		return restart(m);
	case XLITE_MONITOR_PRESERVE:
		mlog(m, "domain %u shut down: preserved", m->domid);
		return 0;
	}
	return 0;
}

int xlite_monitor_mark_adopted(struct xlite_hv *hv, uint32_t domid)
{
	char path[96];

	snprintf(path, sizeof(path), "/local/domain/%u/" XLITE_XS_DIR "/" XLITE_MONITOR_ADOPTED_NODE,
		 domid);
	return hv->ops->xs_write(hv, path, XLITE_MONITOR_ADOPTED_BY);
}

bool xlite_monitor_adopted(struct xlite_hv *hv, const char *lock_dir, uint32_t domid)
{
	char path[96], *v = NULL;
	bool ours;

	if (!xlite_daemon_running(lock_dir ? lock_dir : XLITE_LOCK_DIR))
		return false;
	snprintf(path, sizeof(path), "/local/domain/%u/" XLITE_XS_DIR "/" XLITE_MONITOR_ADOPTED_NODE,
		 domid);
	ours = hv->ops->xs_read(hv, path, &v) == 0 && v && strcmp(v, XLITE_MONITOR_ADOPTED_BY) == 0;
	g_free(v);
	return ours;
}

/* The CLI's monitor, when xlited has the domain: 0 (done), after saying so. */
static bool gives_way(struct xlite_monitor *m)
{
	if (!m->give_way || !xlite_monitor_adopted(m->hv, m->opts.lock_dir, m->domid))
		return false;
	mlog(m, "xlited carries out the actions of domain '%s' (id %u) now: this monitor stops",
	     m->plan->name, m->domid);
	return true;
}

int xlite_monitor_step(struct xlite_monitor *m)
{
	struct xlite_dominfo info;
	enum xlite_monitor_step step;
	char *err = NULL;
	int rc, fd = -1;

	if (gives_way(m))
		return 0;
	rc = m->hv->ops->domain_info(m->hv, m->domid, &info);
	if (rc < 0 && rc != -ESRCH)
		return rc;
	step = xlite_monitor_decide(m->plan, rc == 0 ? &info : NULL);
	if (step == XLITE_MONITOR_WAIT)
		return 1;
	/* Decide again under the lock: a destroy may have run meanwhile. */
	rc = xlite_name_lock(m->opts.lock_dir ? m->opts.lock_dir : XLITE_LOCK_DIR,
			     m->plan->name, &fd, &err);
	if (rc < 0) {
		mlog(m, "%s", err);
		g_free(err);
		return rc;
	}
	if (gives_way(m)) {
		rc = 0;
		goto out;
	}
	rc = m->hv->ops->domain_info(m->hv, m->domid, &info);
	if (rc < 0 && rc != -ESRCH)
		goto out;
	step = xlite_monitor_decide(m->plan, rc == 0 ? &info : NULL);
	rc = act(m, step);
out:
	xlite_name_unlock(&fd);
	return rc;
}

int xlite_monitor_run(struct xlite_monitor *m)
{
	int rc;

	for (;;) {
		rc = xlite_monitor_step(m);
		if (rc <= 0)
			return rc;
		rc = m->hv->ops->wait_release(m->hv, m->poll_ms);
		if (rc < 0 && rc != -ETIMEDOUT)
			g_usleep((gulong)m->poll_ms * 1000);
	}
}

int xlite_monitor_log_open(const char *path, char **err)
{
	struct stat st;
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0644);
	if (fd < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", path, errno == ELOOP ?
				       "is a symbolic link, not used" : g_strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", path, g_strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		*err = g_strdup_printf("%s: not a regular file, not used", path);
	} else {
		return fd;
	}
	close(fd);
	return rc;
}
