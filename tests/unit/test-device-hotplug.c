/* Hotplug on the fake hypervisor: the nodes a disk or nic attach writes,
 * refusals that leave nothing, unplug, listing, and a failure injected at
 * every step of an attach leaving nothing behind. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/device/device-priv.h"
#include "tests/unit/hv-fake.h"
#include "libtool/util/mac.h"

struct fx {
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	uint32_t domid;
	char *dir, *img, *img2;
	GPtrArray *baseline;
};

static char *make_file(const char *dir, const char *name)
{
	char *p = g_build_filename(dir, name, NULL);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(ftruncate(fd, 1 << 20), ==, 0);
	close(fd);
	return p;
}

static void fx_setup(struct fx *f, gconstpointer unused)
{
	struct xlite_hv_create c;

	(void)unused;
	xlite_hv_fake_init(&f->fake);
	xlite_hv_fake_attach(&f->hv, &f->fake);
	g_hash_table_insert(f->fake.bridges, g_strdup("xlbr0"),
			    g_ptr_array_new_with_free_func(g_free));
	memset(&c, 0, sizeof(c));
	g_assert_cmpint(xlite_uuid_parse("6d1c2f54-8f0e-4a43-9d55-0c2a6b1e9f01", c.uuid), ==, 0);
	c.max_vcpus = 1;
	g_assert_cmpint(f->hv.ops->domain_create(&f->hv, &c, &f->domid), ==, 0);
	/* What a create leaves: the domain's own directory. */
	g_assert_cmpint(f->hv.ops->xs_write(&f->hv, "/local/domain/1/name", "web"), ==, 0);
	f->baseline = xlite_hv_fake_xs_paths(&f->fake);
	f->dir = g_dir_make_tmp("xlite-hp-XXXXXX", NULL);
	f->img = make_file(f->dir, "a.raw");
	f->img2 = make_file(f->dir, "b.raw");
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	(void)unused;
	g_unlink(f->img);
	g_unlink(f->img2);
	g_rmdir(f->dir);
	g_free(f->img);
	g_free(f->img2);
	g_free(f->dir);
	g_ptr_array_unref(f->baseline);
	xlite_hv_fake_dispose(&f->fake);
}

static const char *node(struct fx *f, const char *path)
{
	return g_tree_lookup(f->fake.xs, path);
}

/* Removes WHAT from S (once). */
static void cut(char *s, const char *what)
{
	char *pos = strstr(s, what);

	if (pos)
		memmove(pos, pos + strlen(what), strlen(pos + strlen(what)) + 1);
}

/* Residue of the fake host beyond the baseline, the domain itself, and
 * what stays while it lives: the shared parents .../backend/vbd|vif, the
 * guest's device/TYPE directories and its xlite record (destroy removes
 * them with the domain). Not .../backend/TYPE/D: unplug removes it when
 * empty. */
static char *residue(struct fx *f)
{
	static const char *const lasting[] = {
		"domain 1; ",
		"node /local/domain/0/backend/vbd; ", "node /local/domain/0/backend/vif; ",
		"node /local/domain/1/device; ", "node /local/domain/1/device/vbd; ",
		"node /local/domain/1/device/vif; ", "node /local/domain/1/xlite; ",
		"node /local/domain/1/xlite/loops; ",
	};
	char *all = xlite_hv_fake_residue(&f->fake, f->baseline);
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(lasting); i++)
		cut(all, lasting[i]);
	return all;
}

static struct xlite_disk disk_of(char *src, const char *target, bool ro)
{
	struct xlite_disk d;

	memset(&d, 0, sizeof(d));
	d.source = src;
	d.target = (char *)(uintptr_t)target;
	d.readonly = ro;
	g_assert_cmpint(xlite_vdev_parse(target, &d.vdev), ==, 0);
	return d;
}

