/* The HTTPS server on the main loop: libmicrohttpd in its external
 * polling mode (its epoll descriptor is a GLib source, MHD_get_timeout
 * a GLib timer), every request authenticated by the bearer token,
 * bodies bounded, and requests that touch Xen handed to the worker pool
 * while their connection is suspended. */
#include <errno.h>
#include <string.h>

#include <arpa/inet.h>
#include <glib.h>
#include <glib-unix.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include "libtool/util/fail.h"
#include "xlited/www.h"
#include "xlited/xlited.h"

#define COOKIE_NAME "xlited_token"

static struct xlited_req *req_new(struct xlited *d, struct MHD_Connection *conn,
				  const char *method, const char *url)
{
	struct xlited_req *r = g_new0(struct xlited_req, 1);
	const char *dry = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "dry_run");
	const char *since = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "since");

	r->d = d;
	r->conn = conn;
	r->method = g_strdup(method);
	r->path = g_strdup(url);
	r->dry_run = dry && (strcmp(dry, "1") == 0 || g_ascii_strcasecmp(dry, "true") == 0);
	r->since = g_strdup(since);
	r->body = g_byte_array_new();
	r->out = g_string_new("");
	return r;
}

static void req_free(struct xlited_req *r)
{
	g_free(r->method);
	g_free(r->path);
	g_free(r->arg);
	g_free(r->allow);
	g_free(r->since);
	g_free(r->set_cookie);
	g_byte_array_unref(r->body);
	g_string_free(r->out, TRUE);
	g_free(r);
}

static enum MHD_Result respond(struct xlited_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(r->out->len, r->out->str, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				r->content_type ? r->content_type : "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				r->cache_control ? r->cache_control : "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	/* the web console: its own files only, never in a frame */
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; style-src 'self' 'unsafe-inline'; "
				"img-src 'self' data:; frame-ancestors 'none'");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	if (r->set_cookie)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
	if (r->status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Bearer realm=\"xlited\"");
	if (r->allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	ret = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The bearer token, or the cookie the web console's login set (an
 * EventSource cannot set a header). A change made with the cookie also
 * needs the CSRF header, which only a page of this origin can read from
 * /login or /api/v1/session: another site cannot make a browser send it. */
static const char *check_token(struct xlited *d, struct MHD_Connection *conn,
			       const char *method)
{
	const char *hdr = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_AUTHORIZATION);
	const char *given, *csrf_given;
	g_autofree char *csrf = NULL;
	size_t len = 0;

	given = xlited_bearer(hdr, &len);
	if (given)
		return xlited_token_equal(given, len, d->token) ? NULL : "the token is not valid";
	given = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, COOKIE_NAME);
	if (!given)
		return hdr ? "the Authorization header is not \"Bearer TOKEN\""
			   : "no token: send \"Authorization: Bearer TOKEN\"";
	if (!xlited_token_equal(given, strlen(given), d->token))
		return "the token is not valid";
	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return NULL;
	csrf = xlited_csrf(d->token);
	csrf_given = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, XLITED_CSRF_HEADER);
	if (!csrf_given || !xlited_token_equal(csrf_given, strlen(csrf_given), csrf))
		return "a change with the cookie needs the " XLITED_CSRF_HEADER " header "
		       "(GET /api/v1/session gives it)";
	return NULL;
}

static void on_work(gpointer data, gpointer user)
{
	struct xlited_req *r = data;

	(void)user;
	r->route->fn(r);
}

static gboolean on_work_done(gpointer data)
{
	struct xlited_req *r = data;

	r->done = true;
	r->suspended = false;
	MHD_resume_connection(r->conn);
	xlited_http_kick(r->d);
	return G_SOURCE_REMOVE;
}

static void work(gpointer data, gpointer user)
{
	on_work(data, user);
	g_main_context_invoke(NULL, on_work_done, data);
}

/* The first call of a request: who, where, how big. A reply made here
 * (401, 404, 405, 413) is queued once the body has been read and dropped,
 * so that the client, still sending, gets it; a body declared larger than
 * XLITED_DISCARD_MAX is not read: the reply goes at once and the
 * connection is closed. */
static void first_call(struct xlited_req *r, struct MHD_Connection *conn)
{
	const char *why = NULL;
	const char *clen;
	unsigned int status = 404;
	guint64 n;

	if (xlited_www_is_static(r->method, r->path)) {
		xlited_www_serve(r);
		r->done = true;
		return;
	}
	r->route = xlited_route_find(r->method, r->path, &r->arg, &status, &r->allow);
	if (!r->route || r->route->kind != XLITED_ROUTE_PUBLIC)
		why = check_token(r->d, conn, r->method);
	if (why) {
		g_message("%s %s: 401: %s", r->method, r->path, why);
		xlited_reply_error(r, MHD_HTTP_UNAUTHORIZED, "%s", why);
		r->done = true;
		return;
	}
	if (!r->route) {
		xlited_reply_error(r, status, status == 405 ? "%s does not take %s (it takes %s)"
				   : "no such resource: %s", r->path, r->method,
				   r->allow ? r->allow : "");
		r->done = true;
		return;
	}
	clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (clen && (!g_ascii_string_to_unsigned(clen, 10, 0, G_MAXUINT64, &n, NULL) ||
		     n > XLITED_MAX_BODY)) {
		xlited_reply_error(r, 413,
				   "the body is %s bytes, more than the %u allowed", clen,
				   XLITED_MAX_BODY);
		r->done = true;
	}
}

