/* xlite migrate, both ends (see migrate.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libtool/apply/domain.h"
#include "libtool/parse/config.h"
#include "libtool/save/migrate.h"

/* A reply that follows a failure comes at once, or not at all. */
#define REPLY_AFTER_FAILURE_MS 3000

static double ms_since(gint64 t)
{
	return (double)(g_get_monotonic_time() - t) / 1000.0;
}

int xlite_migrate_read_line(int fd, int timeout_ms, char **line)
{
	GString *s = g_string_new("");
	gint64 deadline = timeout_ms < 0 ? 0 : g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	int rc = 0;

	*line = NULL;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int wait = -1, n;
		char c;

		if (deadline) {
			gint64 left = deadline - g_get_monotonic_time();

			if (left <= 0) {
				rc = -ETIMEDOUT;
				break;
			}
			wait = (int)((left + 999) / 1000);
		}
		n = poll(&p, 1, wait);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			continue;	/* the deadline decides */
		n = (int)read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0) {
			rc = -EPIPE;
			break;
		}
		if (c == '\n')
			break;
		if (s->len >= XLITE_MIGRATE_LINE_MAX) {
			rc = -EPROTO;
			break;
		}
		g_string_append_c(s, c);
	}
	if (rc == 0)
		*line = g_string_free(s, FALSE);
	else
		g_string_free(s, TRUE);
	return rc;
}

