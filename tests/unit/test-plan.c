/* The planner: pure function from config to plan, and its placeholders. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/util/mac.h"
#include "libtool/plan/plan.h"
#include "tests/unit/test-parse-helpers.h"

static void plan_from_xml(struct xlite_plan *plan, const char *xml)
{
	struct xlite_config cfg;
	char *err = NULL;

	xlite_config_init(&cfg);
	if (parse_text(&cfg, xml, NULL, &err) < 0)
		g_error("%s", err);
	xlite_plan_init(plan);
	if (xlite_plan_build(plan, &cfg, &err) < 0)
		g_error("%s", err);
	xlite_config_dispose(&cfg);
}

static const struct xlite_xs_op *find_op(const struct xlite_xs_ops *ops, const char *path,
					 size_t *index)
{
	size_t i;

	for (i = 0; i < ops->n; i++) {
		if (strcmp(ops->ops[i].path, path) == 0) {
			if (index)
				*index = i;
			return &ops->ops[i];
		}
	}
	return NULL;
}

/* A device's nodes start with its frontend directory (the guest's), then
 * its backend directory (dom0's, which the guest may only read). */
static void assert_device_dirs(const struct xlite_xs_ops *ops, const char *frontend,
			       const char *backend)
{
	size_t fe = 0, be = 0;

	g_assert_nonnull(find_op(ops, frontend, &fe));
	g_assert_nonnull(find_op(ops, backend, &be));
	g_assert_cmpuint(fe, ==, 0);
	g_assert_cmpuint(be, >, fe);
	g_assert_cmpstr(ops->ops[fe].perms, ==, "n${domid},r0");
	g_assert_cmpstr(ops->ops[be].perms, ==, "n0,r${domid}");
}

static const char *value_at(const struct xlite_xs_ops *ops, const char *path)
{
	const struct xlite_xs_op *op = find_op(ops, path, NULL);

	g_assert_nonnull(op);
	g_assert_cmpint(op->kind, ==, XLITE_XS_WRITE);
	return op->value;
}

static const char *perms_at(const struct xlite_xs_ops *ops, const char *path)
{
	const struct xlite_xs_op *op = find_op(ops, path, NULL);

	g_assert_nonnull(op);
	g_assert_cmpint(op->kind, ==, XLITE_XS_MKDIR);
	return op->perms;
}

static void test_memory_in_pages_and_mib(void)
{
	g_autofree char *xml = domain_xml("  <currentMemory unit='KiB'>40000</currentMemory>\n"
					  "  <memtune><min_guarantee>1</min_guarantee></memtune>\n", NULL);
	struct xlite_plan plan;

	plan_from_xml(&plan, xml);
	g_assert_cmpuint(plan.memory_kib, ==, 65536);
	g_assert_cmpuint(plan.max_pages, ==, 16384);
	g_assert_cmpuint(plan.current_kib, ==, 40960);	/* 40000 KiB rounded up to 40 MiB */
	g_assert_cmpuint(plan.target_pages, ==, 10240);
	g_assert_cmpuint(plan.min_kib, ==, 1024);
	g_assert_cmpuint(plan.maxmem_kib, ==, 65536 + 1024);
	g_assert_cmpstr(value_at(&plan.domain_nodes, "/local/domain/${domid}/memory/static-max"), ==, "65536");
	g_assert_cmpstr(value_at(&plan.domain_nodes, "/local/domain/${domid}/memory/target"), ==, "40960");
	g_assert_cmpstr(value_at(&plan.domain_nodes, "/local/domain/${domid}/xlite/memory-min"), ==, "1024");
	g_assert_true(plan.min_given);
	xlite_plan_dispose(&plan);
}

