/* xlite save and restore (see save.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libtool/apply/domain.h"
#include "libtool/parse/config.h"
#include "libtool/save/save.h"

static double ms_since(gint64 t)
{
	return (double)(g_get_monotonic_time() - t) / 1000.0;
}

/* ---- suspend and resume ----------------------------------------------- */

/* 1 when the guest took the request (the node changed or went). */
static int acked(struct xlite_hv *hv, const char *path)
{
	char *v = NULL;
	int rc = hv->ops->xs_read(hv, path, &v);
	bool still;

	if (rc == -ENOENT)
		return 1;
	if (rc < 0)
		return rc;
	still = strcmp(v, "suspend") == 0;
	g_free(v);
	return still ? 0 : 1;
}

static int wait_suspended(struct xlite_hv *hv, uint32_t domid, gint64 deadline, char **err)
{
	struct xlite_dominfo info;
	int rc;

	for (;;) {
		rc = hv->ops->domain_info(hv, domid, &info);
		if (rc == -ESRCH || (rc == 0 && info.dying)) {
			*err = g_strdup_printf("domain %u died while suspending", domid);
			return -ESRCH;
		}
		if (rc < 0) {
			*err = g_strdup(xlite_hv_error(hv));
			return rc;
		}
		if (info.shutdown && info.shutdown_reason == XLITE_SHUTDOWN_SUSPEND)
			return 0;
		if (info.shutdown) {
			*err = g_strdup_printf("domain %u shut down (reason %u) instead of "
					       "suspending", domid, info.shutdown_reason);
			return -ECANCELED;
		}
		if (g_get_monotonic_time() >= deadline) {
			*err = g_strdup_printf("domain %u acknowledged the suspend request but did "
					       "not suspend", domid);
			return -ETIMEDOUT;
		}
		/* @releaseDomain fires when a domain shuts down, suspend included. */
		rc = hv->ops->wait_release(hv, 200);
		if (rc < 0 && rc != -ETIMEDOUT)
			g_usleep(20000);
	}
}

int xlite_domain_suspend(struct xlite_hv *hv, uint32_t domid, int timeout_ms, char **err)
{
	char path[64];
	gint64 deadline;
	int rc;

	if (timeout_ms <= 0)
		timeout_ms = XLITE_SUSPEND_TIMEOUT_MS;
	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
	rc = hv->ops->xs_write(hv, path, "suspend");
	if (rc < 0) {
		*err = g_strdup_printf("asking domain %u to suspend: %s", domid,
				       xlite_hv_error(hv));
		return rc;
	}
	deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	while ((rc = acked(hv, path)) == 0 && g_get_monotonic_time() < deadline)
		g_usleep(20000);
	if (rc == 0) {
		/* Withdrawn, unless the guest took it at the last moment. */
		if (acked(hv, path) == 0) {
			hv->ops->xs_write(hv, path, "");
			*err = g_strdup_printf("domain %u did not acknowledge the suspend request "
					       "in %d s (is its kernel fully booted, with xenbus?); "
					       "request withdrawn", domid, timeout_ms / 1000);
			return -ETIMEDOUT;
		}
	} else if (rc < 0) {
		*err = g_strdup_printf("reading %s: %s", path, xlite_hv_error(hv));
		return rc;
	}
	return wait_suspended(hv, domid, g_get_monotonic_time() + (gint64)timeout_ms * 1000,
			      err);
}

int xlite_domain_resume(struct xlite_hv *hv, uint32_t domid, char **err)
{
	int rc = hv->ops->domain_resume(hv, domid, true);

	if (rc < 0)
		*err = g_strdup_printf("resuming domain %u: %s", domid, xlite_hv_error(hv));
	return rc;
}

/* ---- save ------------------------------------------------------------- */

struct save_ctx {
	struct xlite_hv *hv;
	uint32_t domid;
	int timeout_ms;
	char *err;
	gint64 t_asked, t_suspended;
	const struct xlite_save_opts *opts;
	struct xlite_save_round last;
};

int xlite_save_live_stop(unsigned int iteration, long dirty_pages)
{
	if (iteration == 0)
		return 0;	/* the whole memory goes first, whatever the count */
	return (dirty_pages >= 0 && dirty_pages < XLITE_SAVE_LIVE_DIRTY) ||
	       iteration >= XLITE_SAVE_LIVE_ROUNDS;
}