static int send_line(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int send_line(int fd, const char *fmt, ...)
{
	va_list ap;
	char *s, *nl;
	size_t len, off = 0;
	int rc = 0;

	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* One line: a message's own newlines would end it early. */
	while ((nl = strchr(s, '\n')) != NULL)
		*nl = ' ';
	len = strlen(s);
	if (len > XLITE_MIGRATE_LINE_MAX - 1)
		len = XLITE_MIGRATE_LINE_MAX - 1;
	s[len++] = '\n';
	while (off < len) {
		ssize_t n = write(fd, s + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t)n;
	}
	g_free(s);
	return rc;
}

/* The receiver's reply: 0 when it is WANT; otherwise -errno with *err
 * (its own "error WHY", or what went wrong on the way). */
static int expect(int in, const char *want, int timeout_ms, const char *peer, const char *stage,
		  char **err)
{
	char *line = NULL;
	int rc = xlite_migrate_read_line(in, timeout_ms, &line);

	if (rc == -EPIPE) {
		*err = g_strdup_printf("the %s closed the connection %s", peer, stage);
	} else if (rc == -ETIMEDOUT) {
		*err = g_strdup_printf("the %s did not answer %s", peer, stage);
	} else if (rc < 0) {
		*err = g_strdup_printf("reading the %s's reply %s: %s", peer, stage,
				       g_strerror(-rc));
	} else if (g_str_has_prefix(line, "error ")) {
		*err = g_strdup_printf("the %s: %s", peer, line + 6);
		rc = -EREMOTEIO;
	} else if (strcmp(line, want) != 0) {
		*err = g_strdup_printf("the %s said '%.80s' %s, expected '%s'", peer, line, stage,
				       want);
		rc = -EPROTO;
	}
	g_free(line);
	return rc;
}

char *xlite_migrate_live_refusal(struct xlite_hv *hv, uint32_t domid)
{
	struct xlite_dominfo info;
	struct xlite_physinfo pi;

	if (hv->ops->domain_info(hv, domid, &info) < 0 || hv->ops->physinfo(hv, &pi) < 0)
		return NULL;	/* the migration itself will say what is wrong */
	if (info.hvm && !pi.cap_hap)
		return g_strdup("this Xen has no hardware-assisted paging (HAP) to track the "
				"pages a PVH guest dirties");
	if (!info.hvm && !pi.cap_shadow)
		return g_strdup("a PV guest's dirty pages are tracked with shadow paging, which "
				"this Xen is built without (xlite info: logdirty_pv): move it cold");
	return NULL;
}

struct send_ctx {
	int in;
};

static int on_header_sent(void *opaque, char **err)
{
	struct send_ctx *s = opaque;

	return expect(s->in, "accept", -1, "target", "before any memory moved", err);
}

int xlite_migrate_send(struct xlite_hv *hv, uint32_t domid, int out, int in,
		       const struct xlite_migrate_opts *opts, struct xlite_migrate_result *res,
		       char **err)
{
	struct send_ctx s = { in };
	struct xlite_save_opts so = {
		.live = opts->live, .xml = opts->xml,
		.suspend_timeout_ms = opts->suspend_timeout_ms,
		.progress = opts->progress, .round = opts->round,
		.progress_opaque = opts->progress_opaque,
		.accepted = on_header_sent, .accepted_opaque = &s,
	};
	gint64 t0 = g_get_monotonic_time();
	g_autofree char *name = xlite_domain_name(hv, domid);
	char *why = NULL, *reply = NULL;
	bool suspended = false;
	int lock_fd = -1, rc;

	memset(res, 0, sizeof(*res));
	res->source_left = true;
	/* One move, save or destroy of a domain at a time. */
	if (name && !xlite_name_invalid(name)) {
		rc = xlite_name_lock(opts->lock_dir ? opts->lock_dir : XLITE_LOCK_DIR, name,
				     &lock_fd, err);
		if (rc < 0)
			return rc;
	}
	rc = xlite_save_stream(hv, domid, out, &so, &res->save, &why);
	if (rc < 0) {
		/* A receiver that gave up says why before it closes: its reason
		 * is the cause of a broken pipe here. */
		if ((rc == -EPIPE || strstr(why, "Broken pipe")) &&
		    xlite_migrate_read_line(in, REPLY_AFTER_FAILURE_MS, &reply) == 0 &&
		    g_str_has_prefix(reply, "error ")) {
			*err = g_strdup_printf("the target: %s", reply + 6);
			rc = -EREMOTEIO;
		} else {
			*err = g_strdup(why);
		}
		goto out;	/* xlite_save_stream resumed it */
	}
	suspended = true;
	rc = expect(in, "ready", -1, "target", "after the memory", err);
	if (rc == 0) {
		rc = send_line(out, "go");
		if (rc < 0)
			*err = g_strdup_printf("telling the target to start it: %s",
					       g_strerror(-rc));
	}
	if (rc == 0)
		rc = expect(in, "running", -1, "target", "when starting it", err);
	if (rc < 0)
		goto out;
	res->ms_down = res->save.t_suspended ? ms_since(res->save.t_suspended) : 0;
	res->source_left = false;
	suspended = false;
	/* It runs there: here it goes, with its devices. */
	rc = xlite_domain_destroy(hv, domid, &why);
	if (rc < 0) {
		*err = g_strdup_printf("it runs on the target, but destroying it here failed: %s",
				       why);
		goto out;
	}
out:
	if (suspended) {
		char *r = NULL;

		if (xlite_domain_resume(hv, domid, &r) < 0) {
			char *m = g_strdup_printf("%s\n%s: it stays suspended here", *err, r);

			g_free(*err);
			*err = m;
			res->source_left = false;
		}
		g_free(r);
	}
	res->ms_total = ms_since(t0);
	xlite_name_unlock(&lock_fd);
	g_free(reply);
	g_free(why);
	return rc;
}

static void on_xml_warning(const char *msg, void *opaque)
{
	(void)msg;
	(void)opaque;
}

/* Before any memory moves: the name is free here, the memory is there. */
static int admit(struct xlite_hv *hv, const struct xlite_save_reader *r, char **err)
{
	struct xlite_config cfg;
	struct xlite_physinfo pi;
	char *why = NULL;
	uint32_t other;
	uint64_t free_kib;
	int rc;

	xlite_config_init(&cfg);
	rc = xlite_config_parse_memory(&cfg, r->xml, r->header.xml_len, "the domain XML",
				       on_xml_warning, NULL, &why);
	if (rc < 0) {
		*err = g_strdup_printf("the domain XML: %s", why);
		goto out;
	}
	rc = xlite_domain_find(hv, cfg.name, &other);
	if (rc == 0) {
		*err = g_strdup_printf("domain '%s' exists on this host (id %u)", cfg.name, other);
		rc = -EEXIST;
		goto out;
	}
	rc = hv->ops->physinfo(hv, &pi);
	if (rc < 0) {
		*err = g_strdup(xlite_hv_error(hv));
		goto out;
	}
	free_kib = (pi.free_pages - MIN(pi.outstanding_pages, pi.free_pages)) * 4;
	if (free_kib < cfg.current_kib) {
		*err = g_strdup_printf("domain '%s' needs %llu MiB, this host has %llu MiB free",
				       cfg.name, (unsigned long long)cfg.current_kib / 1024,
				       (unsigned long long)free_kib / 1024);
		rc = -ENOMEM;
		goto out;
	}
	rc = 0;
out:
	g_free(why);
	xlite_config_dispose(&cfg);
	return rc;
}

int xlite_migrate_receive(struct xlite_hv *hv, int in, int out,
			  const struct xlite_migrate_recv_opts *opts, struct xlite_plan *plan,
			  struct xlite_apply_result *res, char **err)
{
	struct xlite_save_reader r;
	struct xlite_restore_opts ro;
	char *why = NULL, *note = NULL;
	bool made = false;
	int rc;

	xlite_save_reader_init(&r, in);
	r.more_follows = true;
	rc = xlite_save_reader_begin(&r, &why);
	if (rc < 0) {
		*err = g_strdup_printf("the stream: %s", why);
		goto out;
	}
	rc = admit(hv, &r, err);
	if (rc < 0)
		goto out;
	rc = send_line(out, "accept");
	if (rc < 0) {
		*err = g_strdup_printf("the sender went away: %s", g_strerror(-rc));
		goto out;
	}
	memset(&ro, 0, sizeof(ro));
	ro.apply = opts->apply;
	ro.apply.paused = true;
	ro.progress = opts->progress;
	ro.progress_opaque = opts->progress_opaque;
	rc = xlite_restore_stream(hv, &r, "the migration stream", &ro, plan, res, &note, err);
	if (rc < 0)
		goto out;
	made = true;
	rc = send_line(out, "ready");
	if (rc < 0) {
		*err = g_strdup_printf("the sender went away: %s", g_strerror(-rc));
		goto out;
	}
	rc = expect(in, "go", -1, "sender", "after the memory", &why);
	if (rc < 0) {
		*err = g_strdup_printf("%s: the domain stays on the sender", why);
		goto out;
	}
	rc = hv->ops->domain_unpause(hv, res->domid);
	if (rc < 0) {
		*err = g_strdup_printf("unpausing it: %s", xlite_hv_error(hv));
		goto out;
	}
	rc = send_line(out, "running");
	if (rc < 0) {
		*err = g_strdup_printf("the sender went away before it heard the domain runs "
				       "here: %s", g_strerror(-rc));
		goto out;
	}
out:
	if (rc < 0) {
		char *gone = NULL;

		send_line(out, "error %s", *err);
		if (made && xlite_domain_destroy(hv, res->domid, &gone) < 0) {
			char *m = g_strdup_printf("%s\nremoving it: %s", *err, gone);

			g_free(*err);
			*err = m;
		}
		g_free(gone);
	}
	xlite_save_reader_dispose(&r);
	g_free(note);
	g_free(why);
	return rc;
}