static void test_vcpus_beyond_current_start_offline(void)
{
	g_autofree char *xml = domain_xml("  <vcpu current='2'>4</vcpu>\n", NULL);
	struct xlite_plan plan;

	plan_from_xml(&plan, xml);
	g_assert_cmpuint(plan.max_vcpus, ==, 4);
	g_assert_cmpuint(plan.cur_vcpus, ==, 2);
	g_assert_cmpstr(value_at(&plan.domain_nodes, "/local/domain/${domid}/cpu/0/availability"), ==, "online");
	g_assert_cmpstr(value_at(&plan.domain_nodes, "/local/domain/${domid}/cpu/1/availability"), ==, "online");
	g_assert_cmpstr(value_at(&plan.domain_nodes, "/local/domain/${domid}/cpu/2/availability"), ==, "offline");
	g_assert_cmpstr(value_at(&plan.domain_nodes, "/local/domain/${domid}/cpu/3/availability"), ==, "offline");
	g_assert_null(find_op(&plan.domain_nodes, "/local/domain/${domid}/cpu/4/availability", NULL));
	xlite_plan_dispose(&plan);
}

static void test_guest_writes_only_where_it_must(void)
{
	g_autofree char *xml = domain_xml(NULL, NULL);
	const struct xlite_xs_ops *ops;
	struct xlite_plan plan;
	size_t i = 0, mkdirs = 0;

	plan_from_xml(&plan, xml);
	ops = &plan.domain_nodes;
	/* the domain's own directory first: owned by dom0, readable by the guest */
	g_assert_cmpint(ops->ops[0].kind, ==, XLITE_XS_MKDIR);
	g_assert_cmpstr(ops->ops[0].path, ==, "/local/domain/${domid}");
	g_assert_cmpstr(ops->ops[0].perms, ==, "n0,r${domid}");
	g_assert_cmpstr(perms_at(ops, "/local/domain/${domid}/control"), ==, "n${domid}");
	g_assert_cmpstr(perms_at(ops, "/local/domain/${domid}/data"), ==, "n${domid}");
	g_assert_cmpstr(perms_at(ops, "/local/domain/${domid}/error"), ==, "n${domid}");
	g_assert_cmpstr(perms_at(ops, "/vm/${uuid}"), ==, "n0,r${domid}");
	/* device/ is made without permissions of its own: it inherits
	 * n0,r${domid}, so the guest cannot write there (its frontends get
	 * their own directories under it) */
	g_assert_nonnull(find_op(ops, "/local/domain/${domid}/device", &i));
	g_assert_cmpint(ops->ops[i].kind, ==, XLITE_XS_MKDIR);
	g_assert_null(ops->ops[i].perms);
	for (i = 0; i < ops->n; i++)
		mkdirs += ops->ops[i].kind == XLITE_XS_MKDIR && ops->ops[i].perms;
	g_assert_cmpuint(mkdirs, ==, 5);	/* nothing else is guest-writable */
	/* a directory is made before anything is written under it */
	for (i = 0; i < ops->n; i++) {
		const char *p = ops->ops[i].path;
		size_t j, dir = 0;

		if (g_str_has_prefix(p, "/vm/"))
			g_assert_nonnull(find_op(ops, "/vm/${uuid}", &dir));
		else
			g_assert_nonnull(find_op(ops, "/local/domain/${domid}", &dir));
		g_assert_cmpuint(dir, <=, i);
		for (j = i + 1; j < ops->n; j++)
			if (ops->ops[j].kind == XLITE_XS_MKDIR)
				g_assert_false(g_str_has_prefix(p, ops->ops[j].path) &&
					       p[strlen(ops->ops[j].path)] == '/');
	}
	xlite_plan_dispose(&plan);
}

