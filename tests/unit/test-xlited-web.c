/* xlited's sampler and web console, their pure parts: the history ring,
 * the rate maths, blkback/netback counters read from a sysfs tree, the
 * history's memory bound, the static files' names and types (no path
 * leaves the www directory), the CSRF value, the new routes, and the
 * [daemon] sample-interval and www-dir settings. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/util/hostconf.h"
#include "libtool/util/json.h"
#include "xlited/peers.h"
#include "xlited/sample.h"
#include "xlited/www.h"
#include "xlited/xlited.h"

static void test_ring_keeps_the_newest(void)
{
	struct xlited_ring r;
	int v, i;

	xlited_ring_init(&r, sizeof(int), 3);
	g_assert_null(xlited_ring_at(&r, 0));
	for (v = 1; v <= 2; v++)
		xlited_ring_push(&r, &v);
	g_assert_cmpuint(r.len, ==, 2);
	g_assert_cmpint(*(const int *)xlited_ring_at(&r, 0), ==, 1);
	g_assert_cmpint(*(const int *)xlited_ring_at(&r, 1), ==, 2);
	g_assert_null(xlited_ring_at(&r, 2));
	/* full: the oldest goes, the order stays oldest first */
	for (v = 3; v <= 7; v++)
		xlited_ring_push(&r, &v);
	g_assert_cmpuint(r.len, ==, 3);
	for (i = 0; i < 3; i++)
		g_assert_cmpint(*(const int *)xlited_ring_at(&r, (size_t)i), ==, 5 + i);
	g_assert_null(xlited_ring_at(&r, 3));
	xlited_ring_dispose(&r);
}

static void test_rates(void)
{
	struct xlite_io prev = { .rd_req = 10, .wr_req = 0, .rd_sect = 100, .wr_sect = 8,
				  .rx_bytes = 1000, .tx_bytes = 5000 };
	struct xlite_io now = { .rd_req = 30, .wr_req = 5, .rd_sect = 2148, .wr_sect = 8,
				 .rx_bytes = 11000, .tx_bytes = 4000 };
	struct xlited_dom_sample s = { 0 };

	g_assert_cmpfloat(xlite_rate(100, 300, 2.0), ==, 100.0);
	g_assert_cmpfloat(xlite_rate(5, 5, 5.0), ==, 0.0);
	/* a counter that went back (device replaced) or no time: unknown */
	g_assert_cmpfloat(xlite_rate(300, 100, 2.0), ==, -1);
	g_assert_cmpfloat(xlite_rate(1, 2, 0.0), ==, -1);
	g_assert_cmpfloat(xlite_rate(1, 2, -1.0), ==, -1);
	/* 2.5 s of CPU in 5 s: half a CPU; 10 s in 5 s: two busy vCPUs */
	g_assert_cmpfloat_with_epsilon(xlite_cpu_pct(0, 2500000000ull, 5.0), 50.0, 1e-9);
	g_assert_cmpfloat_with_epsilon(xlite_cpu_pct(1000000000ull, 11000000000ull, 5.0),
				       200.0, 1e-9);
	g_assert_cmpfloat(xlite_cpu_pct(2, 1, 5.0), ==, -1);
	xlited_dom_rates(&s, 0, 1000000000ull, &prev, &now, 2.0);
	g_assert_cmpfloat_with_epsilon(s.cpu_pct, 50.0, 1e-9);
	g_assert_cmpfloat(s.rd_bps, ==, 2048.0 * 512 / 2);	/* sectors are 512 bytes */
	g_assert_cmpfloat(s.wr_bps, ==, 0.0);
	g_assert_cmpfloat(s.rd_iops, ==, 10.0);
	g_assert_cmpfloat(s.wr_iops, ==, 2.5);
	g_assert_cmpfloat(s.rx_bps, ==, 5000.0);
	g_assert_cmpfloat(s.tx_bps, ==, -1);	/* went back */
	/* the first round of a domain: nothing to compare with */
	xlited_dom_rates(&s, 0, 1000000000ull, &prev, &now, 0);
	g_assert_cmpfloat(s.cpu_pct, ==, -1);
	g_assert_cmpfloat(s.rd_bps, ==, -1);
}

