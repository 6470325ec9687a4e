/* xlited's pure parts: the token comparison and the Authorization
 * header, the route table (404 and 405 with Allow), error replies,
 * events from two views of the domains, the metrics' format, and the
 * [daemon] section of xlite.conf. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/hv/hv.h"
#include "libtool/memory/memory.h"
#include "libtool/report/report.h"
#include "libtool/util/hostconf.h"
#include "xlited/www.h"
#include "xlited/xlited.h"

static void test_token_equal(void)
{
	const char *tok = "0123456789abcdef0123456789abcdef";

	g_assert_true(xlited_token_equal(tok, strlen(tok), tok));
	g_assert_false(xlited_token_equal("0123456789abcdef0123456789abcdeF", 32, tok));
	/* a prefix, a longer one, an empty one */
	g_assert_false(xlited_token_equal(tok, 31, tok));
	g_assert_false(xlited_token_equal("0123456789abcdef0123456789abcdef0", 33, tok));
	g_assert_false(xlited_token_equal("", 0, tok));
}

static void test_bearer_header(void)
{
	size_t len = 0;
	const char *p;

	p = xlited_bearer("Bearer abc", &len);
	g_assert_nonnull(p);
	g_assert_cmpuint(len, ==, 3);
	g_assert_cmpint(strncmp(p, "abc", len), ==, 0);
	p = xlited_bearer("bearer   abc  ", &len);
	g_assert_nonnull(p);
	g_assert_cmpuint(len, ==, 3);
	g_assert_null(xlited_bearer("Basic abc", &len));
	g_assert_null(xlited_bearer("Bearer ", &len));
	g_assert_null(xlited_bearer("Bearerabc", &len));
	g_assert_null(xlited_bearer(NULL, &len));
}

static void test_routes(void)
{
	const struct xlited_route *rt;
	unsigned int status = 0;
	char *arg = NULL, *allow = NULL;

	rt = xlited_route_find("GET", "/api/v1/domains", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_domains);
	g_assert_null(arg);
	rt = xlited_route_find("GET", "/api/v1/domains/web1", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_domain);
	g_assert_cmpstr(arg, ==, "web1");
	g_free(arg);
	rt = xlited_route_find("POST", "/api/v1/domains/web1/destroy", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_destroy);
	g_assert_cmpstr(arg, ==, "web1");
	g_free(arg);
	rt = xlited_route_find("PUT", "/api/v1/domains/7/memory", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_memory && rt->takes_body);
	g_free(arg);
	rt = xlited_route_find("GET", "/api/v1/events", &arg, &status, &allow);
	g_assert_true(rt && rt->kind == XLITED_ROUTE_EVENTS);
	/* the path exists, not with this method: 405 and what it takes */
	rt = xlited_route_find("DELETE", "/api/v1/domains", &arg, &status, &allow);
	g_assert_null(rt);
	g_assert_cmpuint(status, ==, 405);
	g_assert_cmpstr(allow, ==, "GET, POST");
	g_free(allow);
	rt = xlited_route_find("GET", "/api/v1/domains/web1/destroy", &arg, &status, &allow);
	g_assert_null(rt);
	g_assert_cmpuint(status, ==, 405);
	g_assert_cmpstr(allow, ==, "POST");
	g_free(allow);
	/* no such path, an empty name, a path below a name */
	g_assert_null(xlited_route_find("GET", "/api/v2/host", &arg, &status, &allow));
	g_assert_cmpuint(status, ==, 404);
	g_assert_null(allow);
	g_assert_null(xlited_route_find("GET", "/api/v1/domains/", &arg, &status, &allow));
	g_assert_cmpuint(status, ==, 404);
	g_assert_null(xlited_route_find("GET", "/api/v1/domains/a/b/c", &arg, &status, &allow));
	g_assert_cmpuint(status, ==, 404);
	g_assert_null(arg);
}