static void test_disk_attach_writes_front_and_back_nodes(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = disk_of(f->img, "xvda", true);
	const char *be = "/local/domain/0/backend/vbd/1/51712";
	const char *fe = "/local/domain/1/device/vbd/51712";
	char p[128];

	(void)u;
	g_assert_cmpint(xlite_device_disk_attach(&f->hv, f->domid, &d), ==, 0);
	snprintf(p, sizeof(p), "%s/backend", fe);
	g_assert_cmpstr(node(f, p), ==, be);
	snprintf(p, sizeof(p), "%s/virtual-device", fe);
	g_assert_cmpstr(node(f, p), ==, "51712");
	snprintf(p, sizeof(p), "%s/state", fe);
	g_assert_cmpstr(node(f, p), ==, "1");
	snprintf(p, sizeof(p), "%s/frontend", be);
	g_assert_cmpstr(node(f, p), ==, fe);
	snprintf(p, sizeof(p), "%s/frontend-id", be);
	g_assert_cmpstr(node(f, p), ==, "1");
	snprintf(p, sizeof(p), "%s/physical-device", be);
	g_assert_cmpstr(node(f, p), ==, "7:0");
	snprintf(p, sizeof(p), "%s/params", be);
	g_assert_cmpstr(node(f, p), ==, "/dev/loop0");
	snprintf(p, sizeof(p), "%s/mode", be);
	g_assert_cmpstr(node(f, p), ==, "r");
	snprintf(p, sizeof(p), "%s/dev", be);
	g_assert_cmpstr(node(f, p), ==, "xvda");
	g_assert_cmpstr(node(f, "/local/domain/1/xlite/loops"), ==, "/dev/loop0");
	g_assert_cmpstr(g_hash_table_lookup(f->fake.loops, "/dev/loop0"), ==, f->img);
}

static void test_disk_nodes_frontend_dir_first_with_guest_perms(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = disk_of(f->img, "xvdb", false);
	struct xlite_disk_host h = { g_strdup("/dev/loop3"), "7:3", true, false };
	struct xlite_device_ops o;
	const struct xsc_op *ops;
	g_autofree char *fe_perms = NULL, *be_perms = NULL;
	guint i, be_mkdir = 0;

	(void)u;
	xlite_device_ops_init(&o);
	g_assert_cmpint(xlite_device_disk_nodes(&f->hv, &o, 7, &d, &h), ==, 0);
	g_assert_cmpint(o.batch.status, ==, 0);
	ops = (const struct xsc_op *)(const void *)o.batch.ops->data;
	g_assert_cmpint(ops[0].kind, ==, XSC_OP_MKDIR);
	g_assert_cmpstr(ops[0].path, ==, "/local/domain/7/device/vbd/51728");
	fe_perms = xsc_perms_format(ops[0].perms, ops[0].n_perms, ",");
	g_assert_cmpstr(fe_perms, ==, "n7,r0");
	for (i = 1; i < o.batch.ops->len; i++) {
		g_assert_null(strstr(ops[i].path, "${"));
		if (ops[i].kind == XSC_OP_MKDIR) {
			g_assert_cmpuint(be_mkdir, ==, 0);
			be_mkdir = i;
			g_assert_cmpstr(ops[i].path, ==, "/local/domain/0/backend/vbd/7/51728");
			be_perms = xsc_perms_format(ops[i].perms, ops[i].n_perms, ",");
			g_assert_cmpstr(be_perms, ==, "n0,r7");
		} else if (!be_mkdir) {
			g_assert_true(g_str_has_prefix(ops[i].path, "/local/domain/7/device/vbd/51728/"));
		} else {
			g_assert_true(g_str_has_prefix(ops[i].path,
						       "/local/domain/0/backend/vbd/7/51728/"));
		}
	}
	g_assert_cmpuint(be_mkdir, >, 1);
	xlite_device_ops_dispose(&o);
	g_free(h.path);
}

static void test_target_used_twice_is_refused_and_leaves_nothing(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = disk_of(f->img, "xvda", false);
	struct xlite_disk d2 = disk_of(f->img2, "xvda", false);
	char *left;

	(void)u;
	g_assert_cmpint(xlite_device_disk_attach(&f->hv, f->domid, &d), ==, 0);
	g_ptr_array_unref(f->baseline);
	f->baseline = xlite_hv_fake_xs_paths(&f->fake);
	g_assert_cmpint(xlite_device_disk_attach(&f->hv, f->domid, &d2), ==, -EEXIST);
	g_assert_nonnull(strstr(xlite_hv_error(&f->hv), "xvda is already in use"));
	/* Only the first disk's loop, no new node. */
	g_assert_cmpuint(g_hash_table_size(f->fake.loops), ==, 1);
	g_assert_nonnull(g_hash_table_lookup(f->fake.loops, "/dev/loop0"));
	left = residue(f);
	g_assert_null(strstr(left, "node "));
	g_free(left);
}