static void test_sample_json(void)
{
	struct xlited_dom_sample s = { .t_ms = 1700000000123, .cpu_pct = 12.3456, .min_kib = 1,
				       .target_kib = 2, .actual_kib = 3, .max_kib = 4,
				       .demand_kib = -1, .vcpus = 2, .state = "-b----",
				       .rd_bps = -1, .wr_bps = 0, .rd_iops = 1, .wr_iops = 2,
				       .rx_bps = 3, .tx_bps = 4 };
	g_autoptr(XliteJson) b = xlite_json_new();
	g_autofree char *doc = NULL;

	xlite_json_begin_object(b);
	xlited_dom_sample_json(b, &s);
	xlite_json_end_object(b);
	doc = xlite_json_to_string(b, false);
	g_assert_nonnull(strstr(doc, "\"t\":1700000000123"));
	g_assert_nonnull(strstr(doc, "\"cpu_pct\":12.35"));
	g_assert_nonnull(strstr(doc, "\"demand_kib\":null"));
	g_assert_nonnull(strstr(doc, "\"disk_read_bps\":null"));
	g_assert_nonnull(strstr(doc, "\"state\":\"-b----\""));
	/* the guest's view: what its vif received (rx) the guest sent */
	g_assert_nonnull(strstr(doc, "\"net_tx_bps\":3"));
	g_assert_nonnull(strstr(doc, "\"net_rx_bps\":4"));
}

static void test_history_bound(void)
{
	/* an hour every 5 s and the current record */
	g_assert_cmpuint(xlited_history_len(5), ==, 721);
	g_assert_cmpuint(xlited_history_len(1), ==, 3601);
	g_assert_cmpuint(xlited_history_len(3600), ==, 2);
	g_assert_cmpuint(xlited_history_bytes(5), ==,
			 721 * sizeof(struct xlited_host_sample) +
			 (size_t)XLITED_HISTORY_MAX_DOMS * 721 * sizeof(struct xlited_dom_sample));
	/* what the manual says: under 24 MiB at the default interval */
	g_assert_cmpuint(xlited_history_bytes(5), <, 24u << 20);
}

static void put(const char *dir, const char *name, const char *value)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);

	g_assert_true(g_file_set_contents(path, value, -1, NULL));
}

static char *mkstat(const char *root, const char *fmt, const char *dev)
{
	char *dir = g_strdup_printf(fmt, root, dev);

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	return dir;
}

static void test_io_from_sysfs(void)
{
	g_autofree char *root = g_dir_make_tmp("xlited-io-XXXXXX", NULL);
	const char *vbd = "%s/sys/bus/xen-backend/devices/%s/statistics";
	const char *net = "%s/sys/class/net/%s/statistics";
	g_autofree char *a = mkstat(root, vbd, "vbd-7-51712");
	g_autofree char *b = mkstat(root, vbd, "vbd-7-51728");
	g_autofree char *other = mkstat(root, vbd, "vbd-70-51712");
	g_autofree char *v0 = mkstat(root, net, "vif7.0");
	g_autofree char *v1 = mkstat(root, net, "vif7.1");
	g_autofree char *vo = mkstat(root, net, "vif77.0");
	g_autofree char *cmd = NULL;
	struct xlite_io io;

	put(a, "rd_req", "10\n");
	put(a, "wr_req", "3\n");
	put(a, "rd_sect", "80\n");
	put(a, "wr_sect", "24\n");
	put(b, "rd_req", "1\n");
	put(b, "rd_sect", "8\n");
	put(b, "wr_sect", "garbage\n");	/* counts 0 */
	put(other, "rd_req", "1000\n");	/* domain 70's: not 7's */
	put(v0, "rx_bytes", "100\n");
	put(v0, "tx_bytes", "200\n");
	put(v1, "rx_bytes", "1\n");
	put(vo, "rx_bytes", "999999\n");	/* domain 77's */
	xlite_io_read(root, 7, &io);
	g_assert_cmpuint(io.vbds, ==, 2);
	g_assert_cmpuint(io.vifs, ==, 2);
	g_assert_cmpuint(io.rd_req, ==, 11);
	g_assert_cmpuint(io.wr_req, ==, 3);
	g_assert_cmpuint(io.rd_sect, ==, 88);
	g_assert_cmpuint(io.wr_sect, ==, 24);
	g_assert_cmpuint(io.rx_bytes, ==, 101);
	g_assert_cmpuint(io.tx_bytes, ==, 200);
	/* a domain with none, and no sysfs at all: zeros */
	xlite_io_read(root, 8, &io);
	g_assert_cmpuint(io.vbds + io.vifs + io.rd_req + io.rx_bytes, ==, 0);
	xlite_io_read("/nonexistent-xlited", 7, &io);
	g_assert_cmpuint(io.vbds + io.vifs, ==, 0);
	cmd = g_strdup_printf("rm -rf '%s'", root);
	g_assert_cmpint(system(cmd), ==, 0);
}

