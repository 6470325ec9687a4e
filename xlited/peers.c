/* One console for every host: xlite.conf's [peers] (name = URL TOKEN
 * FINGERPRINT) and /api/v1/peers/NAME/REST, forwarded to the peer's
 * /api/v1/REST over HTTPS with its token. The peer's certificate is
 * pinned: after the handshake its SHA-256 fingerprint must be the one
 * configured, or nothing (no token) is sent. */
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "libtool/util/fail.h"
#include "libtool/util/json.h"
#include "xlited/peers.h"
#include "xlited/xlited.h"

void xlited_peer_free(void *p)
{
	struct xlited_peer *peer = p;

	g_free(peer->name);
	g_free(peer->host);
	g_free(peer->token);
	g_free(peer->fingerprint);
	g_free(peer);
}

/* "AB:CD:..." or "abcd...": 64 hex digits, upper case, no colons; NULL. */
static char *norm_fingerprint(const char *s)
{
	GString *out = g_string_new("");

	for (; *s; s++) {
		if (*s == ':')
			continue;
		if (!g_ascii_isxdigit(*s))
			break;
		g_string_append_c(out, g_ascii_toupper(*s));
	}
	if (*s || out->len != 64) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

int xlited_peer_parse(const char *name, const char *value, struct xlited_peer **out,
		      char **err)
{
	g_auto(GStrv) w = g_strsplit_set(value, " \t", -1);
	g_autoptr(GUri) uri = NULL;
	struct xlited_peer *p;
	GPtrArray *words = g_ptr_array_new();
	char *fp;
	guint i;

	for (i = 0; w[i]; i++)
		if (w[i][0])
			g_ptr_array_add(words, w[i]);
	if (words->len != 3) {
		g_ptr_array_free(words, TRUE);
		return xlite_fail(err, -EINVAL, "[peers] %s: expected URL TOKEN FINGERPRINT", name);
	}
	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
	    strlen(name)) {
		g_ptr_array_free(words, TRUE);
		return xlite_fail(err, -EINVAL, "[peers] '%s': a name is letters, digits, . _ -",
				  name);
	}
	uri = g_uri_parse(words->pdata[0], G_URI_FLAGS_NONE, NULL);
	if (!uri || g_strcmp0(g_uri_get_scheme(uri), "https") != 0 || !g_uri_get_host(uri) ||
	    (g_uri_get_path(uri)[0] && strcmp(g_uri_get_path(uri), "/") != 0)) {
		i = xlite_fail(err, -EINVAL, "[peers] %s: '%s' is not https://HOST[:PORT]", name,
			       (char *)words->pdata[0]);
		g_ptr_array_free(words, TRUE);
		return (int)i;
	}
	fp = norm_fingerprint(words->pdata[2]);
	if (!fp) {
		i = xlite_fail(err, -EINVAL, "[peers] %s: '%s' is not a SHA-256 fingerprint (as "
			       "xlited logs it)", name, (char *)words->pdata[2]);
		g_ptr_array_free(words, TRUE);
		return (int)i;
	}
	p = g_new0(struct xlited_peer, 1);
	p->name = g_strdup(name);
	p->host = g_strdup(g_uri_get_host(uri));
	p->port = g_uri_get_port(uri) > 0 ? (unsigned int)g_uri_get_port(uri) : 443;
	p->token = g_strdup(words->pdata[1]);
	p->fingerprint = fp;
	g_ptr_array_free(words, TRUE);
	*out = p;
	return 0;
}

int xlited_peers_load(GPtrArray *peers, const char *file, char **err)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_auto(GStrv) keys = NULL;
	guint i;

	if (!g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, NULL) ||
	    !g_key_file_has_group(kf, "peers"))
		return 0;	/* hostconf said what is wrong with the file */
	keys = g_key_file_get_keys(kf, "peers", NULL, NULL);
	for (i = 0; keys && keys[i]; i++) {
		g_autofree char *v = g_key_file_get_string(kf, "peers", keys[i], NULL);
		struct xlited_peer *p = NULL;
		int rc = xlited_peer_parse(keys[i], v ? v : "", &p, err);

		if (rc < 0) {
			char *e = g_strdup_printf("%s: %s", file, *err);

			g_free(*err);
			*err = e;
			return rc;
		}
		g_ptr_array_add(peers, p);
	}
	return 0;
}