static int on_precopy(const struct xlite_hv_precopy *p, void *opaque)
{
	struct save_ctx *s = opaque;
	int stop = xlite_save_live_stop(p->iteration, p->dirty_pages);

	s->last.iteration = p->iteration;
	s->last.dirty_pages = p->dirty_pages;
	s->last.pages_sent = p->pages_sent;
	s->last.last = stop;
	if (s->opts->round)
		s->opts->round(&s->last, s->opts->progress_opaque);
	return stop;
}

static int on_suspend(void *opaque)
{
	struct save_ctx *s = opaque;
	int rc;

	s->t_asked = g_get_monotonic_time();
	rc = xlite_domain_suspend(s->hv, s->domid, s->timeout_ms, &s->err);
	s->t_suspended = g_get_monotonic_time();
	if (rc < 0)
		xlite_hv_fail(s->hv, rc, "%s", s->err);
	return rc;
}

/* 1 when DOMID is shut down for a save (to be resumed), 0 when not, -ESRCH
 * when gone. */
static int is_suspended(struct xlite_hv *hv, uint32_t domid)
{
	struct xlite_dominfo info;
	int rc = hv->ops->domain_info(hv, domid, &info);

	if (rc == -ESRCH || (rc == 0 && info.dying))
		return -ESRCH;
	if (rc < 0)
		return rc;
	return info.shutdown && info.shutdown_reason == XLITE_SHUTDOWN_SUSPEND;
}

/* After a failure: a domain suspended for the save runs on. Appends to
 * *err what could not be done. */
static void resume_after_failure(struct xlite_hv *hv, uint32_t domid, char **err)
{
	char *why = NULL, *msg;
	int s = is_suspended(hv, domid);

	if (s == -ESRCH)
		msg = g_strdup_printf("%s\ndomain %u died during the save", *err, domid);
	else if (s == 1 && xlite_domain_resume(hv, domid, &why) < 0)
		msg = g_strdup_printf("%s\n%s: the domain stays suspended", *err, why);
	else
		return;
	g_free(why);
	g_free(*err);
	*err = msg;
}

static int check_saveable(struct xlite_hv *hv, uint32_t domid, struct xlite_dominfo *info,
			  char **err)
{
	int rc = hv->ops->domain_info(hv, domid, info);

	if (rc < 0) {
		*err = g_strdup(xlite_hv_error(hv));
		return rc;
	}
	if (domid == 0) {
		*err = g_strdup("Domain-0 cannot be saved");
		return -EPERM;
	}
	if (info->dying || info->shutdown) {
		*err = g_strdup_printf("domain %u is not running (%s)", domid,
				       info->dying ? "dying" : "shut down");
		return -EINVAL;
	}
	return 0;
}

int xlite_save_stream(struct xlite_hv *hv, uint32_t domid, int fd,
		      const struct xlite_save_opts *opts, struct xlite_save_result *res,
		      char **err)
{
	struct xlite_save_writer w;
	struct xlite_save_header h;
	struct xlite_dominfo info;
	struct save_ctx s = { hv, domid, opts->suspend_timeout_ms, NULL, 0, 0, opts, { 0 } };
	gint64 t0 = g_get_monotonic_time();
	char *xml = NULL, *werr = NULL, *serr = NULL;
	int stream_fd = -1, rc, wrc;

	memset(res, 0, sizeof(*res));
	xlite_save_writer_init(&w, fd);
	rc = check_saveable(hv, domid, &info, err);
	if (rc < 0)
		goto out;
	if (opts->xml)
		xml = g_strdup(opts->xml);
	else
		rc = xlite_domain_describe(hv, domid, &xml, err);
	if (rc < 0)
		goto out;
	memset(&h, 0, sizeof(h));
	h.saved_at = (uint64_t)time(NULL);
	h.mem_kib = info.tot_kib;
	rc = xlite_save_writer_begin(&w, &h, xml, &werr);
	if (rc < 0) {
		*err = g_strdup_printf("writing the header: %s", werr);
		goto out;
	}
	if (opts->accepted) {
		rc = opts->accepted(opts->accepted_opaque, err);
		if (rc < 0)
			goto out;
	}
	w.pump.total = info.tot_kib * 1024;
	w.pump.progress = opts->progress;
	w.pump.progress_opaque = opts->progress_opaque;
	w.pump.stop_at = opts->test_stop_at;
	w.pump.stop_file = g_strdup(opts->test_stop_file);
	rc = xlite_save_writer_start(&w, &stream_fd, err);
	if (rc < 0)
		goto out;
	rc = opts->live ? hv->ops->domain_save_live(hv, domid, stream_fd, on_suspend, on_precopy, &s)
			: hv->ops->domain_save(hv, domid, stream_fd, on_suspend, &s);
	if (rc < 0)
		serr = g_strdup(xlite_hv_error(hv));
	wrc = xlite_save_writer_finish(&w, rc == 0, &werr);
	/* A write that failed stopped libxenguest: it is the cause. */
	if (wrc < 0) {
		*err = g_strdup_printf("writing the stream: %s", werr);
		rc = wrc;
	} else if (rc < 0) {
		*err = g_strdup(serr);
	} else if (is_suspended(hv, domid) != 1) {
		*err = g_strdup_printf("domain %u died during the save", domid);
		rc = -ESRCH;
	}
	res->stream_bytes = w.stream_len;
	res->file_bytes = w.offset;
	if (s.t_suspended)
		res->ms_suspend = (double)(s.t_suspended - s.t_asked) / 1000.0;
	res->t_suspended = s.t_suspended;
	res->rounds = s.last.iteration;
	if (rc == 0 && opts->checkpoint) {
		rc = xlite_domain_resume(hv, domid, err);
		res->ms_down = ms_since(s.t_suspended);
	}
out:
	if (rc < 0 && s.t_asked)
		resume_after_failure(hv, domid, err);
	res->ms_total = ms_since(t0);
	xlite_save_writer_dispose(&w);
	g_free(s.err);
	g_free(serr);
	g_free(werr);
	g_free(xml);
	return rc;
}

