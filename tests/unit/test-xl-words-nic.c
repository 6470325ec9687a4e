/* What xl's vif words and libvirt's <interface type='ethernet'>, <target
 * dev>, <bandwidth>, <mtu> and <controller type='xenbus'> become: the
 * config, the plan's xenstore nodes, and a create on the fake hypervisor
 * (the vif renamed, routed, the limits given to Xen; nothing left after a
 * destroy or a failure at any step). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/domain.h"
#include "libtool/device/device.h"
#include "tests/unit/apply-fixture.h"
#include "tests/unit/hv-fake.h"

/* ---- xl's words ------------------------------------------------------ */

static void collect(const char *msg, void *opaque)
{
	g_ptr_array_add(opaque, g_strdup(msg));
}

static void test_vif_words_route_name_and_limit_a_vif(void)
{
	const char *words[] = { "script=/etc/xen/scripts/vif-route", "ip=10.0.0.1 fe80::1/64",
				"vifname=web0", "mtu=9000", "rate=10MB/s", "untrusted",
				"model=e1000" };
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	struct xlite_nic n;
	char *err = NULL;

	g_assert_cmpint(xlite_nic_spec_parse_warn(words, G_N_ELEMENTS(words), &n, collect,
						  warnings, &err), ==, 0);
	g_assert_true(n.routed);
	g_assert_null(n.bridge);
	g_assert_cmpuint(g_strv_length(n.ips), ==, 2);
	g_assert_cmpstr(n.ips[1], ==, "fe80::1/64");
	g_assert_cmpstr(n.ifname, ==, "web0");
	g_assert_cmpuint(n.mtu, ==, 9000);
	g_assert_cmpuint(n.rate_bytes, ==, 500000);	/* 10 MB/s over 50 ms */
	g_assert_cmpuint(n.rate_usecs, ==, 50000);
	g_assert_true(n.untrusted);
	g_assert_cmpuint(warnings->len, ==, 1);
	g_assert_nonnull(strstr(warnings->pdata[0], "model=e1000 ignored"));
	xlite_nic_dispose(&n);
}

static void test_bad_vif_words_say_what_is_wrong(void)
{
	static const struct {
		const char *a, *b, *why;
	} cases[] = {
		{ "script=vif-route", "bridge=br0", "a routed vif is on no bridge" },
		{ "script=vif-openvswitch", NULL, "xlite runs no hotplug script" },
		{ "ip=10.0.0.256", NULL, "ip '10.0.0.256' is not an IPv4 or IPv6 address" },
		{ "ip=10.0.0.1/33", NULL, "is not an IPv4 or IPv6 address" },
		{ "mtu=67", NULL, "mtu '67', expected a number from 68" },
		{ "vifname=a:b", NULL, "invalid vifname 'a:b'" },
		{ "gatewaydev=eth0", NULL, "'gatewaydev' is not supported" },
	};
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *words[2] = { cases[i].a, cases[i].b };
		struct xlite_nic n;
		char *err = NULL;

		g_test_message("%s %s", cases[i].a, cases[i].b ? cases[i].b : "");
		g_assert_cmpint(xlite_nic_spec_parse(words, cases[i].b ? 2 : 1, &n, &err), ==,
				-EINVAL);
		g_assert_nonnull(strstr(err, cases[i].why));
		g_assert_null(n.bridge);
		g_assert_null(n.ips);
		g_free(err);
	}
}

static void test_disk_words_discard_and_trust_and_emulated_names(void)
{
	const char *words[] = { "no-discard", "untrusted", "vdev=sdb", "target=/img/a" };
	struct xlite_disk d;
	bool given;
	char *err = NULL;

	g_assert_cmpint(xlite_disk_spec_parse(words, 4, &d, &given, &err), ==, 0);
	g_assert_true(d.no_discard);
	g_assert_true(d.untrusted);
	g_assert_cmpuint(d.vdev, ==, (8 << 8) | (1 << 4));	/* libxl's sdb */
	g_free(d.source);
	g_free(d.target);
}

/* ---- XML and plan ---------------------------------------------------- */

static const char domain_xml[] =
	"<domain type='xen'><name>eth</name><memory unit='MiB'>32</memory>\n"
	"<os><type>linux</type><kernel>/k</kernel></os>\n"
	"<features><xen><e820_host state='off'/><acpi/></xen></features>\n"
	"<devices>\n"
	"<controller type='xenbus' maxGrantFrames='64' maxEventChannels='2047'/>\n"
	"<interface type='ethernet'><mac address='00:16:3e:00:00:01'/>\n"
	"  <ip address='169.254.46.2' family='ipv4'/><ip address='fd00::2' prefix='128'/>\n"
	"  <script path='/etc/xen/scripts/vif-route'/><target dev='eth-web'/>\n"
	"  <mtu size='1400'/><bandwidth><outbound average='1000'/></bandwidth>\n"
	"</interface>\n"
	"</devices></domain>\n";