static void test_attach_to_missing_domain_is_refused(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = disk_of(f->img, "xvda", false);
	char *left;

	(void)u;
	g_assert_cmpint(xlite_device_disk_attach(&f->hv, 42, &d), ==, -ESRCH);
	left = residue(f);
	g_assert_cmpstr(left, ==, "");
	g_free(left);
}

static void test_disk_unplug_of_unconnected_device_removes_all(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = disk_of(f->img, "xvda", false);
	char *left;

	(void)u;
	g_assert_cmpint(xlite_device_disk_attach(&f->hv, f->domid, &d), ==, 0);
	/* frontend state 1: the guest never started its side */
	g_assert_cmpint(xlite_device_unplug(&f->hv, f->domid, XLITE_DEVICE_VBD, 51712, 100,
					    false), ==, 0);
	g_assert_null(node(f, "/local/domain/1/device/vbd/51712"));
	g_assert_null(node(f, "/local/domain/0/backend/vbd/1/51712"));
	g_assert_cmpstr(node(f, "/local/domain/1/xlite/loops"), ==, "");
	left = residue(f);
	g_assert_cmpstr(left, ==, "");
	g_free(left);
}

static void test_disk_unplug_waits_for_guest_then_times_out(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = disk_of(f->img, "xvda", false);
	const char *be = "/local/domain/0/backend/vbd/1/51712";
	char p[128];
	gint64 t0;

	(void)u;
	g_assert_cmpint(xlite_device_disk_attach(&f->hv, f->domid, &d), ==, 0);
	/* Connected, and the guest does not answer. */
	f->hv.ops->xs_write(&f->hv, "/local/domain/1/device/vbd/51712/state", "4");
	snprintf(p, sizeof(p), "%s/state", be);
	f->hv.ops->xs_write(&f->hv, p, "4");
	t0 = g_get_monotonic_time();
	g_assert_cmpint(xlite_device_unplug(&f->hv, f->domid, XLITE_DEVICE_VBD, 51712, 200,
					    false), ==, -ETIMEDOUT);
	g_assert_cmpint(g_get_monotonic_time() - t0, >=, 200 * 1000);
	g_assert_nonnull(strstr(xlite_hv_error(&f->hv), "did not release"));
	g_assert_cmpstr(node(f, p), ==, "5");
	snprintf(p, sizeof(p), "%s/online", be);
	g_assert_cmpstr(node(f, p), ==, "0");
	g_assert_cmpuint(g_hash_table_size(f->fake.loops), ==, 1);
	/* force removes it anyway */
	g_assert_cmpint(xlite_device_unplug(&f->hv, f->domid, XLITE_DEVICE_VBD, 51712, 100,
					    true), ==, 0);
	g_assert_null(node(f, be));
	g_assert_cmpuint(g_hash_table_size(f->fake.loops), ==, 0);
}

static void test_unplug_of_unknown_device_is_enoent(struct fx *f, gconstpointer u)
{
	(void)u;
	g_assert_cmpint(xlite_device_unplug(&f->hv, f->domid, XLITE_DEVICE_VBD, 51712, 100,
					    false), ==, -ENOENT);
	g_assert_cmpint(xlite_device_unplug(&f->hv, f->domid, XLITE_DEVICE_VIF, 0, 100,
					    false), ==, -ENOENT);
}

static void test_unplug_never_releases_a_loop_xlite_did_not_make(struct fx *f, gconstpointer u)
{
	const char *be = "/local/domain/0/backend/vbd/1/51712";
	char p[128];

	(void)u;
	/* A backend as xl would leave it, with someone else's loop. */
	g_hash_table_insert(f->fake.loops, g_strdup("/dev/loop5"), g_strdup("/other"));
	snprintf(p, sizeof(p), "%s/params", be);
	f->hv.ops->xs_write(&f->hv, p, "/dev/loop5");
	snprintf(p, sizeof(p), "%s/physical-device-path", be);
	f->hv.ops->xs_write(&f->hv, p, "/dev/loop5");
	g_assert_cmpint(xlite_device_unplug(&f->hv, f->domid, XLITE_DEVICE_VBD, 51712, 100,
					    false), ==, 0);
	g_assert_null(node(f, be));
	g_assert_nonnull(g_hash_table_lookup(f->fake.loops, "/dev/loop5"));
}