static void test_error_reply(void)
{
	struct xlited_req r = { .out = g_string_new("") };

	xlited_reply_error(&r, 400, "body:7: element \"memory\": \"x\" is not a number");
	g_assert_cmpuint(r.status, ==, 400);
	g_assert_cmpstr(r.content_type, ==, "application/json");
	g_assert_cmpstr(r.out->str, ==, "{\"error\":\"body:7: element \\\"memory\\\": \\\"x\\\" "
			"is not a number\",\"status\":400,\"line\":7}\n");
	xlited_reply_error(&r, 404, "domain 'x' does not exist");
	g_assert_cmpstr(r.out->str, ==, "{\"error\":\"domain 'x' does not exist\",\"status\":404}\n");
	g_assert_cmpuint(xlited_error_line("body:12: x"), ==, 12);
	g_assert_cmpuint(xlited_error_line("body: 12: x"), ==, 0);
	g_assert_cmpuint(xlited_error_line("no line"), ==, 0);
	g_assert_cmpuint(xlited_status_of(-ESRCH), ==, 404);
	g_assert_cmpuint(xlited_status_of(-EEXIST), ==, 409);
	g_assert_cmpuint(xlited_status_of(-EINVAL), ==, 400);
	g_assert_cmpuint(xlited_status_of(-EIO), ==, 500);
	g_string_free(r.out, TRUE);
}

static void add_dom(GHashTable *t, uint32_t domid, const char *name, const char *state,
		    bool shutdown)
{
	struct xlited_dom *d = g_new0(struct xlited_dom, 1);

	d->domid = domid;
	d->name = g_strdup(name);
	g_strlcpy(d->state, state, sizeof(d->state));
	d->shutdown = shutdown;
	g_hash_table_insert(t, GUINT_TO_POINTER(domid), d);
}

static GHashTable *doms_new(void)
{
	return g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, xlited_dom_free);
}

static void test_events_diff(void)
{
	GHashTable *old = doms_new(), *now = doms_new();
	GPtrArray *ev = g_ptr_array_new_with_free_func(g_free);

	add_dom(old, 0, "Domain-0", "r-----", false);
	add_dom(old, 3, "gone", "-b----", false);
	add_dom(old, 4, "web", "-b----", false);
	add_dom(old, 5, "db", "-b----", false);
	add_dom(now, 0, "Domain-0", "r-----", false);
	add_dom(now, 4, "web", "--ps--", true);
	add_dom(now, 5, "db", "--p---", false);
	add_dom(now, 6, "new", "-b----", false);
	xlited_events_diff(old, now, ev);
	g_assert_cmpuint(ev->len, ==, 5);
	g_assert_cmpstr(ev->pdata[0], ==, "{\"type\":\"shutdown\",\"name\":\"web\",\"domid\":4,"
			"\"state\":\"--ps--\",\"reason\":\"poweroff\"}");
	g_assert_cmpstr(ev->pdata[1], ==, "{\"type\":\"paused\",\"name\":\"web\",\"domid\":4,"
			"\"state\":\"--ps--\",\"reason\":\"poweroff\"}");
	g_assert_cmpstr(ev->pdata[2], ==, "{\"type\":\"paused\",\"name\":\"db\",\"domid\":5,"
			"\"state\":\"--p---\"}");
	g_assert_cmpstr(ev->pdata[3], ==, "{\"type\":\"created\",\"name\":\"new\",\"domid\":6,"
			"\"state\":\"-b----\"}");
	g_assert_cmpstr(ev->pdata[4], ==, "{\"type\":\"destroyed\",\"name\":\"gone\",\"domid\":3,"
			"\"state\":\"-b----\"}");
	g_ptr_array_set_size(ev, 0);
	/* the same view twice: nothing happened */
	xlited_events_diff(now, now, ev);
	g_assert_cmpuint(ev->len, ==, 0);
	g_ptr_array_free(ev, TRUE);
	g_hash_table_unref(old);
	g_hash_table_unref(now);
}