static int parse(struct xlite_config *cfg, const char *xml, GPtrArray *warnings)
{
	char *err = NULL;
	int rc = xlite_config_parse_memory(cfg, xml, strlen(xml), "eth.xml",
					   warnings ? collect : NULL, warnings, &err);

	if (rc < 0)
		g_test_message("%s", err);
	g_free(err);
	return rc;
}

/* CFG and PLAN (initialised here) of XML, its warnings into WARNINGS. */
static void plan_xml(const char *xml, GPtrArray *warnings, struct xlite_config *cfg,
		     struct xlite_plan *plan)
{
	char *err = NULL;

	xlite_config_init(cfg);
	xlite_plan_init(plan);
	g_assert_cmpint(parse(cfg, xml, warnings), ==, 0);
	g_assert_cmpint(xlite_plan_build(plan, cfg, &err), ==, 0);
}

static bool has_op(const struct xlite_xs_ops *ops, const char *suffix, const char *value)
{
	size_t i;

	for (i = 0; i < ops->n; i++)
		if (g_str_has_suffix(ops->ops[i].path, suffix) &&
		    g_strcmp0(ops->ops[i].value, value) == 0)
			return true;
	return false;
}

static void test_ethernet_interface_plans_a_routed_named_limited_vif(void)
{
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	struct xlite_config cfg;
	struct xlite_plan plan;
	const struct xlite_plan_nic *n;
	guint i;

	plan_xml(domain_xml, warnings, &cfg, &plan);
	g_assert_cmpuint(plan.max_grant_frames, ==, 64);
	g_assert_cmpuint(plan.max_event_channels, ==, 2047);
	n = &plan.nics[0];
	g_assert_true(n->nic.routed);
	g_assert_null(n->nic.bridge);
	g_assert_true(has_op(&n->nodes, "/0/ip", "169.254.46.2 fd00::2/128"));
	g_assert_true(has_op(&n->nodes, "/0/vifname", "eth-web"));
	g_assert_true(has_op(&n->nodes, "/0/mtu", "1400"));
	/* libvirt's mapping: 1000 KiB/s over 50 ms */
	g_assert_true(has_op(&n->nodes, "/0/rate", "51200,50000"));
	for (i = 0; i < n->nodes.n; i++)
		g_assert_false(g_str_has_suffix(n->nodes.ops[i].path, "/bridge"));
	/* what is not done is said, naming exactly that */
	for (i = 0; i < warnings->len; i++)
		g_test_message("warning: %s", (char *)warnings->pdata[i]);
	g_assert_cmpuint(warnings->len, ==, 1);
	g_assert_nonnull(strstr(warnings->pdata[0], "<features><xen><acpi> ignored"));
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
}

static void test_disk_discard_and_trust_reach_the_nodes(void)
{
	struct xlite_config cfg;
	struct xlite_plan plan;
	char *err = NULL;

	plan_xml(domain_xml, NULL, &cfg, &plan);
	cfg.disks = g_new0(struct xlite_disk, 1);
	cfg.n_disks = 1;
	cfg.disks[0].source = g_strdup("/img/a");
	cfg.disks[0].target = g_strdup("hdb");
	g_assert_cmpint(xlite_vdev_parse_xl("hdb", &cfg.disks[0].vdev), ==, 0);
	g_assert_cmpuint(cfg.disks[0].vdev, ==, (3 << 8) | (1 << 6));
	cfg.disks[0].no_discard = cfg.disks[0].untrusted = true;
	g_assert_cmpint(xlite_plan_build(&plan, &cfg, &err), ==, 0);
	g_assert_true(has_op(&plan.disks[0].nodes, "/832/discard-enable", "0"));
	g_assert_true(has_op(&plan.disks[0].nodes, "/832/trusted", "0"));
	g_assert_true(has_op(&plan.disks[0].nodes, "/832/dev", "hdb"));
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
}

static void test_libvirt_discard_ignore_is_no_discard(void)
{
	static const char xml[] =
		"<domain type='xen'><name>d</name><memory unit='MiB'>32</memory>\n"
		"<os><type>linux</type><kernel>/k</kernel></os><devices>\n"
		"<disk type='file'><driver name='qemu' type='raw' discard='ignore'/>\n"
		"<source file='/img/a'/><target dev='xvda'/></disk>\n"
		"<disk type='file'><driver discard='unmap'/>\n"
		"<source file='/img/b'/><target dev='xvdb'/></disk>\n"
		"</devices></domain>\n";
	struct xlite_config cfg;
	struct xlite_plan plan;

	plan_xml(xml, NULL, &cfg, &plan);
	g_assert_true(has_op(&plan.disks[0].nodes, "/51712/discard-enable", "0"));
	g_assert_false(has_op(&plan.disks[1].nodes, "/51728/discard-enable", "0"));
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
}

/* ---- create on the fake hypervisor ------------------------------------ */

struct fx {
	struct apply_host host;
};