static void test_nic_attach_bridges_vif_with_stable_mac(struct fx *f, gconstpointer u)
{
	struct xlite_nic n;
	unsigned int devid = 99;
	uint8_t mac[6];
	char want[XLITE_MAC_STRLEN];
	GPtrArray *ports;
	struct xlite_dominfo info;

	(void)u;
	memset(&n, 0, sizeof(n));
	n.bridge = (char *)(uintptr_t)"xlbr0";
	g_assert_cmpint(xlite_device_nic_attach(&f->hv, f->domid, &n, 100, &devid), ==, 0);
	g_assert_cmpuint(devid, ==, 0);
	f->hv.ops->domain_info(&f->hv, f->domid, &info);
	xlite_mac_generate(info.uuid, 0, mac);
	xlite_mac_format(mac, want);
	g_assert_cmpstr(node(f, "/local/domain/0/backend/vif/1/0/mac"), ==, want);
	g_assert_cmpstr(node(f, "/local/domain/1/device/vif/0/mac"), ==, want);
	g_assert_cmpstr(node(f, "/local/domain/0/backend/vif/1/0/bridge"), ==, "xlbr0");
	g_assert_cmpstr(node(f, "/local/domain/0/backend/vif/1/0/hotplug-status"), ==,
			"connected");
	g_assert_nonnull(node(f, "/local/domain/0/backend/vif/1/0/script"));
	ports = g_hash_table_lookup(f->fake.bridges, "xlbr0");
	g_assert_cmpuint(ports->len, ==, 1);
	g_assert_cmpstr(ports->pdata[0], ==, "vif1.0");

	/* The next one takes the next index; a given MAC is kept. */
	g_assert_cmpint(xlite_mac_parse("00:16:3e:aa:bb:cc", n.mac), ==, 0);
	n.mac_given = true;
	g_assert_cmpint(xlite_device_nic_attach(&f->hv, f->domid, &n, 100, &devid), ==, 0);
	g_assert_cmpuint(devid, ==, 1);
	g_assert_cmpstr(node(f, "/local/domain/1/device/vif/1/mac"), ==, "00:16:3e:aa:bb:cc");
}

static void test_nic_on_missing_bridge_is_refused_and_leaves_nothing(struct fx *f,
								     gconstpointer u)
{
	struct xlite_nic n;
	unsigned int devid;
	char *left;

	(void)u;
	memset(&n, 0, sizeof(n));
	n.bridge = (char *)(uintptr_t)"nobr0";
	g_assert_cmpint(xlite_device_nic_attach(&f->hv, f->domid, &n, 100, &devid), ==, -ENOENT);
	g_assert_nonnull(strstr(xlite_hv_error(&f->hv), "nobr0"));
	left = residue(f);
	g_assert_cmpstr(left, ==, "");
	g_free(left);
}

/* attach -n: the checks refuse what the attach would refuse, say which vif
 * and MAC an attach would give, and touch nothing. */
static void test_attach_checks_touch_nothing(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = disk_of(f->img, "xvda", false);
	struct xlite_disk bad = d;
	struct xlite_nic n;
	struct xlite_dominfo info;
	unsigned int devid = 99;
	uint8_t mac[6], want[6];
	char *left;

	(void)u;
	bad.target = (char *)(uintptr_t)"hde";
	g_assert_cmpint(xlite_device_disk_attach_check(&f->hv, f->domid, &d), ==, 0);
	g_assert_cmpint(xlite_device_disk_attach_check(&f->hv, f->domid, &bad), ==, -EINVAL);
	g_assert_cmpint(xlite_device_disk_attach_check(&f->hv, 42, &d), ==, -ESRCH);
	memset(&n, 0, sizeof(n));
	n.bridge = (char *)(uintptr_t)"xlbr0";
	g_assert_cmpint(xlite_device_nic_attach_check(&f->hv, f->domid, &n, &devid, mac), ==, 0);
	g_assert_cmpuint(devid, ==, 0);
	f->hv.ops->domain_info(&f->hv, f->domid, &info);
	xlite_mac_generate(info.uuid, 0, want);
	g_assert_cmpmem(mac, 6, want, 6);
	n.bridge = (char *)(uintptr_t)"nobr0";
	g_assert_cmpint(xlite_device_nic_attach_check(&f->hv, f->domid, &n, &devid, mac), ==,
			-ENOENT);
	g_assert_cmpuint(g_hash_table_size(f->fake.loops), ==, 0);
	left = residue(f);
	g_assert_cmpstr(left, ==, "");
	g_free(left);

	/* With xvda attached, its check refuses the target; the next vif is 1. */
	g_assert_cmpint(xlite_device_disk_attach(&f->hv, f->domid, &d), ==, 0);
	g_assert_cmpint(xlite_device_disk_attach_check(&f->hv, f->domid, &d), ==, -EEXIST);
	n.bridge = (char *)(uintptr_t)"xlbr0";
	g_assert_cmpint(xlite_device_nic_attach(&f->hv, f->domid, &n, 100, &devid), ==, 0);
	g_assert_cmpint(xlite_device_nic_attach_check(&f->hv, f->domid, &n, &devid, mac), ==, 0);
	g_assert_cmpuint(devid, ==, 1);
}

