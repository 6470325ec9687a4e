/* The API's routes: one row per method and path, as the CLI's command
 * table; the server's dispatch and its 404/405 come from these rows. */
#include <string.h>

#include <glib.h>

#include "xlited/peers.h"
#include "xlited/www.h"
#include "xlited/xlited.h"

static const struct xlited_route routes[] = {
	{ "GET", "/api/v1/host", XLITED_ROUTE_WORKER, xlited_api_host, false },
	{ "GET", "/api/v1/domains", XLITED_ROUTE_WORKER, xlited_api_domains, false },
	{ "POST", "/api/v1/domains", XLITED_ROUTE_WORKER, xlited_api_create, true },
	{ "GET", "/api/v1/domains/*", XLITED_ROUTE_WORKER, xlited_api_domain, false },
	{ "POST", "/api/v1/domains/*/shutdown", XLITED_ROUTE_WORKER, xlited_api_shutdown, false },
	{ "POST", "/api/v1/domains/*/reboot", XLITED_ROUTE_WORKER, xlited_api_reboot, false },
	{ "POST", "/api/v1/domains/*/pause", XLITED_ROUTE_WORKER, xlited_api_pause, false },
	{ "POST", "/api/v1/domains/*/unpause", XLITED_ROUTE_WORKER, xlited_api_unpause, false },
	{ "POST", "/api/v1/domains/*/destroy", XLITED_ROUTE_WORKER, xlited_api_destroy, false },
	{ "PUT", "/api/v1/domains/*/memory", XLITED_ROUTE_WORKER, xlited_api_memory, true },
	{ "PUT", "/api/v1/domains/*/vcpus", XLITED_ROUTE_WORKER, xlited_api_vcpus, true },
	{ "GET", "/api/v1/events", XLITED_ROUTE_EVENTS, NULL, false },
	{ "GET", "/metrics", XLITED_ROUTE_WORKER, xlited_api_metrics, false },
	/* the web console's (www.c, api-web.c) */
	{ "GET", "/api/v1/history", XLITED_ROUTE_WORKER, xlited_api_history, false },
	{ "GET", "/api/v1/domains/*/history", XLITED_ROUTE_WORKER, xlited_api_dom_history, false },
	{ "GET", "/api/v1/domains/*/console", XLITED_ROUTE_WORKER, xlited_api_console, false },
	{ "GET", "/api/v1/session", XLITED_ROUTE_WORKER, xlited_www_session, false },
	{ "POST", "/login", XLITED_ROUTE_PUBLIC, xlited_www_login, true },
	{ "POST", "/logout", XLITED_ROUTE_PUBLIC, xlited_www_logout, false },
	{ "GET", "/api/v1/peers", XLITED_ROUTE_WORKER, xlited_api_peers, false },
	/* Defined domains and the balancer (issue 12). */
	{ "POST", "/api/v1/domains/define", XLITED_ROUTE_WORKER, xlited_api_define, true },
	{ "DELETE", "/api/v1/domains/*/definition", XLITED_ROUTE_WORKER, xlited_api_undefine,
	  false },
	{ "POST", "/api/v1/domains/*/start", XLITED_ROUTE_WORKER, xlited_api_start, false },
	{ "PUT", "/api/v1/domains/*/autostart", XLITED_ROUTE_WORKER, xlited_api_autostart, true },
	{ "GET", "/api/v1/balancer", XLITED_ROUTE_WORKER, xlited_api_balancer, false },
	/* Troubleshooting (issue 12). */
	{ "GET", "/api/v1/host/dmesg", XLITED_ROUTE_WORKER, xlited_api_dmesg, false },
	{ "GET", "/api/v1/domains/*/log", XLITED_ROUTE_WORKER, xlited_api_dom_log, false },
	{ "GET", "/api/v1/events/history", XLITED_ROUTE_WORKER, xlited_api_event_history, false },
};

/* PATH against PATTERN segment by segment; *arg gets what "*" matched
 * (a non-empty segment). */
static bool path_matches(const char *pattern, const char *path, char **arg)
{
	g_auto(GStrv) ps = g_strsplit(pattern, "/", -1);
	g_auto(GStrv) ss = g_strsplit(path, "/", -1);
	char *found = NULL;
	guint i;

	if (g_strv_length(ps) != g_strv_length(ss))
		return false;
	for (i = 0; ps[i]; i++) {
		if (strcmp(ps[i], "*") == 0) {
			if (!ss[i][0] || found)
				goto no;
			found = g_strdup(ss[i]);
		} else if (strcmp(ps[i], ss[i]) != 0) {
			goto no;
		}
	}
	*arg = found;
	return true;
no:
	g_free(found);
	return false;
}

const struct xlited_route *xlited_route_find(const char *method, const char *path, char **arg,
					     unsigned int *status, char **allow)
{
	GString *methods = g_string_new("");
	const struct xlited_route *hit = NULL;
	size_t i;

	/* /api/v1/peers/NAME/REST, any method: forwarded (peers.c) */
	static const struct xlited_route peer_proxy = { "*", "/api/v1/peers/...",
		XLITED_ROUTE_WORKER, xlited_api_peer_proxy, true };

	*arg = NULL;
	*allow = NULL;
	if (g_str_has_prefix(path, "/api/v1/peers/")) {
		g_string_free(methods, TRUE);
		return &peer_proxy;
	}
	for (i = 0; i < G_N_ELEMENTS(routes); i++) {
		char *a = NULL;

		if (!path_matches(routes[i].pattern, path, &a))
			continue;
		if (strcmp(routes[i].method, method) == 0 && !hit) {
			hit = &routes[i];
			*arg = a;
			continue;
		}
		g_free(a);
		g_string_append_printf(methods, "%s%s", methods->len ? ", " : "", routes[i].method);
	}
	if (hit) {
		g_string_free(methods, TRUE);
		return hit;
	}
	*status = methods->len ? 405 : 404;
	*allow = methods->len ? g_string_free(methods, FALSE) : (g_string_free(methods, TRUE), NULL);
	return NULL;
}