static void test_nodes_xenconsoled_and_linux_read(void)
{
	g_autofree char *xml = domain_xml(NULL, NULL);
	const struct xlite_xs_ops *ops;
	struct xlite_plan plan;

	plan_from_xml(&plan, xml);
	ops = &plan.domain_nodes;
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/name"), ==, "t1");
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/domid"), ==, "${domid}");
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/vm"), ==, "/vm/${uuid}");
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/console/ring-ref"), ==, "${console.mfn}");
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/console/port"), ==, "${console.port}");
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/console/type"), ==, "xenconsoled");
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/console/limit"), ==, "1048576");
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/console/output"), ==, "pty");
	g_assert_null(find_op(ops, "/local/domain/${domid}/console/tty", NULL));	/* xenconsoled's */
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/store/ring-ref"), ==, "${store.mfn}");
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/store/port"), ==, "${store.port}");
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/control/platform-feature-multiprocessor-suspend"), ==, "1");
	g_assert_cmpstr(value_at(ops, "/vm/${uuid}/name"), ==, "t1");
	g_assert_cmpstr(value_at(ops, "/vm/${uuid}/uuid"), ==, "${uuid}");
	g_assert_cmpstr(value_at(ops, "/vm/${uuid}/image/ostype"), ==, "linux");
	g_assert_nonnull(value_at(ops, "/vm/${uuid}/image/kernel"));
	g_assert_cmpstr(value_at(ops, "/vm/${uuid}/on_reboot"), ==, "restart");
	/* No <min_guarantee>: the minimum is the boot target (never squeezed). */
	g_assert_false(plan.min_given);
	g_assert_cmpuint(plan.min_kib, ==, plan.current_kib);
	g_assert_cmpstr(value_at(ops, "/local/domain/${domid}/xlite/memory-min"), ==,
			value_at(ops, "/local/domain/${domid}/memory/target"));
	xlite_plan_dispose(&plan);
}

/* The whole create stays under 40 xenstore requests: the plan's, plus
 * TRANSACTION_START, TRANSACTION_END and INTRODUCE. */
static void test_a_guest_costs_under_40_requests(void)
{
	g_autofree char *xml = domain_xml(NULL, NULL);
	g_autofree char *xml2 = domain_xml("  <vcpu current='1'>2</vcpu>\n"
					   "  <memtune><min_guarantee>1024</min_guarantee></memtune>\n", NULL);
	struct xlite_plan plan;

	plan_from_xml(&plan, xml);
	g_test_message("%u requests", plan.xs_requests);
	/* + xlite/memory-min, + image/kernel (save writes the XML from it) */
	g_assert_cmpuint(plan.xs_requests, ==, 33);
	g_assert_cmpuint(plan.xs_requests + 3, <, 40);
	xlite_plan_dispose(&plan);
	plan_from_xml(&plan, xml2);
	g_assert_cmpuint(plan.xs_requests + 3, <, 40);
	xlite_plan_dispose(&plan);
}

static void test_disk_frontend_before_backend(void)
{
	g_autofree char *xml = domain_xml(NULL,
		"<disk type='file'><source file='/a.img'/><target dev='xvda'/></disk>\n"
		"<disk type='block'><source dev='/dev/sdb'/><target dev='xvdc'/><readonly/></disk>\n");
	const struct xlite_plan_disk *d;
	struct xlite_plan plan;
	size_t last;

	plan_from_xml(&plan, xml);
	g_assert_cmpuint(plan.n_disks, ==, 2);
	d = &plan.disks[0];
	g_assert_true(d->needs_loop);
	g_assert_cmpstr(d->frontend, ==, "/local/domain/${domid}/device/vbd/51712");
	g_assert_cmpstr(d->backend, ==, "/local/domain/0/backend/vbd/${domid}/51712");
	assert_device_dirs(&d->nodes, d->frontend, d->backend);
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/${domid}/device/vbd/51712/backend"), ==, d->backend);
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/${domid}/device/vbd/51712/backend-id"), ==, "0");
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/${domid}/device/vbd/51712/virtual-device"), ==, "51712");
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/${domid}/device/vbd/51712/state"), ==, "1");
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/0/backend/vbd/${domid}/51712/frontend"), ==, d->frontend);
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/0/backend/vbd/${domid}/51712/frontend-id"), ==, "${domid}");
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/0/backend/vbd/${domid}/51712/dev"), ==, "xvda");
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/0/backend/vbd/${domid}/51712/mode"), ==, "w");
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/0/backend/vbd/${domid}/51712/params"), ==, "${disk.0.path}");
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/0/backend/vbd/${domid}/51712/state"), ==, "1");
	/* physical-device last: blkback reads dev and mode when it appears */
	last = d->nodes.n - 1;
	g_assert_cmpstr(d->nodes.ops[last].path, ==, "/local/domain/0/backend/vbd/${domid}/51712/physical-device");
	g_assert_cmpstr(d->nodes.ops[last].value, ==, "${disk.0.physdev}");

	d = &plan.disks[1];
	g_assert_false(d->needs_loop);
	g_assert_cmpuint(d->disk.vdev, ==, 51744);
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/0/backend/vbd/${domid}/51744/mode"), ==, "r");
	g_assert_cmpstr(value_at(&d->nodes, "/local/domain/0/backend/vbd/${domid}/51744/params"), ==, "${disk.1.path}");
	g_assert_cmpstr(d->nodes.ops[d->nodes.n - 1].value, ==, "${disk.1.physdev}");
	xlite_plan_dispose(&plan);
}