static void test_nic_unplug_removes_nodes_and_port(struct fx *f, gconstpointer u)
{
	struct xlite_nic n;
	unsigned int devid;
	char *left;

	(void)u;
	memset(&n, 0, sizeof(n));
	n.bridge = (char *)(uintptr_t)"xlbr0";
	g_assert_cmpint(xlite_device_nic_attach(&f->hv, f->domid, &n, 100, &devid), ==, 0);
	g_assert_cmpint(xlite_device_unplug(&f->hv, f->domid, XLITE_DEVICE_VIF, devid, 100,
					    false), ==, 0);
	left = residue(f);
	g_assert_cmpstr(left, ==, "");
	g_free(left);
}

static void test_list_reads_devices_and_ignores_guest_junk(struct fx *f, gconstpointer u)
{
	struct xlite_disk a = disk_of(f->img, "xvdb", false);
	struct xlite_disk b = disk_of(f->img2, "xvda", true);
	struct xlite_device_info *infos = NULL;
	size_t n = 0;

	(void)u;
	g_assert_cmpint(xlite_device_disk_attach(&f->hv, f->domid, &a), ==, 0);
	g_assert_cmpint(xlite_device_disk_attach(&f->hv, f->domid, &b), ==, 0);
	/* What a guest can write in its own frontend area. */
	f->hv.ops->xs_write(&f->hv, "/local/domain/1/device/vbd/evil/state", "4");
	f->hv.ops->xs_write(&f->hv, "/local/domain/1/device/vbd/51712/event-channel", "-3");
	f->hv.ops->xs_write(&f->hv, "/local/domain/1/device/vbd/51712/ring-ref", "8");
	f->hv.ops->xs_write(&f->hv, "/local/domain/1/device/vbd/51712/backend",
			    "/local/domain/0/backend/vbd/9/1");
	g_assert_cmpint(xlite_device_list(&f->hv, f->domid, XLITE_DEVICE_VBD, &infos, &n), ==, 0);
	g_assert_cmpuint(n, ==, 2);
	g_assert_cmpuint(infos[0].devid, ==, 51712);
	g_assert_cmpstr(infos[0].target, ==, "xvda");
	g_assert_true(infos[0].readonly);
	g_assert_cmpint(infos[0].evtchn, ==, -1);
	g_assert_cmpint(infos[0].ring_ref, ==, 8);
	g_assert_cmpint(infos[0].fe_state, ==, 1);
	g_assert_cmpstr(infos[0].backend, ==, "/local/domain/0/backend/vbd/1/51712");
	g_assert_cmpuint(infos[1].devid, ==, 51728);
	g_assert_false(infos[1].readonly);
	xlite_device_infos_free(infos, n);

	g_assert_cmpint(xlite_device_list(&f->hv, f->domid, XLITE_DEVICE_VIF, &infos, &n), ==, 0);
	g_assert_cmpuint(n, ==, 0);
	xlite_device_infos_free(infos, n);
}

/* Runs ATTACH once to count the ops, then again with each op failing in
 * turn: every failure must leave the host as it was. */
static void sweep(struct fx *f, int (*attach)(struct fx *f))
{
	unsigned long n, i;

	f->fake.n_ops = 0;
	g_assert_cmpint(attach(f), ==, 0);
	n = f->fake.n_ops;
	g_assert_cmpuint(n, >, 3);
	for (i = 1; i <= n; i++) {
		struct fx g;
		char *left;
		int rc;

		fx_setup(&g, NULL);
		g.fake.fail_at = g.fake.n_ops + i;
		rc = attach(&g);
		g_test_message("failing op %lu of %lu (%s): rc %d: %s", i, n,
			       i - 1 < g.fake.log->len ?
			       (char *)g.fake.log->pdata[g.fake.log->len - 1] : "?", rc,
			       xlite_hv_error(&g.hv));
		left = residue(&g);
		if (rc == 0) {
			/* A failed read of an optional node is not a failure. */
			g_free(left);
			fx_teardown(&g, NULL);
			continue;
		}
		g_assert_cmpstr(left, ==, "");
		g_free(left);
		fx_teardown(&g, NULL);
	}
}