static void test_www_names(void)
{
	static const char *const refused[] = {
		"/../etc/passwd", "/vendor/../../etc/passwd", "/..", "/.", "/.hidden",
		"/vendor/.git/config", "//etc/passwd", "/a//b", "/index.html/", "/%2e%2e/x",
		"/a\\b", "/a b", "relative", "", "/a/b/c/d/e/f/g/h/i.js",
	};
	size_t i;
	char *f;

	f = xlited_www_file("/srv/www", "/");
	g_assert_cmpstr(f, ==, "/srv/www/index.html");
	g_free(f);
	f = xlited_www_file("/srv/www", "/vendor/uplot/uPlot.iife.min.js");
	g_assert_cmpstr(f, ==, "/srv/www/vendor/uplot/uPlot.iife.min.js");
	g_free(f);
	for (i = 0; i < G_N_ELEMENTS(refused); i++) {
		f = xlited_www_file("/srv/www", refused[i]);
		if (f)
			g_error("'%s' maps to %s", refused[i], f);
	}
	g_assert_null(xlited_www_file("/srv/www", NULL));
}

static void test_www_types(void)
{
	g_assert_cmpstr(xlited_www_type("/w/index.html"), ==, "text/html; charset=utf-8");
	g_assert_cmpstr(xlited_www_type("/w/app.js"), ==, "text/javascript; charset=utf-8");
	g_assert_cmpstr(xlited_www_type("/w/vendor/uplot/uPlot.min.css"), ==,
			"text/css; charset=utf-8");
	g_assert_cmpstr(xlited_www_type("/w/vendor/uplot/LICENSE"), ==,
			"text/plain; charset=utf-8");
	/* what has no known type is not served */
	g_assert_null(xlited_www_type("/w/core"));
	g_assert_null(xlited_www_type("/w/app.js.orig"));
}

static void test_www_static_or_api(void)
{
	g_assert_true(xlited_www_is_static("GET", "/"));
	g_assert_true(xlited_www_is_static("GET", "/app.js"));
	g_assert_true(xlited_www_is_static("HEAD", "/style.css"));
	g_assert_false(xlited_www_is_static("GET", "/api/v1/domains"));
	g_assert_false(xlited_www_is_static("GET", "/api"));
	g_assert_false(xlited_www_is_static("GET", "/metrics"));
	g_assert_false(xlited_www_is_static("POST", "/login"));
}

static void test_csrf(void)
{
	g_autofree char *a = xlited_csrf("0123456789abcdef");
	g_autofree char *b = xlited_csrf("0123456789abcdef");
	g_autofree char *c = xlited_csrf("0123456789abcdeF");

	g_assert_cmpuint(strlen(a), ==, 64);
	g_assert_cmpstr(a, ==, b);
	g_assert_cmpstr(a, !=, c);
	/* not the token itself */
	g_assert_null(strstr(a, "0123456789abcdef"));
}

static void test_routes(void)
{
	const struct xlited_route *rt;
	unsigned int status = 0;
	char *arg = NULL, *allow = NULL;

	rt = xlited_route_find("GET", "/api/v1/history", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_history);
	rt = xlited_route_find("GET", "/api/v1/domains/web1/history", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_dom_history);
	g_assert_cmpstr(arg, ==, "web1");
	g_free(arg);
	rt = xlited_route_find("GET", "/api/v1/domains/web1/console", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_console);
	g_free(arg);
	/* only the login and logout go without a token */
	rt = xlited_route_find("POST", "/login", &arg, &status, &allow);
	g_assert_true(rt && rt->kind == XLITED_ROUTE_PUBLIC && rt->takes_body);
	rt = xlited_route_find("GET", "/api/v1/session", &arg, &status, &allow);
	g_assert_true(rt && rt->kind == XLITED_ROUTE_WORKER);
	rt = xlited_route_find("POST", "/api/v1/history", &arg, &status, &allow);
	g_assert_null(rt);
	g_assert_cmpuint(status, ==, 405);
	g_free(allow);
}