static void test_nic_nodes_and_bridge_step(void)
{
	g_autofree char *xml = domain_xml("  <uuid>c7a5fdb2-cdaf-9455-926a-d65c16db1809</uuid>\n",
		"<interface type='bridge'><source bridge='xlbr0'/><mac address='00:16:3e:01:02:03'/></interface>\n"
		"<interface type='bridge'><source bridge='br1'/></interface>\n");
	const struct xlite_plan_nic *n;
	struct xlite_plan plan;
	uint8_t uuid[16], mac[6];
	char want[XLITE_MAC_STRLEN];

	plan_from_xml(&plan, xml);
	g_assert_cmpuint(plan.n_nics, ==, 2);
	n = &plan.nics[0];
	g_assert_cmpuint(n->devid, ==, 0);
	g_assert_cmpstr(n->mac, ==, "00:16:3e:01:02:03");
	g_assert_cmpstr(n->vif, ==, "vif${domid}.0");
	g_assert_cmpstr(n->frontend, ==, "/local/domain/${domid}/device/vif/0");
	g_assert_cmpstr(n->backend, ==, "/local/domain/0/backend/vif/${domid}/0");
	g_assert_cmpstr(n->hotplug_status, ==, "/local/domain/0/backend/vif/${domid}/0/hotplug-status");
	assert_device_dirs(&n->nodes, n->frontend, n->backend);
	g_assert_cmpstr(value_at(&n->nodes, "/local/domain/${domid}/device/vif/0/mac"), ==, "00:16:3e:01:02:03");
	g_assert_cmpstr(value_at(&n->nodes, "/local/domain/${domid}/device/vif/0/handle"), ==, "0");
	g_assert_cmpstr(value_at(&n->nodes, "/local/domain/0/backend/vif/${domid}/0/mac"), ==, "00:16:3e:01:02:03");
	g_assert_cmpstr(value_at(&n->nodes, "/local/domain/0/backend/vif/${domid}/0/bridge"), ==, "xlbr0");
	g_assert_cmpstr(value_at(&n->nodes, "/local/domain/0/backend/vif/${domid}/0/script"), ==, "/bin/true");
	g_assert_cmpstr(value_at(&n->nodes, "/local/domain/0/backend/vif/${domid}/0/handle"), ==, "0");
	g_assert_null(find_op(&n->nodes, n->hotplug_status, NULL));	/* written after the bridge */

	n = &plan.nics[1];
	g_assert_cmpstr(n->vif, ==, "vif${domid}.1");
	g_assert_false(n->nic.mac_given);
	g_assert_cmpint(xlite_uuid_parse("c7a5fdb2-cdaf-9455-926a-d65c16db1809", uuid), ==, 0);
	xlite_mac_generate(uuid, 1, mac);
	xlite_mac_format(mac, want);
	g_assert_cmpstr(n->mac, ==, want);
	/* 33 for the domain, 2 for the hotplug-status writes */
	g_assert_cmpuint(plan.xs_requests, ==, 33 + 2 * (2 + 5 + 2 + 9) + 2);
	xlite_plan_dispose(&plan);
}