static int attach_disk(struct fx *f)
{
	struct xlite_disk d = disk_of(f->img, "xvda", false);

	return xlite_device_disk_attach(&f->hv, f->domid, &d);
}

static int attach_nic(struct fx *f)
{
	struct xlite_nic n;
	unsigned int devid;

	memset(&n, 0, sizeof(n));
	n.bridge = (char *)(uintptr_t)"xlbr0";
	return xlite_device_nic_attach(&f->hv, f->domid, &n, 100, &devid);
}

static void test_failure_at_each_disk_attach_step_leaves_nothing(struct fx *f, gconstpointer u)
{
	(void)u;
	sweep(f, attach_disk);
}

static void test_failure_at_each_nic_attach_step_leaves_nothing(struct fx *f, gconstpointer u)
{
	(void)u;
	sweep(f, attach_nic);
}

/* How many times NEEDLE occurs in HAY. */
static unsigned int count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* Whether every entry of residue LEFT starts with one of PREFIXES
 * ("node |port "). */
static bool only(const char *left, const char *prefixes)
{
	char **items = g_strsplit(left, "; ", 0);
	char **ok = g_strsplit(prefixes, "|", 0);
	bool all = true;
	unsigned int i, j;

	for (i = 0; items[i]; i++) {
		bool one = !*items[i];

		for (j = 0; ok[j] && !one; j++)
			one = *ok[j] && g_str_has_prefix(items[i], ok[j]);
		all &= one;
	}
	g_strfreev(items);
	g_strfreev(ok);
	return all;
}

/* Double faults: each step of an attach fails, then each op its rollback
 * uses fails as well. The attach fails; its error holds the step's
 * failure and, when the undo op failed, one "rollback:" line for it; what
 * is left is only what that undo step was to remove (a loop device not
 * released, a node not removed). */
static void sweep_double(struct fx *f, int (*attach)(struct fx *))
{
	static const struct {
		const char *op, *left;	/* what its failure may leave */
	} undo[] = {
		/* a backend left in place keeps its vif on the bridge */
		{ "loop_detach", "loop " }, { "loop_backing", "" }, { "xs_rm", "node |port " },
		{ "xs_directory", "node " }, { "netdev_exists", "" },
	};
	unsigned long n, i, doubles = 0;
	unsigned int k;

	f->fake.n_ops = 0;
	g_assert_cmpint(attach(f), ==, 0);
	n = f->fake.n_ops;
	for (i = 1; i <= n; i++) {
		for (k = 0; k < G_N_ELEMENTS(undo); k++) {
			struct fx g;
			const char *msg;
			char *left;
			bool reported;
			int rc;

			fx_setup(&g, NULL);
			g.fake.fail_at = g.fake.n_ops + i;
			g.fake.fail2_op = undo[k].op;
			g.fake.fail2_at = 1;
			rc = attach(&g);
			msg = xlite_hv_error(&g.hv);
			g_test_message("step %lu, then %s: rc %d: %s", i, undo[k].op, rc, msg);
			left = residue(&g);
			g_test_message("left: %s", left);
			if (rc == 0) {
				g_free(left);
				fx_teardown(&g, NULL);
				continue;
			}
			/* A vif probe that fails once is tried again: no line. */
			reported = g.fake.fail2_fired && strcmp(undo[k].op, "netdev_exists") != 0;
			doubles += reported;
			g_assert_cmpuint(count(msg, "injected failure"), ==, 1 + reported);
			g_assert_cmpuint(count(msg, "\nrollback: "), ==, reported);
			if (reported) {
				g_assert_nonnull(strstr(msg, "(the second)"));
				g_assert_true(only(left, undo[k].left));
			} else {
				g_assert_cmpstr(left, ==, "");
			}
			g_free(left);
			fx_teardown(&g, NULL);
		}
	}
	g_assert_cmpuint(doubles, >, 0);
}

static void test_double_fault_at_each_disk_attach_step_is_reported(struct fx *f,
								    gconstpointer u)
{
	(void)u;
	sweep_double(f, attach_disk);
}