static void fx_setup(struct fx *f, gconstpointer unused)
{
	(void)unused;
	apply_host_init(&f->host, "xlite-xw-XXXXXX");
	apply_host_plan(&f->host, domain_xml);
	f->host.opts.vif_timeout_ms = 100;
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	(void)unused;
	apply_host_dispose(&f->host);
}

static int create(struct fx *f, struct xlite_apply_result *res, char **err)
{
	return xlite_apply(&f->host.hv, &f->host.plan, &f->host.opts, res, err);
}

static void test_create_renames_and_routes_the_vif_and_destroy_leaves_nothing(struct fx *f,
									      gconstpointer u)
{
	struct xlite_hv_fake *fake = &f->host.fake;
	struct xlite_apply_result res;
	struct xlite_hv_fake_dom *d;
	GPtrArray *routed;
	char *err = NULL, vif[32];

	(void)u;
	xlite_apply_result_init(&res);
	g_assert_cmpint(create(f, &res, &err), ==, 0);
	d = xlite_hv_fake_dom(fake, res.domid);
	g_assert_cmpuint(d->max_grant_frames, ==, 64);
	g_assert_cmpuint(d->max_evtchn_port, ==, 2047);
	snprintf(vif, sizeof(vif), "vif%u.0", res.domid);
	g_assert_cmpstr(g_hash_table_lookup(fake->renamed, "eth-web"), ==, vif);
	routed = g_hash_table_lookup(fake->bridges, XLITE_HV_FAKE_ROUTED);
	g_assert_nonnull(routed);
	g_assert_cmpuint(routed->len, ==, 1);
	g_assert_cmpstr(routed->pdata[0], ==, "eth-web");
	g_assert_cmpuint(fake->routes->len, ==, 2);
	g_assert_cmpstr(fake->routes->pdata[0], ==, "eth-web 169.254.46.2");
	g_assert_cmpstr(fake->routes->pdata[1], ==, "eth-web fd00::2/128");
	g_assert_cmpint(xlite_domain_destroy(&f->host.hv, res.domid, &err), ==, 0);
	assert_nothing_left(&f->host);
	xlite_apply_result_dispose(&res);
}

static void test_a_taken_vif_name_fails_the_create_before_the_build(struct fx *f,
								    gconstpointer u)
{
	struct xlite_hv_fake *fake = &f->host.fake;
	struct xlite_apply_result res;
	char *err = NULL;
	guint i;

	(void)u;
	g_ptr_array_add(g_hash_table_lookup(fake->bridges, "xenbr0"), g_strdup("eth-web"));
	xlite_apply_result_init(&res);
	g_assert_cmpint(create(f, &res, &err), <, 0);
	g_test_message("%s", err);
	g_assert_nonnull(strstr(err, "vifname eth-web: dom0 has an interface of that name"));
	for (i = 0; i < fake->log->len; i++)	/* found before the build */
		g_assert_cmpstr(fake->log->pdata[i], !=, "build_pv");
	g_ptr_array_set_size(g_hash_table_lookup(fake->bridges, "xenbr0"), 0);
	assert_nothing_left(&f->host);
	g_free(err);
	xlite_apply_result_dispose(&res);
}

static void test_failure_at_every_step_leaves_nothing(void)
{
	unsigned long n, failed;

	failed = apply_fail_each_step(domain_xml, "xlite-xw-XXXXXX", 100, &n);
	g_assert_cmpuint(failed, >=, n / 2);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/xl-words/nic/vif-words-route-name-and-limit-a-vif",
			test_vif_words_route_name_and_limit_a_vif);
	g_test_add_func("/xl-words/nic/bad-vif-words-say-what-is-wrong",
			test_bad_vif_words_say_what_is_wrong);
	g_test_add_func("/xl-words/nic/disk-words-discard-and-trust-and-emulated-names",
			test_disk_words_discard_and_trust_and_emulated_names);
	g_test_add_func("/xl-words/nic/ethernet-interface-plans-a-routed-named-limited-vif",
			test_ethernet_interface_plans_a_routed_named_limited_vif);
	g_test_add_func("/xl-words/nic/disk-discard-and-trust-reach-the-nodes",
			test_disk_discard_and_trust_reach_the_nodes);
	g_test_add_func("/xl-words/nic/libvirt-discard-ignore-is-no-discard",
			test_libvirt_discard_ignore_is_no_discard);
#define ADD(name, fn) g_test_add("/xl-words/nic/" name, struct fx, NULL, fx_setup, fn, \
				 fx_teardown)
	ADD("create-renames-and-routes-the-vif-and-destroy-leaves-nothing",
	    test_create_renames_and_routes_the_vif_and_destroy_leaves_nothing);
	ADD("a-taken-vif-name-fails-the-create-before-the-build",
	    test_a_taken_vif_name_fails_the_create_before_the_build);
#undef ADD
	g_test_add_func("/xl-words/nic/failure-at-every-step-leaves-nothing",
			test_failure_at_every_step_leaves_nothing);
	return g_test_run();
}