const struct xlited_peer *xlited_peer_find(GPtrArray *peers, const char *name)
{
	guint i;

	for (i = 0; peers && i < peers->len; i++) {
		const struct xlited_peer *p = peers->pdata[i];

		if (strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

static int dial(const struct xlited_peer *p, char **err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
	struct timeval tv = { .tv_sec = XLITED_PEER_TIMEOUT_S };
	char port[8];
	int fd = -1, rc;

	g_snprintf(port, sizeof(port), "%u", p->port);
	rc = getaddrinfo(p->host, port, &hints, &res);
	if (rc != 0)
		return xlite_fail(err, -EHOSTUNREACH, "peer %s: %s: %s", p->name, p->host,
				  gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return xlite_fail(err, -EHOSTUNREACH, "peer %s: cannot connect to %s port %u",
				  p->name, p->host, p->port);
	return fd;
}

/* Whether the session's peer certificate has P's fingerprint. */
static bool pinned(gnutls_session_t s, const struct xlited_peer *p, char **err)
{
	const gnutls_datum_t *certs;
	unsigned int n = 0;
	gnutls_x509_crt_t crt = NULL;
	unsigned char digest[32];
	size_t len = sizeof(digest);
	char hex[65];
	size_t i;
	bool ok = false;

	certs = gnutls_certificate_get_peers(s, &n);
	if (!certs || n == 0 || gnutls_x509_crt_init(&crt) < 0)
		goto out;
	if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) < 0 ||
	    gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, digest, &len) < 0 ||
	    len != sizeof(digest))
		goto out;
	for (i = 0; i < len; i++)
		g_snprintf(hex + 2 * i, 3, "%02X", digest[i]);
	ok = strcmp(hex, p->fingerprint) == 0;
	if (!ok)
		xlite_fail(err, -EPERM, "peer %s: its certificate's SHA-256 is %s, not the %s "
			   "configured: nothing sent", p->name, hex, p->fingerprint);
out:
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (!ok && !*err)
		xlite_fail(err, -EPERM, "peer %s: no certificate to check", p->name);
	return ok;
}

static int send_all(gnutls_session_t s, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = gnutls_record_send(s, buf, len);

		if (n == GNUTLS_E_INTERRUPTED || n == GNUTLS_E_AGAIN)
			continue;
		if (n < 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int xlited_peer_call(const struct xlited_peer *p, const char *method, const char *path,
		     const char *content_type, const void *body, size_t body_len,
		     unsigned int *status, bool *text, GString *reply, char **err)
{
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_session_t s = NULL;
	GString *raw = g_string_new("");
	g_autofree char *req = NULL;
	char buf[16384];
	const char *eoh, *sp;
	ssize_t n;
	int fd, rc = -EIO;

	*err = NULL;
	fd = dial(p, err);
	if (fd < 0) {
		rc = fd;
		goto out;
	}
	if (gnutls_certificate_allocate_credentials(&cred) < 0 ||
	    gnutls_init(&s, GNUTLS_CLIENT) < 0 || gnutls_set_default_priority(s) < 0 ||
	    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred) < 0) {
		rc = xlite_fail(err, -ENOMEM, "peer %s: TLS setup failed", p->name);
		goto out;
	}
	gnutls_transport_set_int(s, fd);
	do {
		n = gnutls_handshake(s);
	} while (n < 0 && !gnutls_error_is_fatal((int)n));
	if (n < 0) {
		rc = xlite_fail(err, -EIO, "peer %s: TLS: %s", p->name, gnutls_strerror((int)n));
		goto out;
	}
	if (!pinned(s, p, err)) {
		rc = -EPERM;
		goto out;
	}
	req = g_strdup_printf("%s %s HTTP/1.1\r\nHost: %s:%u\r\nAuthorization: Bearer %s\r\n"
			      "Connection: close\r\nContent-Length: %zu\r\n%s%s%s\r\n",
			      method, path, p->host, p->port, p->token, body_len,
			      content_type ? "Content-Type: " : "", content_type ? content_type : "",
			      content_type ? "\r\n" : "");
	if (send_all(s, req, strlen(req)) < 0 || (body_len && send_all(s, body, body_len) < 0)) {
		rc = xlite_fail(err, -EIO, "peer %s: sending failed", p->name);
		goto out;
	}
	while ((n = gnutls_record_recv(s, buf, sizeof(buf))) != 0) {
		if (n == GNUTLS_E_INTERRUPTED || n == GNUTLS_E_AGAIN)
			continue;
		if (n < 0)
			break;	/* a peer that closes without close_notify: what came is it */
		g_string_append_len(raw, buf, n);
		if (raw->len > XLITED_PEER_MAX_REPLY) {
			rc = xlite_fail(err, -EFBIG, "peer %s: a reply over %d bytes", p->name,
					XLITED_PEER_MAX_REPLY);
			goto out;
		}
	}
	eoh = strstr(raw->str, "\r\n\r\n");
	sp = strchr(raw->str, ' ');
	if (!eoh || !sp || !g_str_has_prefix(raw->str, "HTTP/1.") ||
	    !g_ascii_isdigit(sp[1])) {
		rc = xlite_fail(err, -EPROTO, "peer %s: not an HTTP reply", p->name);
		goto out;
	}
	*status = (unsigned int)g_ascii_strtoull(sp + 1, NULL, 10);
	{
		g_autofree char *head = g_ascii_strdown(raw->str, eoh - raw->str);

		*text = strstr(head, "\r\ncontent-type: text/plain") != NULL;
	}
	/* libmicrohttpd's replies here have a Content-Length; the connection
	 * closes after it */
	g_string_append_len(reply, eoh + 4, (gssize)(raw->len - (size_t)(eoh + 4 - raw->str)));
	rc = 0;
out:
	if (s) {
		gnutls_bye(s, GNUTLS_SHUT_WR);
		gnutls_deinit(s);
	}
	if (cred)
		gnutls_certificate_free_credentials(cred);
	if (fd >= 0)
		close(fd);
	g_string_free(raw, TRUE);
	return rc;
}

void xlited_api_peers(struct xlited_req *r)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	g_autofree char *doc = NULL;
	guint i;

	xlite_json_begin_array(b);
	for (i = 0; r->d->peers && i < r->d->peers->len; i++) {
		const struct xlited_peer *p = r->d->peers->pdata[i];

		xlite_json_begin_object(b);
		xlite_json_member_str(b, "name", p->name);
		xlite_json_member_str(b, "host", p->host);
		xlite_json_member_int(b, "port", p->port);
		xlite_json_end_object(b);
	}
	xlite_json_end_array(b);
	doc = xlite_json_to_string(b, false);
	xlited_reply(r, 200, "application/json", doc);
}

void xlited_api_peer_proxy(struct xlited_req *r)
{
	const char *rest = r->path + strlen("/api/v1/peers/");
	const char *slash = strchr(rest, '/');
	g_autofree char *name = slash ? g_strndup(rest, (gsize)(slash - rest)) : NULL;
	g_autofree char *path = NULL;
	g_autofree char *err = NULL;
	const struct xlited_peer *p;
	GString *reply = g_string_new("");
	unsigned int status = 0;
	bool text = false;
	int rc;

	p = name ? xlited_peer_find(r->d->peers, name) : NULL;
	if (!p) {
		xlited_reply_error(r, 404, "no such peer: %s", name ? name : rest);
		goto out;
	}
	/* one API path, no way out of /api/v1/ (the peer's server checks the
	 * rest) */
	if (strstr(slash, "/..") || strstr(slash, "/./") || strchr(slash, '?')) {
		xlited_reply_error(r, 400, "not an API path: %s", slash);
		goto out;
	}
	if (r->since && strspn(r->since, "0123456789") != strlen(r->since)) {
		xlited_reply_error(r, 400, "since: '%s' is not a time in ms since 1970", r->since);
		goto out;
	}
	if (r->since)
		path = g_strdup_printf("/api/v1%s?since=%s", slash, r->since);
	else
		path = g_strdup_printf("/api/v1%s%s", slash, r->dry_run ? "?dry_run=1" : "");
	rc = xlited_peer_call(p, r->method, path, r->body->len ? "application/octet-stream" : NULL,
			      r->body->data, r->body->len, &status, &text, reply, &err);
	if (rc < 0) {
		g_message("%s %s: %s", r->method, r->path, err);
		xlited_reply_error(r, 502, "%s", err);
		goto out;
	}
	if (status == 401) {
		/* ours to the peer, not the client's to us: a page must not take
		 * it for its own session's end */
		xlited_reply_error(r, 502, "peer %s refused the token configured for it", p->name);
		goto out;
	}
	r->status = status;
	r->content_type = text ? "text/plain; charset=utf-8" : "application/json";
	g_string_assign(r->out, reply->str);
out:
	g_string_free(reply, TRUE);
}
