/* The web console's API handlers: the sampler's history (host and one
 * domain) and the tail of a domain's console log. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/apply/domain.h"
#include "libtool/report/report.h"
#include "xlited/sample.h"
#include "xlited/www.h"
#include "xlited/xlited.h"

/* ?since=T (Unix ms): 0 when absent; false (and a 400) when not a number. */
static bool since_of(struct xlited_req *r, int64_t *since)
{
	guint64 v;

	*since = 0;
	if (!r->since)
		return true;
	if (!g_ascii_string_to_unsigned(r->since, 10, 0, G_MAXINT64, &v, NULL)) {
		xlited_reply_error(r, 400, "since: '%s' is not a time in ms since 1970", r->since);
		return false;
	}
	*since = (int64_t)v;
	return true;
}

void xlited_api_history(struct xlited_req *r)
{
	g_autofree char *json = NULL;
	int64_t since;

	if (!since_of(r, &since))
		return;
	if (xlited_history_host(r->d, since, &json) < 0) {
		xlited_reply_error(r, 503, "no sampler runs");
		return;
	}
	xlited_reply(r, 200, "application/json", json);
}

void xlited_api_dom_history(struct xlited_req *r)
{
	g_autofree char *json = NULL;
	int64_t since;
	int rc;

	if (!since_of(r, &since))
		return;
	rc = xlited_history_domain(r->d, r->arg, since, &json);
	if (rc == -ESRCH)
		xlited_reply_error(r, 404, "domain '%s' has no history (no such domain, or not "
				   "sampled yet)", r->arg);
	else if (rc < 0)
		xlited_reply_error(r, 503, "no sampler runs");
	else
		xlited_reply(r, 200, "application/json", json);
}

/* The last XLITED_CONSOLE_TAIL bytes of PATH, from a line's start when
 * cut; -errno. */
static int read_tail(const char *path, GString *out)
{
	char buf[8192];
	struct stat st;
	off_t from;
	ssize_t n;
	size_t left = XLITED_CONSOLE_TAIL;
	const char *nl;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		goto out;
	}
	from = st.st_size > XLITED_CONSOLE_TAIL ? st.st_size - XLITED_CONSOLE_TAIL : 0;
	if (lseek(fd, from, SEEK_SET) < 0) {
		rc = -errno;
		goto out;
	}
	while (left && (n = read(fd, buf, MIN(sizeof(buf), left))) > 0) {
		g_string_append_len(out, buf, n);
		left -= (size_t)n;
	}
	if (from > 0 && (nl = memchr(out->str, '\n', out->len)))
		g_string_erase(out, 0, nl - out->str + 1);
out:
	close(fd);
	return rc;
}

/* The tail of the log file PREFIX-NAME.log of R's domain: its console
 * (xenconsoled's guest-NAME.log) or xlite's own (xlite-NAME.log: its
 * monitor's or xlited's actions for it). WHAT names it in errors, WHY
 * says what a missing one means. */
static void reply_domain_log(struct xlited_req *r, const char *prefix, const char *what,
			     const char *why)
{
	struct xlite_hv hv = { 0 };
	g_autofree char *err = NULL;
	g_autofree char *name = NULL;
	g_autofree char *path = NULL;
	GString *text = g_string_new("");
	uint32_t domid;
	int rc;

	if (xlited_api_hv_open(r, &hv, 0) < 0)
		goto out;
	rc = xlited_resolve(r->d->nodecache, &hv, r->arg, &domid, &err);
	if (rc < 0) {
		xlited_reply_error(r, xlited_status_of(rc), "%s", err);
		goto out;
	}
	name = xlite_domain_name(&hv, domid);
	/* the name is the domain's own (xenstore): one path segment only */
	if (!name || !name[0] || strchr(name, '/') || name[0] == '.') {
		xlited_reply_error(r, 404, "domain '%s' has no %s", r->arg, what);
		goto out;
	}
	path = g_strdup_printf("%s/%s-%s.log", XLITED_CONSOLE_DIR, prefix, name);
	rc = read_tail(path, text);
	if (rc == -ENOENT) {
		xlited_reply_error(r, 404, "%s: no %s (%s)", path, what, why);
		goto out;
	}
	if (rc < 0) {
		xlited_reply_error(r, 500, "%s: %s", path, g_strerror(-rc));
		goto out;
	}
	xlited_reply(r, 200, "text/plain; charset=utf-8", text->str);
out:
	g_string_free(text, TRUE);
	xlite_hv_dispose(&hv);
}

void xlited_api_console(struct xlited_req *r)
{
	reply_domain_log(r, "guest", "console log", "is xenconsoled logging guests?");
}

void xlited_api_dom_log(struct xlited_req *r)
{
	reply_domain_log(r, "xlite", "xlite log", "nothing done for it yet");
}

/* Xen's console ring, read, not cleared (a GET changes nothing). */
void xlited_api_dmesg(struct xlited_req *r)
{
	struct xlite_hv hv = { 0 };
	GString *text = g_string_new("");

	if (xlited_api_hv_open(r, &hv, XLITE_HV_NO_XENSTORE) < 0)
		goto out;
	if (xlite_report_dmesg(&hv, false, text) < 0) {
		xlited_reply_error(r, 500, "%s", xlite_hv_error(&hv));
		goto out;
	}
	xlited_reply(r, 200, "text/plain; charset=utf-8", text->str);
out:
	g_string_free(text, TRUE);
	xlite_hv_dispose(&hv);
}

void xlited_api_event_history(struct xlited_req *r)
{
	g_autofree char *json = NULL;

	if (!r->d || !r->d->event_log) {
		xlited_reply_error(r, 503, "no event history is kept");
		return;
	}
	json = xlited_event_log_json(r->d->event_log);
	xlited_reply(r, 200, "application/json", json);
}
