/* The web console's files and its login (see www.h). Files are read from
 * the www directory by a name checked segment by segment (no "..", no
 * dot files, a small alphabet) and opened without following a symbolic
 * link; the page itself holds no secret, so files need no token. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "libtool/util/json.h"
#include "xlited/www.h"
#include "xlited/xlited.h"

bool xlited_www_is_static(const char *method, const char *path)
{
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return false;
	return !g_str_has_prefix(path, "/api/") && strcmp(path, "/api") != 0 &&
	       strcmp(path, "/metrics") != 0;
}

char *xlited_www_file(const char *root, const char *path)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789._-";
	g_auto(GStrv) segs = NULL;
	guint i;

	if (!path || path[0] != '/')
		return NULL;
	if (strcmp(path, "/") == 0)
		return g_build_filename(root, "index.html", NULL);
	segs = g_strsplit(path + 1, "/", -1);
	for (i = 0; segs[i]; i++) {
		const char *s = segs[i];

		if (!s[0] || s[0] == '.' || strspn(s, ok) != strlen(s))
			return NULL;
	}
	if (i > 8)
		return NULL;
	return g_build_filename(root, path + 1, NULL);
}

const char *xlited_www_type(const char *file)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".json", "application/json" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".md", "text/plain; charset=utf-8" },
	};
	const char *base = strrchr(file, '/');
	size_t i;

	base = base ? base + 1 : file;
	if (strcmp(base, "LICENSE") == 0)
		return "text/plain; charset=utf-8";
	for (i = 0; i < G_N_ELEMENTS(types); i++)
		if (g_str_has_suffix(base, types[i].ext))
			return types[i].type;
	return NULL;
}

char *xlited_csrf(const char *token)
{
	return g_compute_hmac_for_string(G_CHECKSUM_SHA256, (const guchar *)token, strlen(token),
					 "xlited csrf v1", -1);
}

/* FILE's bytes, when a regular file (no symbolic link) of at most
 * XLITED_WWW_MAX_FILE bytes. */
static GString *read_file(const char *file)
{
	GString *out = NULL;
	struct stat st;
	char buf[16384];
	ssize_t n;
	int fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > XLITED_WWW_MAX_FILE)
		goto out;
	out = g_string_sized_new((gsize)st.st_size + 1);
	while ((n = read(fd, buf, sizeof(buf))) > 0 && out->len <= XLITED_WWW_MAX_FILE)
		g_string_append_len(out, buf, n);
	if (n < 0 || out->len > XLITED_WWW_MAX_FILE) {
		g_string_free(out, TRUE);
		out = NULL;
	}
out:
	close(fd);
	return out;
}

void xlited_www_serve(struct xlited_req *r)
{
	g_autofree char *file = xlited_www_file(r->d->www_dir, r->path);
	const char *type = file ? xlited_www_type(file) : NULL;
	GString *body = type ? read_file(file) : NULL;

	if (!body) {
		xlited_reply_error(r, 404, "no such file: %s", r->path);
		return;
	}
	r->status = 200;
	r->content_type = type;
	/* the vendored library changes with its directory's version only */
	r->cache_control = g_str_has_prefix(r->path, "/vendor/") ? "public, max-age=86400"
								 : "no-cache";
	g_string_free(r->out, TRUE);
	r->out = body;
}

/* The token of a login body: {"token": "..."} or token=... (a form). */
static char *login_token(const GByteArray *body)
{
	g_autofree char *text = g_strndup((const char *)body->data, body->len);
	g_autoptr(JsonParser) p = json_parser_new();
	JsonNode *root;
	JsonObject *o;

	if (g_str_has_prefix(text, "token="))
		return g_uri_unescape_string(text + 6, NULL);
	if (!json_parser_load_from_data(p, text, -1, NULL))
		return NULL;
	root = json_parser_get_root(p);
	if (!root || !JSON_NODE_HOLDS_OBJECT(root))
		return NULL;
	o = json_node_get_object(root);
	if (!json_object_has_member(o, "token") ||
	    json_node_get_value_type(json_object_get_member(o, "token")) != G_TYPE_STRING)
		return NULL;
	return g_strdup(json_object_get_string_member(o, "token"));
}

static void reply_csrf(struct xlited_req *r)
{
	g_autofree char *csrf = xlited_csrf(r->d->token);
	g_autoptr(XliteJson) b = xlite_json_new();
	g_autofree char *doc = NULL;

	xlite_json_begin_object(b);
	xlite_json_member_str(b, "csrf", csrf);
	xlite_json_member_str(b, "csrf_header", XLITED_CSRF_HEADER);
	xlite_json_end_object(b);
	doc = xlite_json_to_string(b, false);
	xlited_reply(r, 200, "application/json", doc);
}

void xlited_www_login(struct xlited_req *r)
{
	g_autofree char *token = login_token(r->body);

	if (!token) {
		xlited_reply_error(r, 400, "the body is not {\"token\": \"...\"} nor token=...");
		return;
	}
	if (!xlited_token_equal(token, strlen(token), r->d->token)) {
		g_message("POST /login: 401: the token is not valid");
		xlited_reply_error(r, 401, "the token is not valid");
		return;
	}
	r->set_cookie = g_strdup_printf("xlited_token=%s; Path=/; HttpOnly; Secure; "
					"SameSite=Strict", r->d->token);
	reply_csrf(r);
}

void xlited_www_logout(struct xlited_req *r)
{
	r->set_cookie = g_strdup("xlited_token=; Path=/; HttpOnly; Secure; SameSite=Strict; "
				 "Max-Age=0");
	xlited_reply(r, 200, "application/json", "{}");
}

void xlited_www_session(struct xlited_req *r)
{
	reply_csrf(r);
}