static void test_metrics_format(void)
{
	struct xlite_dominfo i0 = { .domid = 0, .cpu_time_ns = 1500000000, .vcpus_online = 1,
				    .tot_kib = 786432 };
	struct xlite_dominfo i1 = { .domid = 7, .cpu_time_ns = 2000000, .vcpus_online = 2 };
	struct xlite_mem_dom m1 = { .domid = 7, .min_kib = 1024, .target_kib = 2048,
				    .actual_kib = 2000, .max_kib = 4096 };
	struct xlite_io io1 = { .rd_req = 3, .wr_req = 4, .rd_sect = 8, .wr_sect = 2,
				.rx_bytes = 100, .tx_bytes = 200, .rx_packets = 1, .tx_packets = 2,
				.vbds = 1, .vifs = 1 };
	struct xlited_metric_dom d[] = { { &i0, "Domain-0", NULL, NULL },
					 { &i1, "we\"ird\\", &m1, &io1 } };
	GString *out = g_string_new("");
	g_autofree char *promtool = g_find_program_in_path("promtool");

	xlited_metrics_format(out, d, 2, 3ull << 30, 1ull << 30, 2);
	/* disk and network counters of the domains that have backends */
	g_assert_nonnull(strstr(out->str, "xlite_domain_disk_bytes_total{domain=\"we\\\"ird\\\\\","
				"domid=\"7\",op=\"read\"} 4096\n"));
	g_assert_nonnull(strstr(out->str, "xlite_domain_network_bytes_total{domain=\"we\\\"ird"
				"\\\\\",domid=\"7\",direction=\"sent\"} 100\n"));
	g_assert_null(strstr(out->str, "xlite_domain_disk_requests_total{domain=\"Domain-0\""));
	/* Prometheus' own linter, where it is installed (scripts/install-deps) */
	if (promtool) {
		g_autofree char *argv0 = g_strdup_printf("%s check metrics", promtool);
		g_autofree char *cmd = NULL;
		g_autofree char *tmp = NULL;
		g_autofree char *std_out = NULL;
		g_autofree char *std_err = NULL;
		int fd = g_file_open_tmp("xlited-metrics-XXXXXX", &tmp, NULL);
		int status = -1;

		g_assert_cmpint(fd, >=, 0);
		g_assert_true(g_file_set_contents(tmp, out->str, -1, NULL));
		close(fd);
		cmd = g_strdup_printf("sh -c '%s <\"$0\"' %s", argv0, tmp);
		g_assert_true(g_spawn_command_line_sync(cmd, &std_out, &std_err, &status, NULL));
		g_unlink(tmp);
		if (status != 0 || (std_err && std_err[0]))
			g_test_message("promtool: %s%s", std_out, std_err);
		g_assert_cmpint(status, ==, 0);
		g_assert_cmpstr(std_err, ==, "");
	}
	g_assert_nonnull(strstr(out->str, "# TYPE xlite_domain_cpu_seconds_total counter\n"
				"xlite_domain_cpu_seconds_total{domain=\"Domain-0\",domid=\"0\"} 1.500\n"
				"xlite_domain_cpu_seconds_total{domain=\"we\\\"ird\\\\\",domid=\"7\"} "
				"0.002\n"));
	g_assert_nonnull(strstr(out->str, "xlite_domain_memory_bytes{domain=\"Domain-0\","
				"domid=\"0\",kind=\"actual\"} 805306368\n"));
	g_assert_nonnull(strstr(out->str, "xlite_domain_memory_bytes{domain=\"we\\\"ird\\\\\","
				"domid=\"7\",kind=\"max\"} 4194304\n"));
	g_assert_nonnull(strstr(out->str, "xlite_host_memory_bytes{kind=\"total\"} 3221225472\n"));
	g_assert_true(g_str_has_suffix(out->str, "\n"));
	g_string_free(out, TRUE);
}