/* fsync of PATH's directory, so that the rename is on disk too. */
static int sync_dir(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = -errno;
	close(fd);
	return rc;
}

int xlite_save_file(struct xlite_hv *hv, uint32_t domid, const char *path,
		    const struct xlite_save_opts *opts, struct xlite_save_result *res,
		    char **err)
{
	g_autofree char *tmp = g_strdup_printf("%s.tmp-XXXXXX", path);
	g_autofree char *name = xlite_domain_name(hv, domid);
	char *why = NULL;
	bool streamed = false;
	int fd = -1, lock_fd = -1, rc;

	/* One save of a domain at a time, none beside a destroy or a restart. */
	if (name && !xlite_name_invalid(name)) {
		rc = xlite_name_lock(opts->lock_dir ? opts->lock_dir : XLITE_LOCK_DIR, name,
				     &lock_fd, err);
		if (rc < 0)
			return rc;
	}
	fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", tmp, g_strerror(errno));
		goto out;
	}
	rc = xlite_save_stream(hv, domid, fd, opts, res, &why);
	if (rc < 0) {
		*err = g_strdup_printf("%s: %s", path, why);
		goto out;
	}
	streamed = true;
	if (fsync(fd) < 0 || close(fd) < 0) {
		rc = -errno;
		fd = -1;
		*err = g_strdup_printf("%s: syncing: %s", path, g_strerror(-rc));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", path, g_strerror(errno));
		goto out;
	}
	rc = sync_dir(path);
	if (rc < 0) {
		*err = g_strdup_printf("%s: syncing its directory: %s", path, g_strerror(-rc));
		unlink(path);
		goto out;
	}
	if (!opts->checkpoint) {
		rc = xlite_domain_destroy(hv, domid, &why);
		if (rc < 0) {
			/* The file is whole: it stays; say what is left. */
			*err = g_strdup_printf("saved to %s, but %s", path, why);
			g_clear_pointer(&why, g_free);
			goto done;
		}
	}
	goto done;
out:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	/* Streamed whole, then the file failed: the domain runs on. */
	if (streamed && !opts->checkpoint)
		resume_after_failure(hv, domid, err);
done:
	g_free(why);
	xlite_name_unlock(&lock_fd);
	return rc;
}

/* ---- restore ---------------------------------------------------------- */

static int restore_memory(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b,
			  void *opaque)
{
	struct xlite_save_reader *r = opaque;
	char *why = NULL;
	int fd = -1, rc, prc;

	rc = xlite_save_reader_start(r, &fd, &why);
	if (rc < 0) {
		xlite_hv_fail(hv, rc, "%s", why);
		g_free(why);
		return rc;
	}
	rc = hv->ops->domain_restore(hv, domid, fd, b);
	prc = xlite_save_reader_finish(r, &why);
	/* A stream cut or damaged on its way stopped libxenguest: the cause;
	 * but a pump that could not write on because libxenguest had stopped
	 * reading (it failed first) is not. */
	if (prc < 0 && !(rc < 0 && prc == -EPIPE)) {
		xlite_hv_fail(hv, prc, "%s", why);
		rc = prc;
	}
	g_free(why);
	return rc;
}