static void test_mac_generation_is_stable(void)
{
	static const uint8_t uuid[16] = { 0xc7, 0xa5, 0xfd, 0xb2, 0xcd, 0xaf, 0x94, 0x55,
					  0x92, 0x6a, 0xd6, 0x5c, 0x16, 0xdb, 0x18, 0x09 };
	uint8_t a[6], b[6], c[6], other[16];
	char s[XLITE_MAC_STRLEN];
	unsigned int i;

	xlite_mac_generate(uuid, 0, a);
	xlite_mac_generate(uuid, 0, b);
	g_assert_cmpmem(a, 6, b, 6);
	xlite_mac_format(a, s);
	g_assert_cmpstr(s, ==, "00:16:3e:45:4a:1a");	/* pinned: must never change */
	xlite_mac_generate(uuid, 1, c);
	g_assert_true(memcmp(a, c, 6) != 0);
	memcpy(other, uuid, 16);
	other[15] ^= 1;
	xlite_mac_generate(other, 0, c);
	g_assert_true(memcmp(a, c, 6) != 0);
	for (i = 0; i < 64; i++) {
		xlite_mac_generate(uuid, i, c);
		g_assert_cmpuint(c[0], ==, 0x00);
		g_assert_cmpuint(c[1], ==, 0x16);
		g_assert_cmpuint(c[2], ==, 0x3e);
		g_assert_cmpuint(c[3], <, 0x80);
		g_assert_null(xlite_mac_invalid(c));
	}
}

static void test_mac_text_forms(void)
{
	uint8_t m[6];
	char s[XLITE_MAC_STRLEN];

	g_assert_cmpint(xlite_mac_parse("00:16:3E:aB:cd:EF", m), ==, 0);
	xlite_mac_format(m, s);
	g_assert_cmpstr(s, ==, "00:16:3e:ab:cd:ef");
	g_assert_cmpint(xlite_mac_parse("00:16:3e:ab:cd", m), ==, -EINVAL);
	g_assert_cmpint(xlite_mac_parse("00:16:3e:ab:cd:ef:01", m), ==, -EINVAL);
	g_assert_cmpint(xlite_mac_parse("00-16-3e-ab-cd-ef", m), ==, -EINVAL);
	g_assert_cmpint(xlite_mac_parse("0:16:3e:ab:cd:ef", m), ==, -EINVAL);
	g_assert_cmpint(xlite_mac_parse("", m), ==, -EINVAL);
	g_assert_cmpint(xlite_mac_parse("ff:ff:ff:ff:ff:ff", m), ==, 0);
	g_assert_nonnull(xlite_mac_invalid(m));
}

static void test_dollar_in_config_text_survives_expansion(void)
{
	g_autofree char *xml = domain_xml(NULL,
		"<interface type='bridge'><source bridge='br$x'/></interface>\n");
	struct xlite_plan_vars vars = { .domid = 5, .uuid = "u" };
	struct xlite_plan plan;
	const char *v;
	char *out;

	plan_from_xml(&plan, xml);
	v = value_at(&plan.nics[0].nodes, "/local/domain/0/backend/vif/${domid}/0/bridge");
	g_assert_cmpstr(v, ==, "br$$x");
	out = xlite_expand(v, xlite_plan_vars_lookup, &vars);
	g_assert_cmpstr(out, ==, "br$x");
	g_free(out);
	xlite_plan_dispose(&plan);
}