static void test_double_fault_at_each_nic_attach_step_is_reported(struct fx *f,
								   gconstpointer u)
{
	(void)u;
	sweep_double(f, attach_nic);
}

/* blkback and netback let go late: unplug returns only once they did. */
static void test_unplug_returns_once_dom0_let_go(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = disk_of(f->img, "xvda", false);
	char *left;

	(void)u;
	f->fake.linger_polls = 3;
	g_assert_cmpint(xlite_device_disk_attach(&f->hv, f->domid, &d), ==, 0);
	g_assert_cmpint(attach_nic(f), ==, 0);
	g_assert_cmpint(xlite_device_unplug(&f->hv, f->domid, XLITE_DEVICE_VBD, 51712, 5000,
					    false), ==, 0);
	g_assert_cmpint(xlite_device_unplug(&f->hv, f->domid, XLITE_DEVICE_VIF, 0, 5000,
					    false), ==, 0);
	left = residue(f);
	g_assert_cmpstr(left, ==, "");
	g_free(left);
}

/* A loop device blkback never lets go: unplug fails, naming it. */
static void test_unplug_names_a_device_dom0_still_holds(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = disk_of(f->img, "xvda", false);
	const char *msg;

	(void)u;
	f->fake.linger_polls = G_MAXUINT;
	g_assert_cmpint(xlite_device_disk_attach(&f->hv, f->domid, &d), ==, 0);
	g_assert_cmpint(xlite_device_unplug(&f->hv, f->domid, XLITE_DEVICE_VBD, 51712, 100,
					    false), ==, -ETIMEDOUT);
	msg = xlite_hv_error(&f->hv);
	g_assert_nonnull(strstr(msg, "still hold /dev/loop0 (serving "));
	g_assert_nonnull(strstr(msg, f->img));
	g_hash_table_remove_all(f->fake.lingering);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add("/device/hotplug/" name, struct fx, NULL, fx_setup, fn, \
				 fx_teardown)
	ADD("disk-attach-writes-front-and-back-nodes", test_disk_attach_writes_front_and_back_nodes);
	ADD("disk-nodes-frontend-dir-first-with-guest-perms",
	    test_disk_nodes_frontend_dir_first_with_guest_perms);
	ADD("target-used-twice-is-refused-and-leaves-nothing",
	    test_target_used_twice_is_refused_and_leaves_nothing);
	ADD("attach-to-missing-domain-is-refused", test_attach_to_missing_domain_is_refused);
	ADD("disk-unplug-of-unconnected-device-removes-all",
	    test_disk_unplug_of_unconnected_device_removes_all);
	ADD("disk-unplug-waits-for-guest-then-times-out",
	    test_disk_unplug_waits_for_guest_then_times_out);
	ADD("unplug-of-unknown-device-is-enoent", test_unplug_of_unknown_device_is_enoent);
	ADD("unplug-never-releases-a-loop-xlite-did-not-make",
	    test_unplug_never_releases_a_loop_xlite_did_not_make);
	ADD("nic-attach-bridges-vif-with-stable-mac", test_nic_attach_bridges_vif_with_stable_mac);
	ADD("nic-on-missing-bridge-is-refused-and-leaves-nothing",
	    test_nic_on_missing_bridge_is_refused_and_leaves_nothing);
	ADD("nic-unplug-removes-nodes-and-port", test_nic_unplug_removes_nodes_and_port);
	ADD("attach-checks-touch-nothing", test_attach_checks_touch_nothing);
	ADD("list-reads-devices-and-ignores-guest-junk",
	    test_list_reads_devices_and_ignores_guest_junk);
	ADD("failure-at-each-disk-attach-step-leaves-nothing",
	    test_failure_at_each_disk_attach_step_leaves_nothing);
	ADD("failure-at-each-nic-attach-step-leaves-nothing",
	    test_failure_at_each_nic_attach_step_leaves_nothing);
	ADD("double-fault-at-each-disk-attach-step-is-reported",
	    test_double_fault_at_each_disk_attach_step_is_reported);
	ADD("double-fault-at-each-nic-attach-step-is-reported",
	    test_double_fault_at_each_nic_attach_step_is_reported);
	ADD("unplug-returns-once-dom0-let-go", test_unplug_returns_once_dom0_let_go);
	ADD("unplug-names-a-device-dom0-still-holds", test_unplug_names_a_device_dom0_still_holds);
#undef ADD
	return g_test_run();
}