static void test_conf(void)
{
	g_autofree char *dir = g_dir_make_tmp("xlited-conf-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "xlite.conf", NULL);
	struct xlite_hostconf hc;
	char *err = NULL;

	xlite_hostconf_init(&hc);
	g_assert_cmpuint(hc.sample_interval, ==, 5);
	g_assert_cmpstr(hc.www_dir, ==, "");
	put(dir, "xlite.conf", "[daemon]\nsample-interval=2\nwww-dir=/opt/www\n");
	g_assert_cmpint(xlite_hostconf_load(&hc, file, &err), ==, 0);
	g_assert_cmpuint(hc.sample_interval, ==, 2);
	g_assert_cmpstr(hc.www_dir, ==, "/opt/www");
	put(dir, "xlite.conf", "[daemon]\nsample-interval=0\n");
	g_assert_cmpint(xlite_hostconf_load(&hc, file, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "[daemon] sample-interval: '0' is not a number of seconds"));
	g_free(err);
	err = NULL;
	put(dir, "xlite.conf", "[daemon]\nwww-dir=www\n");
	g_assert_cmpint(xlite_hostconf_load(&hc, file, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "www-dir: 'www' is not an absolute path"));
	g_free(err);
	g_assert_cmpuint(hc.sample_interval, ==, 2);	/* unchanged by a bad file */
	g_unlink(file);
	g_rmdir(dir);
}

static void test_peer_parse(void)
{
	const char *fp = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
			 "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
	g_autofree char *v = g_strdup_printf("https://192.0.2.7:9443  tok123 %s", fp);
	g_autofree char *v2 = g_strdup_printf("https://h2.example tok %s", "abcdef0123456789"
					      "abcdef0123456789abcdef0123456789abcdef0123456789");
	struct xlited_peer *p = NULL;
	char *err = NULL;

	g_assert_cmpint(xlited_peer_parse("h1", v, &p, &err), ==, 0);
	g_assert_cmpstr(p->host, ==, "192.0.2.7");
	g_assert_cmpuint(p->port, ==, 9443);
	g_assert_cmpstr(p->token, ==, "tok123");
	g_assert_cmpstr(p->fingerprint, ==,
			"ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789");
	xlited_peer_free(p);
	g_assert_cmpint(xlited_peer_parse("h2", v2, &p, &err), ==, 0);
	g_assert_cmpuint(p->port, ==, 443);
	g_assert_cmpstr(p->fingerprint, ==,
			"ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789");
	xlited_peer_free(p);
	/* plain HTTP, a path, a short fingerprint, a word missing, a bad name */
	g_assert_cmpint(xlited_peer_parse("h", "http://h tok AB", &p, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "is not https://HOST[:PORT]"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlited_peer_parse("h", "https://h/x tok AB", &p, &err), ==, -EINVAL);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlited_peer_parse("h", "https://h tok AB:CD", &p, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "not a SHA-256 fingerprint"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlited_peer_parse("h", "https://h tok", &p, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "expected URL TOKEN FINGERPRINT"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlited_peer_parse("a/b", v, &p, &err), ==, -EINVAL);
	g_clear_pointer(&err, g_free);
}

static void test_peer_route(void)
{
	const struct xlited_route *rt;
	unsigned int status = 0;
	char *arg = NULL, *allow = NULL;

	rt = xlited_route_find("POST", "/api/v1/peers/h2/domains/web/pause", &arg, &status,
			       &allow);
	g_assert_true(rt && rt->fn == xlited_api_peer_proxy && rt->takes_body);
	rt = xlited_route_find("GET", "/api/v1/peers", &arg, &status, &allow);
	g_assert_true(rt && rt->fn == xlited_api_peers);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/xlited-web/ring/keeps-the-newest-in-order", test_ring_keeps_the_newest);
	g_test_add_func("/xlited-web/rate/deltas-per-second-unknown-when-back", test_rates);
	g_test_add_func("/xlited-web/sample/json", test_sample_json);
	g_test_add_func("/xlited-web/history/memory-bound", test_history_bound);
	g_test_add_func("/xlited-web/io/blkback-and-vif-counters-of-one-domain",
			test_io_from_sysfs);
	g_test_add_func("/xlited-web/www/no-path-leaves-the-directory", test_www_names);
	g_test_add_func("/xlited-web/www/content-types", test_www_types);
	g_test_add_func("/xlited-web/www/static-or-api", test_www_static_or_api);
	g_test_add_func("/xlited-web/www/csrf-from-token", test_csrf);
	g_test_add_func("/xlited-web/route/console-rows", test_routes);
	g_test_add_func("/xlited-web/conf/sample-interval-www-dir", test_conf);
	g_test_add_func("/xlited-web/peers/parse-url-token-fingerprint", test_peer_parse);
	g_test_add_func("/xlited-web/peers/proxy-route", test_peer_route);
	return g_test_run();
}