/* A restore under a new name beside the saved domain (a copy of a
 * checkpoint) cannot share its uuid: it gets a new one. */
static int pick_uuid(struct xlite_hv *hv, struct xlite_config *cfg, char **note, char **err)
{
	char was[XLITE_UUID_STRLEN], now[XLITE_UUID_STRLEN];
	uint32_t other;
	int rc = xlite_domain_find_uuid(hv, cfg->uuid, XLITE_DOMID_INVALID, &other);

	if (rc == -ESRCH)
		return 0;
	if (rc < 0) {
		*err = g_strdup(xlite_hv_error(hv));
		return rc;
	}
	xlite_uuid_format(cfg->uuid, was);
	rc = xlite_uuid_generate(cfg->uuid);
	if (rc < 0) {
		*err = g_strdup_printf("generating a uuid: %s", g_strerror(-rc));
		return rc;
	}
	xlite_uuid_format(cfg->uuid, now);
	*note = g_strdup_printf("uuid %s is domain %u's: domain '%s' gets uuid %s", was, other,
				cfg->name, now);
	return 0;
}

static void on_xml_warning(const char *msg, void *opaque)
{
	(void)msg;
	(void)opaque;	/* xlite wrote this XML: nothing to tell the user */
}

int xlite_restore_stream(struct xlite_hv *hv, struct xlite_save_reader *r, const char *what,
			 const struct xlite_restore_opts *opts, struct xlite_plan *plan,
			 struct xlite_apply_result *res, char **note, char **err)
{
	struct xlite_config cfg;
	struct xlite_apply_opts ao = opts->apply;
	const char *bad;
	char *why = NULL;
	int rc;

	*note = NULL;
	xlite_config_init(&cfg);
	rc = xlite_config_parse_memory(&cfg, r->xml, r->header.xml_len, what, on_xml_warning,
				       NULL, &why);
	if (rc < 0) {
		*err = g_strdup_printf("the saved domain XML: %s", why);
		goto out;
	}
	if (opts->new_name) {
		bad = xlite_name_invalid(opts->new_name);
		if (bad) {
			*err = g_strdup_printf("'%s' cannot be a domain name: %s", opts->new_name,
					       bad);
			rc = -EINVAL;
			goto out;
		}
		g_free(cfg.name);
		cfg.name = g_strdup(opts->new_name);
		rc = pick_uuid(hv, &cfg, note, err);
		if (rc < 0)
			goto out;
	}
	rc = xlite_plan_build(plan, &cfg, &why);
	if (rc < 0) {
		*err = g_strdup_printf("the saved domain XML: %s", why);
		goto out;
	}
	r->pump.total = r->header.mem_kib * 1024;
	r->pump.progress = opts->progress;
	r->pump.progress_opaque = opts->progress_opaque;
	ao.restore = restore_memory;
	ao.restore_opaque = r;
	rc = xlite_apply(hv, plan, &ao, res, err);
out:
	g_free(why);
	xlite_config_dispose(&cfg);
	return rc;
}

int xlite_restore_file(struct xlite_hv *hv, const char *path,
		       const struct xlite_restore_opts *opts, struct xlite_plan *plan,
		       struct xlite_apply_result *res, char **note, char **err)
{
	struct xlite_save_reader r;
	char *why = NULL;
	int fd, rc;

	*note = NULL;
	xlite_save_reader_init(&r, -1);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", path, g_strerror(errno));
		goto out;
	}
	/* The whole file first: nothing is made from a damaged one. */
	r.fd = fd;
	rc = xlite_save_reader_begin(&r, &why);
	if (rc == 0)
		rc = xlite_save_reader_verify(&r, &why);
	if (rc < 0) {
		*err = g_strdup_printf("%s: %s", path, why);
		goto out;
	}
	xlite_save_reader_dispose(&r);
	xlite_save_reader_init(&r, fd);
	r.checked = true;
	if (lseek(fd, 0, SEEK_SET) < 0 || xlite_save_reader_begin(&r, &why) < 0) {
		rc = -EIO;
		*err = g_strdup_printf("%s: reading it again: %s", path,
				       why ? why : g_strerror(errno));
		goto out;
	}
	rc = xlite_restore_stream(hv, &r, path, opts, plan, res, note, &why);
	if (rc < 0)
		*err = g_strdup_printf("%s: %s", path, why);
out:
	xlite_save_reader_dispose(&r);
	if (fd >= 0)
		close(fd);
	g_free(why);
	return rc;
}