static void test_bad_configs_are_refused(void)
{
	struct xlite_config cfg;
	struct xlite_plan plan;
	char *err = NULL;

	xlite_config_init(&cfg);
	xlite_plan_init(&plan);
	cfg.name = g_strdup("x");
	cfg.os_type = g_strdup("linux");
	cfg.kernel = g_strdup("/k");
	cfg.memory_kib = cfg.current_kib = 1024;
	cfg.max_vcpus = 2;
	cfg.cur_vcpus = 3;
	g_assert_cmpint(xlite_plan_build(&plan, &cfg, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "vcpus 3 of 2"));
	g_free(err);
	cfg.cur_vcpus = 1;
	cfg.current_kib = 2048;
	g_assert_cmpint(xlite_plan_build(&plan, &cfg, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "memory sizes out of order"));
	g_free(err);
	cfg.current_kib = 1024;
	g_assert_cmpint(xlite_plan_build(&plan, &cfg, &err), ==, 0);
	g_assert_cmpstr(plan.name, ==, "x");
	free(cfg.name);
	cfg.name = g_strdup("12");
	g_assert_cmpint(xlite_plan_build(&plan, &cfg, &err), ==, -EINVAL);
	g_assert_null(plan.name);	/* a failed build leaves an empty plan */
	g_free(err);
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
}

/* ---- placeholders ---- */

static const char *fake_lookup(const char *name, void *opaque)
{
	(void)opaque;
	if (strcmp(name, "domid") == 0)
		return "12";
	if (strcmp(name, "disk.0.path") == 0)
		return "/dev/loop3";
	return NULL;
}

static void test_expand_substitutes_placeholders(void)
{
	char *s, *err = NULL;

	s = xlite_expand("/local/domain/${domid}/device/vbd/51712", fake_lookup, NULL);
	g_assert_cmpstr(s, ==, "/local/domain/12/device/vbd/51712");
	g_free(s);
	s = xlite_expand("${disk.0.path}:${domid}${domid}", fake_lookup, NULL);
	g_assert_cmpstr(s, ==, "/dev/loop3:1212");
	g_free(s);
	s = xlite_expand("", fake_lookup, NULL);
	g_assert_cmpstr(s, ==, "");
	g_free(s);
	s = xlite_expand("cost $$5 and $${domid}", fake_lookup, NULL);
	g_assert_cmpstr(s, ==, "cost $5 and ${domid}");
	g_free(s);
	g_assert_cmpint(xlite_expand_err("a${nope}b", fake_lookup, NULL, &s, &err), ==, -ENOENT);
	g_assert_cmpstr(err, ==, "unknown placeholder ${nope}");
	g_assert_null(s);
	g_free(err);
}

static void test_expand_refuses_unknown_and_malformed(void)
{
	static const struct { const char *s; int err; } bad[] = {
		{ "${nope}", ENOENT }, { "${disk.1.path}", ENOENT }, { "${domid", EINVAL },
		{ "${}", EINVAL }, { "$domid", EINVAL }, { "trailing $", EINVAL },
		{ "${dom id}", EINVAL }, { "${${domid}}", EINVAL },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("%s", bad[i].s);
		errno = 0;
		g_assert_null(xlite_expand(bad[i].s, fake_lookup, NULL));
		g_assert_cmpint(errno, ==, bad[i].err);
	}
}

static void test_escape_round_trips(void)
{
	static const char *const texts[] = { "", "plain", "$", "$$", "a${b}c", "$1 ${" };
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(texts); i++) {
		char *e = xlite_expand_escape(texts[i]);
		char *back = xlite_expand(e, fake_lookup, NULL);

		g_assert_cmpstr(back, ==, texts[i]);
		g_free(e);
		g_free(back);
	}
}