static char *write_conf(const char *text)
{
	g_autoptr(GError) gerr = NULL;
	char *path = NULL;
	int fd = g_file_open_tmp("xlited-conf-XXXXXX", &path, &gerr);

	g_assert_no_error(gerr);
	close(fd);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

/* TEXT is refused with a message holding WANT. */
static void conf_refused(struct xlite_hostconf *hc, const char *text, const char *want)
{
	char *err = NULL, *path = write_conf(text);

	g_assert_cmpint(xlite_hostconf_load(hc, path, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, want));
	g_free(err);
	g_unlink(path);
	g_free(path);
}

static void test_conf_daemon(void)
{
	struct xlite_hostconf hc;
	char *err = NULL, *path;

	xlite_hostconf_init(&hc);
	g_assert_cmpstr(hc.listen, ==, "127.0.0.1");
	g_assert_cmpuint(hc.port, ==, XLITE_HOSTCONF_PORT_DEFAULT);
	g_assert_true(g_str_has_suffix(hc.state_dir, "/lib/xlite"));
	path = write_conf("[daemon]\nlisten = ::1\nport = 9443\nstate-dir = /tmp/xl\n");
	g_assert_cmpint(xlite_hostconf_load(&hc, path, &err), ==, 0);
	g_assert_cmpstr(hc.listen, ==, "::1");
	g_assert_cmpuint(hc.port, ==, 9443);
	g_assert_cmpstr(hc.state_dir, ==, "/tmp/xl");
	g_unlink(path);
	g_free(path);

	conf_refused(&hc, "[daemon]\nport = 70000\n",
		     "[daemon] port: '70000' is not a port number");
	conf_refused(&hc, "[daemon]\nlisten = localhost\n",
		     "[daemon] listen: 'localhost' is not an IPv4 or IPv6 address");
	conf_refused(&hc, "[daemon]\nstate-dir = relative\n",
		     "[daemon] state-dir: 'relative' is not an absolute path");
	/* a refused file changes nothing */
	g_assert_cmpstr(hc.listen, ==, "::1");
}

/* Defined domains and the balancer: their rows, and a domain called
 * "define" still reachable by GET. */
static void test_routes_defined(void)
{
	const struct xlited_route *rt;
	unsigned int status = 0;
	char *arg = NULL, *allow = NULL;

	rt = xlited_route_find("POST", "/api/v1/domains/define", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_define && rt->takes_body);
	g_assert_null(arg);
	rt = xlited_route_find("GET", "/api/v1/domains/define", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_domain);
	g_assert_cmpstr(arg, ==, "define");
	g_free(arg);
	rt = xlited_route_find("DELETE", "/api/v1/domains/web1/definition", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_undefine);
	g_assert_cmpstr(arg, ==, "web1");
	g_free(arg);
	rt = xlited_route_find("POST", "/api/v1/domains/web1/start", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_start && !rt->takes_body);
	g_free(arg);
	rt = xlited_route_find("PUT", "/api/v1/domains/web1/autostart", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_autostart && rt->takes_body);
	g_free(arg);
	rt = xlited_route_find("GET", "/api/v1/balancer", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_balancer);
	rt = xlited_route_find("POST", "/api/v1/balancer", &arg, &status, &allow);
	g_assert_null(rt);
	g_assert_cmpuint(status, ==, 405);
	g_assert_cmpstr(allow, ==, "GET");
	g_free(allow);
}

/* [balancer]: off unless enabled; its interval is [memory]'s
 * balancer-interval under another name (one setting, what balance --watch
 * uses too). */
static void test_routes_troubleshooting(void)
{
	const struct xlited_route *rt;
	unsigned int status = 0;
	char *arg = NULL, *allow = NULL;

	rt = xlited_route_find("GET", "/api/v1/host/dmesg", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_dmesg && rt->kind == XLITED_ROUTE_WORKER);
	g_assert_false(rt->takes_body);
	g_assert_null(arg);
	/* reading the ring changes nothing: no other method, nothing public */
	g_assert_null(xlited_route_find("POST", "/api/v1/host/dmesg", &arg, &status, &allow));
	g_assert_cmpuint(status, ==, 405);
	g_assert_cmpstr(allow, ==, "GET");
	g_free(allow);
	rt = xlited_route_find("GET", "/api/v1/domains/web1/log", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_dom_log);
	g_assert_cmpstr(arg, ==, "web1");
	g_free(arg);
	arg = NULL;
	rt = xlited_route_find("GET", "/api/v1/events/history", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_event_history);
	/* the stream keeps its own route */
	rt = xlited_route_find("GET", "/api/v1/events", &arg, &status, &allow);
	g_assert_true(rt && rt->kind == XLITED_ROUTE_EVENTS);
}

static void test_event_log(void)
{
	struct xlited_event_log *log = xlited_event_log_new();
	g_autofree char *empty = xlited_event_log_json(log);
	g_autofree char *json = NULL;
	g_autoptr(JsonParser) p = json_parser_new();
	JsonArray *a;
	unsigned int i;

	g_assert_cmpstr(empty, ==, "[]\n");
	for (i = 1; i <= XLITED_EVENT_LOG + 5; i++) {
		g_autofree char *ev = g_strdup_printf("{\"type\":\"created\",\"domid\":%u}", i);

		xlited_event_log_add(log, i, 1000 + i, ev);
	}
	json = xlited_event_log_json(log);
	g_assert_true(json_parser_load_from_data(p, json, -1, NULL));
	a = json_node_get_array(json_parser_get_root(p));
	/* bounded: the oldest went first */
	g_assert_cmpuint(json_array_get_length(a), ==, XLITED_EVENT_LOG);
	g_assert_cmpint(json_object_get_int_member(json_array_get_object_element(a, 0), "id"),
			==, 6);
	g_assert_cmpint(json_object_get_int_member(json_array_get_object_element(a, 0), "time"),
			==, 1006);
	g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(
		json_array_get_object_element(a, XLITED_EVENT_LOG - 1), "event"), "domid"),
			==, XLITED_EVENT_LOG + 5);
	xlited_event_log_free(log);
}