/* Whether a reply made at the first call goes at once (see first_call). */
static bool reply_now(struct MHD_Connection *conn)
{
	const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_CONTENT_LENGTH);
	guint64 n;

	return clen && (!g_ascii_string_to_unsigned(clen, 10, 0, G_MAXUINT64, &n, NULL) ||
			n > XLITED_DISCARD_MAX);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct xlited *d = cls;
	struct xlited_req *r = *con_cls;

	(void)version;
	if (!r) {
		r = req_new(d, conn, method, url);
		*con_cls = r;
		first_call(r, conn);
		if (r->done && reply_now(conn) && respond(r) == MHD_YES)
			r->status = 0;	/* queued: the body is not read */
		return MHD_YES;
	}
	if (*upload_data_size) {
		r->received += *upload_data_size;
		if (r->received > XLITED_DISCARD_MAX)
			return MHD_NO;	/* an endless body (chunked): close */
		if (!r->done && !r->too_large) {
			if (r->body->len + *upload_data_size > XLITED_MAX_BODY)
				r->too_large = true;
			else
				g_byte_array_append(r->body, (const guint8 *)upload_data,
						    (guint)*upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->done)
		return r->status ? respond(r) : MHD_YES;
	if (r->too_large) {
		xlited_reply_error(r, 413,
				   "the body is more than the %u bytes allowed", XLITED_MAX_BODY);
		r->done = true;
		return respond(r);
	}
	if (r->route->kind == XLITED_ROUTE_EVENTS)
		return xlited_events_attach(d, conn) < 0 ? MHD_NO : MHD_YES;
	if (g_atomic_int_get(&d->stopping)) {
		xlited_reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "xlited is stopping");
		r->done = true;
		return respond(r);
	}
	MHD_suspend_connection(conn);
	r->suspended = true;
	g_thread_pool_push(d->pool, r, NULL);
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct xlited_req *r = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (r)
		req_free(r);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);

	(void)cls;
	g_message("libmicrohttpd: %s", g_strchomp(msg));
}

static void rearm(struct xlited *d);

static gboolean on_mhd_timer(gpointer data)
{
	struct xlited *d = data;

	d->mhd_timer = 0;
	xlited_http_kick(d);
	return G_SOURCE_REMOVE;
}

static void rearm(struct xlited *d)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (d->mhd_timer)
		g_source_remove(d->mhd_timer);
	d->mhd_timer = 0;
	if (MHD_get_timeout(d->mhd, &ms) == MHD_YES)
		d->mhd_timer = g_timeout_add(ms > 60000 ? 60000 : (guint)ms, on_mhd_timer, d);
}

void xlited_http_kick(struct xlited *d)
{
	if (!d->mhd)
		return;
	MHD_run(d->mhd);
	rearm(d);
}

static gboolean on_mhd_fd(gint fd, GIOCondition cond, gpointer data)
{
	(void)fd;
	(void)cond;
	xlited_http_kick(data);
	return G_SOURCE_CONTINUE;
}

int xlited_http_start(struct xlited *d, char **err)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	const struct sockaddr *sa;
	const union MHD_DaemonInfo *info;
	unsigned int flags = MHD_USE_TLS | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
			     MHD_USE_ERROR_LOG;

	if (inet_pton(AF_INET, d->conf.listen, &sin.sin_addr) == 1) {
		sin.sin_port = htons((uint16_t)d->conf.port);
		sa = (const struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, d->conf.listen, &sin6.sin6_addr) == 1) {
		sin6.sin6_port = htons((uint16_t)d->conf.port);
		sa = (const struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		return xlite_fail(err, -EINVAL, "[daemon] listen: '%s' is not an address",
				  d->conf.listen);
	}
	d->pool = g_thread_pool_new(work, d, XLITED_WORKERS, FALSE, NULL);
	d->mhd = MHD_start_daemon(flags, (uint16_t)d->conf.port, NULL, NULL, on_request, d,
				  MHD_OPTION_SOCK_ADDR, sa,
				  MHD_OPTION_HTTPS_MEM_KEY, d->key_pem,
				  MHD_OPTION_HTTPS_MEM_CERT, d->cert_pem,
				  MHD_OPTION_NOTIFY_COMPLETED, on_completed, d,
				  MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, d,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
				  MHD_OPTION_END);
	if (!d->mhd)
		return xlite_fail(err, -EADDRNOTAVAIL, "cannot listen on %s port %u (in use, or "
				  "not an address of this host?)", d->conf.listen, d->conf.port);
	info = MHD_get_daemon_info(d->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info)
		return xlite_fail(err, -EIO, "libmicrohttpd gave no epoll descriptor");
	d->mhd_fd_source = g_unix_fd_add(info->epoll_fd, G_IO_IN, on_mhd_fd, d);
	rearm(d);
	return 0;
}

void xlited_http_stop(struct xlited *d)
{
	g_atomic_int_set(&d->stopping, 1);
	if (d->pool) {
		/* Running requests finish; their replies are queued on the loop. */
		g_thread_pool_free(d->pool, FALSE, TRUE);
		d->pool = NULL;
	}
	while (g_main_context_iteration(NULL, FALSE))
		;
	if (d->mhd_fd_source)
		g_source_remove(d->mhd_fd_source);
	if (d->mhd_timer)
		g_source_remove(d->mhd_timer);
	d->mhd_fd_source = d->mhd_timer = 0;
	if (d->mhd)
		MHD_stop_daemon(d->mhd);
	d->mhd = NULL;
}