static void test_plan_vars_fill_every_placeholder(void)
{
	g_autofree char *xml = domain_xml(NULL,
		"<disk type='file'><source file='/a.img'/><target dev='xvda'/></disk>\n"
		"<disk type='block'><source dev='/dev/sdb'/><target dev='xvdb'/></disk>\n"
		"<interface type='bridge'><source bridge='br0'/></interface>\n");
	static const char *const paths[] = { "/dev/loop0", "/dev/sdb" };
	static const char *const physdevs[] = { "7:0", "8:10" };
	struct xlite_plan_vars vars = {
		.domid = 3, .uuid = "c7a5fdb2-cdaf-9455-926a-d65c16db1809",
		.console_mfn = 1234567, .store_mfn = 7654321,
		.console_port = 2, .store_port = 1,
		.n_disks = 2, .disk_path = paths, .disk_physdev = physdevs,
	};
	const struct xlite_xs_ops *lists[8];
	struct xlite_plan plan;
	size_t l, n = 0, i;

	plan_from_xml(&plan, xml);
	lists[n++] = &plan.domain_nodes;
	for (i = 0; i < plan.n_disks; i++)
		lists[n++] = &plan.disks[i].nodes;
	for (i = 0; i < plan.n_nics; i++)
		lists[n++] = &plan.nics[i].nodes;
	for (l = 0; l < n; l++) {
		for (i = 0; i < lists[l]->n; i++) {
			const struct xlite_xs_op *op = &lists[l]->ops[i];
			const char *parts[2] = { op->path, op->kind == XLITE_XS_MKDIR ? op->perms : op->value };
			unsigned int k;

			for (k = 0; k < 2; k++) {
				char *e;

				if (!parts[k])	/* a mkdir that inherits its parent's perms */
					continue;
				e = xlite_expand(parts[k], xlite_plan_vars_lookup, &vars);

				g_assert_nonnull(e);
				g_assert_null(strchr(e, '$'));
				g_free(e);
			}
		}
	}
	g_assert_cmpstr(xlite_plan_vars_lookup("console.mfn", &vars), ==, "1234567");
	g_assert_cmpstr(xlite_plan_vars_lookup("store.port", &vars), ==, "1");
	g_assert_cmpstr(xlite_plan_vars_lookup("disk.1.physdev", &vars), ==, "8:10");
	g_assert_null(xlite_plan_vars_lookup("disk.2.path", &vars));
	g_assert_null(xlite_plan_vars_lookup("disk.01.path", &vars));
	g_assert_null(xlite_plan_vars_lookup("disk.0.size", &vars));
	g_assert_null(xlite_plan_vars_lookup("disk.-1.path", &vars));
	xlite_plan_dispose(&plan);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/plan/memory-in-pages-and-whole-mib", test_memory_in_pages_and_mib);
	g_test_add_func("/plan/vcpus-beyond-current-start-offline", test_vcpus_beyond_current_start_offline);
	g_test_add_func("/plan/guest-writes-only-where-it-must", test_guest_writes_only_where_it_must);
	g_test_add_func("/plan/nodes-xenconsoled-and-linux-read", test_nodes_xenconsoled_and_linux_read);
	g_test_add_func("/plan/a-guest-costs-under-40-requests", test_a_guest_costs_under_40_requests);
	g_test_add_func("/plan/disk/frontend-before-backend", test_disk_frontend_before_backend);
	g_test_add_func("/plan/nic/nodes-and-bridge-step", test_nic_nodes_and_bridge_step);
	g_test_add_func("/plan/mac/generation-is-stable", test_mac_generation_is_stable);
	g_test_add_func("/plan/mac/text-forms", test_mac_text_forms);
	g_test_add_func("/plan/dollar-in-config-text-survives", test_dollar_in_config_text_survives_expansion);
	g_test_add_func("/plan/bad-configs-are-refused", test_bad_configs_are_refused);
	g_test_add_func("/plan/expand/substitutes", test_expand_substitutes_placeholders);
	g_test_add_func("/plan/expand/refuses-unknown-and-malformed", test_expand_refuses_unknown_and_malformed);
	g_test_add_func("/plan/expand/escape-round-trips", test_escape_round_trips);
	g_test_add_func("/plan/expand/vars-fill-every-placeholder", test_plan_vars_fill_every_placeholder);
	return g_test_run();
}