static void test_conf_balancer(void)
{
	struct xlite_hostconf hc;
	char *err = NULL, *path;

	xlite_hostconf_init(&hc);
	g_assert_cmpuint(hc.balancer_enabled, ==, 0);
	g_assert_cmpuint(hc.balancer_interval, ==, 5);
	path = write_conf("[balancer]\nenabled = true\ninterval = 2\n");
	g_assert_cmpint(xlite_hostconf_load(&hc, path, &err), ==, 0);
	g_assert_cmpuint(hc.balancer_enabled, ==, 1);
	g_assert_cmpuint(hc.balancer_interval, ==, 2);
	g_unlink(path);
	g_free(path);
	path = write_conf("[balancer]\nenabled = no\n");
	g_assert_cmpint(xlite_hostconf_load(&hc, path, &err), ==, 0);
	g_assert_cmpuint(hc.balancer_enabled, ==, 0);
	g_unlink(path);
	g_free(path);
	conf_refused(&hc, "[balancer]\nenabled = maybe\n",
		     "[balancer] enabled: 'maybe' is not true or false");
	conf_refused(&hc, "[balancer]\ninterval = 0\n",
		     "[balancer] interval: '0' is not a number of seconds from 1 to 3600");
}

/* The credentials: made once (key and token 0600), the same on the next
 * start; a token others may read is refused. */
static void test_creds(void)
{
	g_autofree char *dir = g_dir_make_tmp("xlited-creds-XXXXXX", NULL);
	g_autofree char *state = g_build_filename(dir, "state", NULL);
	g_autofree char *tok_path = g_build_filename(state, XLITED_TOKEN_FILE, NULL);
	g_autofree char *key_path = g_build_filename(state, XLITED_KEY_FILE, NULL);
	g_autofree char *cert_path = g_build_filename(state, XLITED_CERT_FILE, NULL);
	g_autofree char *first = NULL;
	struct xlited d;
	GStatBuf st;
	char *err = NULL;

	memset(&d, 0, sizeof(d));
	xlite_hostconf_init(&d.conf);
	g_assert_cmpint(xlited_creds_load(&d, state, &err), ==, 0);
	g_assert_null(err);
	g_assert_cmpuint(strlen(d.token), ==, 64);
	g_assert_true(g_str_has_prefix(d.cert_pem, "-----BEGIN CERTIFICATE-----"));
	g_assert_cmpuint(strlen(d.fingerprint), ==, 32 * 3 - 1);
	g_assert_cmpint(g_stat(tok_path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	g_assert_cmpint(g_stat(key_path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	g_assert_cmpint(g_stat(state, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0700);
	first = g_strdup(d.token);
	xlited_creds_dispose(&d);
	g_assert_cmpint(xlited_creds_load(&d, state, &err), ==, 0);
	g_assert_cmpstr(d.token, ==, first);
	xlited_creds_dispose(&d);
	g_assert_cmpint(g_chmod(tok_path, 0644), ==, 0);
	g_assert_cmpint(xlited_creds_load(&d, state, &err), ==, -EPERM);
	g_assert_nonnull(strstr(err, "expected 0600"));
	g_free(err);
	xlited_creds_dispose(&d);
	g_unlink(tok_path);
	g_unlink(key_path);
	g_unlink(cert_path);
	g_rmdir(state);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/xlited/token/equal-only-when-identical", test_token_equal);
	g_test_add_func("/xlited/token/bearer-header", test_bearer_header);
	g_test_add_func("/xlited/route/table-404-405", test_routes);
	g_test_add_func("/xlited/route/defined-and-balancer", test_routes_defined);
	g_test_add_func("/xlited/route/troubleshooting-dmesg-log-history",
			test_routes_troubleshooting);
	g_test_add_func("/xlited/events/history-bounded-oldest-first", test_event_log);
	g_test_add_func("/xlited/reply/error-json-with-line", test_error_reply);
	g_test_add_func("/xlited/events/diff-of-two-views", test_events_diff);
	g_test_add_func("/xlited/metrics/text-format", test_metrics_format);
	g_test_add_func("/xlited/conf/daemon-section", test_conf_daemon);
	g_test_add_func("/xlited/conf/balancer-section", test_conf_balancer);
	g_test_add_func("/xlited/creds/made-once-0600", test_creds);
	return g_test_run();
}
