/* Booting from the guest's own disk (<bootloader>, or no <kernel>) and
 * qcow2 disks (<driver type='qcow2'>): what the parser reads, what the
 * plan says, and what a create on the fake host does and leaves behind. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/domain.h"
#include "libtool/device/device.h"
#include "libtool/parse/config.h"
#include "libtool/plan/plan.h"
#include "tests/unit/apply-fixture.h"
#include "tests/unit/test-parse-helpers.h"

#define HEAD "<domain type='xen'>\n  <name>g</name>\n  <memory unit='MiB'>64</memory>\n"
#define DISK(path, extra) "    <disk type='file'>" extra "<source file='" path "'/>" \
	"<target dev='xvda'/></disk>\n"

/* Whether one of WARNINGS holds TEXT. */
static bool warned(GPtrArray *warnings, const char *text)
{
	guint i;

	for (i = 0; i < warnings->len; i++)
		if (strstr(warnings->pdata[i], text))
			return true;
	return false;
}

/* CFG (initialised here) parsed from XML, which must be valid; W gets the
 * warnings. */
static void parse_ok(const char *xml, struct xlite_config *cfg, GPtrArray *w)
{
	g_autofree char *err = NULL;

	xlite_config_init(cfg);
	g_assert_cmpint(parse_text(cfg, xml, w, &err), ==, 0);
}

static void test_pygrub_boots_from_the_disk_without_a_word(void)
{
	const char *xml = HEAD "  <bootloader>/usr/bin/pygrub</bootloader>\n"
		"  <os><type>linux</type></os>\n  <devices>\n" DISK("/g.img", "") "  </devices>\n"
		"</domain>\n";
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
	struct xlite_config cfg;

	parse_ok(xml, &cfg, w);
	g_assert_cmpint(cfg.boot, ==, XLITE_BOOT_DISK);
	g_assert_cmpstr(cfg.bootloader, ==, "/usr/bin/pygrub");
	g_assert_null(cfg.kernel);
	g_assert_cmpuint(w->len, ==, 0);
	xlite_config_dispose(&cfg);
}

static void test_no_kernel_boots_from_the_disk_with_a_note(void)
{
	const char *xml = HEAD "  <os><type>linux</type><cmdline>quiet</cmdline></os>\n"
		"  <devices>\n" DISK("/g.img", "") "  </devices>\n</domain>\n";
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
	struct xlite_config cfg;

	parse_ok(xml, &cfg, w);
	g_assert_cmpint(cfg.boot, ==, XLITE_BOOT_DISK);
	g_assert_null(cfg.bootloader);
	g_assert_null(cfg.cmdline);
	g_assert_true(warned(w, "t.xml:4: <os> has no <kernel>: the guest boots from its disk"));
	g_assert_true(warned(w, "<cmdline> ignored: there is no <kernel>"));
	xlite_config_dispose(&cfg);
}

/* libvirt's sexpr2xml-pv-bootloader: another bootloader with arguments,
 * and a kernel beside the bootloader (a path inside the guest's disk). */
static void test_what_pvgrub2_cannot_honour_is_named(void)
{
	const char *xml = HEAD "  <bootloader>/usr/bin/pypxeboot</bootloader>\n"
		"  <bootloader_args>mac=AA:00:86:e2:35:72</bootloader_args>\n"
		"  <os><type>linux</type><kernel>/boot/vmlinuz</kernel></os>\n"
		"  <devices>\n" DISK("/g.img", "") "  </devices>\n</domain>\n";
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
	struct xlite_config cfg;

	parse_ok(xml, &cfg, w);
	g_assert_cmpint(cfg.boot, ==, XLITE_BOOT_DISK);
	g_assert_null(cfg.kernel);
	g_assert_cmpstr(cfg.bootloader_args, ==, "mac=AA:00:86:e2:35:72");
	g_assert_true(warned(w, "t.xml:4: bootloader '/usr/bin/pypxeboot' is not run"));
	g_assert_true(warned(w, "t.xml:5: <bootloader_args> 'mac=AA:00:86:e2:35:72' ignored"));
	g_assert_true(warned(w, "<kernel> ignored: with a bootloader it names a file inside"));
	g_assert_cmpuint(w->len, ==, 3);
	xlite_config_dispose(&cfg);
}

static void test_bootloader_args_alone_are_dropped(void)
{
	g_autofree char *xml = domain_xml("  <bootloader_args>-q</bootloader_args>\n", NULL);
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
	struct xlite_config cfg;

	parse_ok(xml, &cfg, w);
	g_assert_cmpint(cfg.boot, ==, XLITE_BOOT_KERNEL);
	g_assert_cmpstr(cfg.kernel, ==, "/k");
	g_assert_null(cfg.bootloader_args);
	g_assert_true(warned(w, "t.xml:8: <bootloader_args> ignored: there is no <bootloader>"));
	xlite_config_dispose(&cfg);
}

static void test_a_diskless_disk_boot_is_warned_about(void)
{
	const char *xml = HEAD "  <os><type>linux</type></os>\n</domain>\n";
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
	struct xlite_config cfg;

	parse_ok(xml, &cfg, w);
	g_assert_true(warned(w, "has no <disk>: a create will fail"));
	xlite_config_dispose(&cfg);
}

/* A PVH guest boots from its disk as a PV one does, through pvhgrub. */
static void test_a_pvh_guest_boots_from_its_disk(void)
{
	const char *xml = HEAD "  <bootloader>pygrub</bootloader>\n"
		"  <os><type arch='x86_64' machine='xenpvh'>xenpvh</type></os>\n"
		"  <devices>\n" DISK("/g.img", "") "  </devices>\n</domain>\n";
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
	struct xlite_config cfg;

	parse_ok(xml, &cfg, w);
	g_assert_cmpint(cfg.boot, ==, XLITE_BOOT_DISK);
	g_assert_cmpstr(cfg.os_type, ==, "xenpvh");
	g_assert_cmpuint(w->len, ==, 0);
	xlite_config_dispose(&cfg);
}

/* Plans a config from XML into PLAN. */
static void plan_of(const char *xml, struct xlite_config *cfg, struct xlite_plan *plan)
{
	g_autofree char *err = NULL;

	xlite_config_init(cfg);
	xlite_plan_init(plan);
	g_assert_cmpint(parse_text(cfg, xml, NULL, &err), ==, 0);
	g_assert_cmpint(xlite_plan_build(plan, cfg, &err), ==, 0);
}

static void test_plan_says_the_boot_method(void)
{
	const char *xml = HEAD "  <bootloader>pygrub</bootloader>\n"
		"  <os><type>linux</type></os>\n  <devices>\n" DISK("/g.img", "") "  </devices>\n"
		"</domain>\n";
	struct xlite_config cfg;
	struct xlite_plan plan;
	g_autofree char *before = NULL, *after = NULL, *json = NULL;

	plan_of(xml, &cfg, &plan);
	g_assert_cmpint(plan.boot, ==, XLITE_BOOT_DISK);
	g_assert_null(plan.kernel);
	before = xlite_plan_to_text(&plan);
	g_assert_nonnull(strstr(before, "boot disk: pvgrub2 reads the grub.cfg on the guest's disks"));
	g_assert_nonnull(strstr(before, "bootloader \"pygrub\" not run in dom0"));
	g_assert_nonnull(strstr(before, "kernel pvgrub2 (xlite.conf [boot] grub-image)\n"));
	xlite_plan_set_boot_image(&plan, "/usr/lib/grub-xen/grub-x86_64-xen.bin");
	after = xlite_plan_to_text(&plan);
	g_assert_nonnull(strstr(after, "kernel pvgrub2 \"/usr/lib/grub-xen/grub-x86_64-xen.bin\"\n"));
	json = xlite_plan_to_json(&plan);
	g_assert_nonnull(strstr(json, "\"boot\": \"disk\""));
	g_assert_nonnull(strstr(json, "\"bootloader\": \"pygrub\""));
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
}

static void test_plan_names_pvhgrub_for_a_pvh_guest(void)
{
	const char *xml = HEAD "  <os><type machine='xenpvh'>xenpvh</type></os>\n"
		"  <devices>\n" DISK("/g.img", "") "  </devices>\n</domain>\n";
	struct xlite_config cfg;
	struct xlite_plan plan;
	g_autofree char *before = NULL, *after = NULL;

	plan_of(xml, &cfg, &plan);
	g_assert_true(plan.pvh);
	g_assert_cmpint(plan.boot, ==, XLITE_BOOT_DISK);
	before = xlite_plan_to_text(&plan);
	g_assert_nonnull(strstr(before, "boot disk: pvhgrub reads the grub.cfg on the guest's disks"));
	g_assert_nonnull(strstr(before, "kernel pvhgrub (xlite.conf [boot] grub-pvh-image)\n"));
	g_assert_null(strstr(before, "pvgrub2"));
	xlite_plan_set_boot_image(&plan, "/usr/lib/grub-xen/grub-i386-xen_pvh.bin");
	after = xlite_plan_to_text(&plan);
	g_assert_nonnull(strstr(after, "kernel pvhgrub \"/usr/lib/grub-xen/grub-i386-xen_pvh.bin\"\n"));
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
}

static void test_a_kernel_boot_keeps_its_kernel(void)
{
	g_autofree char *xml = domain_xml(NULL, NULL);
	struct xlite_config cfg;
	struct xlite_plan plan;
	g_autofree char *text = NULL;

	plan_of(xml, &cfg, &plan);
	xlite_plan_set_boot_image(&plan, "/grub.bin");
	g_assert_cmpstr(plan.kernel, ==, "/k");
	text = xlite_plan_to_text(&plan);
	g_assert_null(strstr(text, "pvgrub2"));
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
}

static void test_qcow2_disks_go_on_nbd_raw_ones_on_loops(void)
{
	g_autofree char *xml = domain_xml(NULL,
		DISK("/g.qcow2", "<driver name='qemu' type='qcow2'/>")
		"    <disk type='file'><driver name='qemu' type='raw'/><source file='/r.img'/>"
		"<target dev='xvdb'/></disk>\n");
	struct xlite_config cfg;
	struct xlite_plan plan;
	g_autofree char *text = NULL, *json = NULL;

	plan_of(xml, &cfg, &plan);
	g_assert_cmpint(cfg.disks[0].format, ==, XLITE_DISK_QCOW2);
	g_assert_cmpint(cfg.disks[1].format, ==, XLITE_DISK_RAW);
	g_assert_true(plan.disks[0].needs_nbd);
	g_assert_false(plan.disks[0].needs_loop);
	g_assert_false(plan.disks[1].needs_nbd);
	g_assert_true(plan.disks[1].needs_loop);
	text = xlite_plan_to_text(&plan);
	g_assert_nonnull(strstr(text, "disk 0 xvda vdev 51712 file \"/g.qcow2\" rw qcow2 nbd\n"));
	g_assert_nonnull(strstr(text, "disk 1 xvdb vdev 51728 file \"/r.img\" rw loop\n"));
	json = xlite_plan_to_json(&plan);
	g_assert_nonnull(strstr(json, "\"format\": \"qcow2\""));
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
}

/* A block device of this machine, NULL when there is none to look at. */
static const char *some_block_device(void)
{
	static const char *const cands[] = { "/dev/loop0", "/dev/sda", "/dev/vda",
					     "/dev/nvme0n1", "/dev/xvda", "/dev/ram0" };
	struct stat st;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cands); i++)
		if (stat(cands[i], &st) == 0 && S_ISBLK(st.st_mode))
			return cands[i];
	return NULL;
}

static void test_file_disk_on_a_block_device_is_one(void)
{
	const char *dev = some_block_device();
	g_autofree char *disks = NULL, *xml = NULL;
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
	struct xlite_config cfg;
	g_autofree char *err = NULL;

	if (!dev) {
		g_test_skip("no block device on this machine");
		return;
	}
	disks = g_strdup_printf("    <disk type='file'><source file='%s'/><target dev='xvda'/>"
				"</disk>\n    <disk type='file'><source file='/etc/hostname'/>"
				"<target dev='xvdb'/></disk>\n", dev);
	xml = domain_xml(NULL, disks);
	xlite_config_init(&cfg);
	g_assert_cmpint(parse_text(&cfg, xml, NULL, &err), ==, 0);
	xlite_config_resolve_sources(&cfg, collect_warning, w);
	g_assert_cmpint(cfg.disks[0].type, ==, XLITE_DISK_BLOCK);
	g_assert_cmpint(cfg.disks[1].type, ==, XLITE_DISK_FILE);
	g_assert_cmpuint(w->len, ==, 1);
	g_assert_true(warned(w, "t.xml:9: disk xvda: "));
	g_assert_true(warned(w, "is a block device: used as one"));
	xlite_config_dispose(&cfg);
}

/* ---- create on the fake host ------------------------------------------ */

static const char qcow2_head[] = "QFI\xfb\0\0\0\3";

/* DIR/NAME holding DATA (LEN bytes) padded to 4 KiB; g_free the path. */
static char *image(const char *dir, const char *name, const char *data, size_t len)
{
	char buf[4096] = { 0 };
	char *path = g_build_filename(dir, name, NULL);
	GError *gerr = NULL;

	memcpy(buf, data, len);
	g_file_set_contents(path, buf, sizeof(buf), &gerr);
	g_assert_no_error(gerr);
	return path;
}

static char *xml_with_disk(const char *boot, const char *driver, const char *path)
{
	return g_strdup_printf(HEAD "%s  <devices>\n    <disk type='file'>%s<source file='%s'/>"
			       "<target dev='xvda'/></disk>\n  </devices>\n</domain>\n", boot,
			       driver, path);
}

static void test_a_qcow2_disk_is_served_and_released(void)
{
	struct apply_host h;
	struct xlite_apply_result res;
	g_autofree char *q = NULL, *xml = NULL, *err = NULL, *loops = NULL;
	char path[64];

	apply_host_init(&h, "xlite-boot-XXXXXX");
	q = image(h.dir, "g.qcow2", qcow2_head, sizeof(qcow2_head) - 1);
	xml = xml_with_disk("  <os><type>linux</type><kernel>/k</kernel></os>\n",
			    "<driver name='qemu' type='qcow2'/>", q);
	apply_host_plan(&h, xml);
	xlite_apply_result_init(&res);
	g_assert_cmpint(xlite_apply(&h.hv, &h.plan, &h.opts, &res, &err), ==, 0);
	g_assert_cmpstr(g_hash_table_lookup(h.fake.loops, "/dev/nbd0"), ==, q);
	snprintf(path, sizeof(path), "/local/domain/%u/xlite/loops", res.domid);
	g_assert_cmpint(h.hv.ops->xs_read(&h.hv, path, &loops), ==, 0);
	g_assert_cmpstr(loops, ==, "/dev/nbd0");
	g_assert_cmpint(xlite_domain_destroy(&h.hv, res.domid, &err), ==, 0);
	assert_nothing_left(&h);
	xlite_apply_result_dispose(&res);
	g_unlink(q);
	apply_host_dispose(&h);
}

/* A create of H's plan fails with WANT, its message holds TEXT1 and TEXT2,
 * and nothing is left on the host. */
static void create_fails(struct apply_host *h, int want, const char *text1, const char *text2)
{
	struct xlite_apply_result res;
	g_autofree char *err = NULL;

	xlite_apply_result_init(&res);
	g_assert_cmpint(xlite_apply(&h->hv, &h->plan, &h->opts, &res, &err), ==, want);
	g_test_message("create failed: %s", err);
	g_assert_nonnull(strstr(err, text1));
	g_assert_nonnull(strstr(err, text2));
	assert_nothing_left(h);
	xlite_apply_result_dispose(&res);
}

static void test_a_qcow2_file_that_is_not_one_leaves_nothing(void)
{
	struct apply_host h;
	g_autofree char *xml = NULL;

	apply_host_init(&h, "xlite-boot-XXXXXX");
	/* the fixture's blank disk.img is no qcow2 */
	xml = xml_with_disk("  <os><type>linux</type><kernel>/k</kernel></os>\n",
			    "<driver name='qemu' type='qcow2'/>", h.disk);
	apply_host_plan(&h, xml);
	create_fails(&h, -EINVAL, "disk xvda: ", "is not a qcow2 image");
	apply_host_dispose(&h);
}

/* ---- nbd faults: qemu-nbd failing to start, the device not coming up in
 * time (XLITE_FAULT over the fake, as the lab injects them), and any step
 * after the nbd connect failing: each create fails with the cause and
 * leaves no domain, no node and no nbd device connected. */

/* H plans a kernel-booted guest whose only disk is a qcow2 image in H's
 * dir; the disk's path is returned (g_free). */
static char *plan_qcow2(struct apply_host *h)
{
	g_autofree char *xml = NULL;
	char *q;

	apply_host_init(h, "xlite-boot-XXXXXX");
	q = image(h->dir, "g.qcow2", qcow2_head, sizeof(qcow2_head) - 1);
	xml = xml_with_disk("  <os><type>linux</type><kernel>/k</kernel></os>\n",
			    "<driver name='qemu' type='qcow2'/>", q);
	apply_host_plan(h, xml);
	return q;
}

static bool logged(const struct apply_host *h, const char *op)
{
	for (guint i = 0; i < h->fake.log->len; i++)
		if (strcmp(h->fake.log->pdata[i], op) == 0)
			return true;
	return false;
}

/* XLITE_FAULT=SPEC on a qcow2 create: fails with WANT, naming the disk
 * and nbd_attach, and nothing is left (no nbd device: none was ever connected). */
static void nbd_attach_fails(const char *spec, int want)
{
	struct apply_host h;
	g_autofree char *q = plan_qcow2(&h);

	g_assert_cmpint(xlite_hv_fault_wrap(&h.hv, spec), ==, 0);
	create_fails(&h, want, "preparing devices: disk xvda (", "nbd_attach: injected failure");
	g_assert_cmpuint(g_hash_table_size(h.fake.loops), ==, 0);
	g_assert_false(logged(&h, "domain_unpause"));
	g_unlink(q);
	apply_host_dispose(&h);
}

static void test_qemu_nbd_failing_to_start_leaves_nothing(void)
{
	nbd_attach_fails("nbd_attach:1:2", -ENOENT);	/* "cannot run qemu-nbd" */
}

static void test_an_nbd_device_not_up_in_time_leaves_nothing(void)
{
	nbd_attach_fails("nbd_attach:1:110", -ETIMEDOUT);
}

/* The build fails after qemu-nbd connected the device: rollback
 * disconnects it (nbd_detach) after the domain and its nodes went. */
static void test_a_failure_after_the_nbd_connect_disconnects_it(void)
{
	struct apply_host h;
	g_autofree char *q = plan_qcow2(&h);

	h.fake.fail_op = "build_pv";
	h.fake.fail_at = 1;
	create_fails(&h, -EIO, "building the PV image", "injected failure");
	g_assert_true(logged(&h, "nbd_attach"));
	g_assert_true(logged(&h, "nbd_detach"));
	g_assert_cmpuint(g_hash_table_size(h.fake.loops), ==, 0);
	g_unlink(q);
	apply_host_dispose(&h);
}

/* Every op of a qcow2 create fails in turn: each failure after the nbd
 * connect is rolled back to nothing (apply_fail_each_step checks it). */
static void test_each_step_after_the_nbd_connect_rolls_back(void)
{
	g_autofree char *dir = g_dir_make_tmp("xlite-nbd-XXXXXX", NULL);
	g_autofree char *q = NULL, *xml = NULL;
	unsigned long n_ops = 0, failed;

	g_assert_nonnull(dir);
	q = image(dir, "g.qcow2", qcow2_head, sizeof(qcow2_head) - 1);
	xml = xml_with_disk("  <os><type>linux</type><kernel>/k</kernel></os>\n",
			    "<driver name='qemu' type='qcow2'/>", q);
	failed = apply_fail_each_step(xml, "xlite-boot-XXXXXX", 0, &n_ops);
	g_test_message("%lu of %lu ops failed the create, each leaving nothing", failed, n_ops);
	g_assert_cmpuint(failed, >=, 5);
	g_unlink(q);
	g_rmdir(dir);
}

/* H plans a pygrub guest (PV, or PVH) on the fixture's disk, its GRUB
 * being IMAGE (NULL: the disk itself, any file does for the fake). */
static void plan_disk_boot_as(struct apply_host *h, const char *image, bool pvh)
{
	g_autofree char *xml = NULL;

	apply_host_init(h, "xlite-boot-XXXXXX");
	xml = xml_with_disk(pvh ? "  <bootloader>pygrub</bootloader>\n"
				  "  <os><type machine='xenpvh'>xenpvh</type></os>\n" :
				  "  <bootloader>pygrub</bootloader>\n  <os><type>linux</type></os>\n",
			    "", h->disk);
	apply_host_plan(h, xml);
	xlite_plan_set_boot_image(&h->plan, image ? image : h->disk);
}

static void plan_disk_boot(struct apply_host *h, const char *image)
{
	plan_disk_boot_as(h, image, false);
}

static void test_a_missing_pvgrub2_is_said_before_anything(void)
{
	struct apply_host h;

	plan_disk_boot(&h, "/nonexistent/grub-x86_64-xen.bin");
	create_fails(&h, -ENOENT, "/nonexistent/grub-x86_64-xen.bin is missing",
		     "[boot] grub-image");
	for (guint i = 0; i < h.fake.log->len; i++)	/* no domain was made at all */
		g_assert_cmpstr(h.fake.log->pdata[i], !=, "domain_create");
	apply_host_dispose(&h);
}

static void test_a_missing_pvhgrub_names_its_setting(void)
{
	struct apply_host h;

	plan_disk_boot_as(&h, "/nonexistent/grub-i386-xen_pvh.bin", true);
	create_fails(&h, -ENOENT, "through pvhgrub, but /nonexistent/grub-i386-xen_pvh.bin is missing",
		     "[boot] grub-pvh-image");
	for (guint i = 0; i < h.fake.log->len; i++)
		g_assert_cmpstr(h.fake.log->pdata[i], !=, "domain_create");
	apply_host_dispose(&h);
}

/* pvhgrub is the PVH guest's kernel: built as a PVH image, not a PV one. */
static void test_a_pvh_disk_boot_is_built_as_pvh(void)
{
	struct apply_host h;
	struct xlite_apply_result res;
	g_autofree char *err = NULL;
	bool pvh_built = false;

	plan_disk_boot_as(&h, NULL, true);
	h.opts.boot_timeout_ms = 0;	/* the fake runs no GRUB */
	xlite_apply_result_init(&res);
	g_assert_cmpint(xlite_apply(&h.hv, &h.plan, &h.opts, &res, &err), ==, 0);
	for (guint i = 0; i < h.fake.log->len; i++) {
		g_assert_cmpstr(h.fake.log->pdata[i], !=, "build_pv");
		pvh_built = pvh_built || strcmp(h.fake.log->pdata[i], "build_pvh") == 0;
	}
	g_assert_true(pvh_built);
	g_assert_cmpint(xlite_domain_destroy(&h.hv, res.domid, &err), ==, 0);
	assert_nothing_left(&h);
	xlite_apply_result_dispose(&res);
	apply_host_dispose(&h);
}

/* pvgrub2 without a grub.cfg sits at its prompt: the fake guest never
 * starts a kernel, so the create fails after the timeout, rolled back. */
static void test_no_kernel_from_pvgrub2_fails_the_create(void)
{
	struct apply_host h;

	plan_disk_boot(&h, NULL);
	h.opts.boot_timeout_ms = 300;
	create_fails(&h, -ETIMEDOUT, "pvgrub2 did not start a kernel within 0 s",
		     "no /boot/grub/grub.cfg it can boot");
	apply_host_dispose(&h);
}

/* pvgrub2 goes on at once past a backend still Initialising and finds no
 * disk: a disk-booted guest is not unpaused before blkback took its disks;
 * a blkback that never does fails the create, naming the disk, rolled back. */
static void test_a_disk_boot_waits_for_blkback(void)
{
	struct apply_host h;

	plan_disk_boot(&h, NULL);
	h.fake.blkback_stalls = true;
	h.opts.backend_timeout_ms = 200;
	h.opts.boot_timeout_ms = 300;
	create_fails(&h, -ETIMEDOUT, "blkback did not take disk xvda within 0.2 s",
		     "is in state 1, not InitWait");
	for (guint i = 0; i < h.fake.log->len; i++)	/* never ran */
		g_assert_cmpstr(h.fake.log->pdata[i], !=, "domain_unpause");
	apply_host_dispose(&h);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/boot/parse/pygrub-boots-from-the-disk-without-a-word",
			test_pygrub_boots_from_the_disk_without_a_word);
	g_test_add_func("/boot/parse/no-kernel-boots-from-the-disk-with-a-note",
			test_no_kernel_boots_from_the_disk_with_a_note);
	g_test_add_func("/boot/parse/what-pvgrub2-cannot-honour-is-named",
			test_what_pvgrub2_cannot_honour_is_named);
	g_test_add_func("/boot/parse/bootloader-args-alone-are-dropped",
			test_bootloader_args_alone_are_dropped);
	g_test_add_func("/boot/parse/a-diskless-disk-boot-is-warned-about",
			test_a_diskless_disk_boot_is_warned_about);
	g_test_add_func("/boot/parse/a-pvh-guest-boots-from-its-disk",
			test_a_pvh_guest_boots_from_its_disk);
	g_test_add_func("/boot/plan/says-the-boot-method", test_plan_says_the_boot_method);
	g_test_add_func("/boot/plan/names-pvhgrub-for-a-pvh-guest",
			test_plan_names_pvhgrub_for_a_pvh_guest);
	g_test_add_func("/boot/plan/a-kernel-boot-keeps-its-kernel",
			test_a_kernel_boot_keeps_its_kernel);
	g_test_add_func("/boot/plan/qcow2-on-nbd-raw-on-loops",
			test_qcow2_disks_go_on_nbd_raw_ones_on_loops);
	g_test_add_func("/boot/check/file-disk-on-a-block-device-is-one",
			test_file_disk_on_a_block_device_is_one);
	g_test_add_func("/boot/apply/a-qcow2-disk-is-served-and-released",
			test_a_qcow2_disk_is_served_and_released);
	g_test_add_func("/boot/apply/a-disk-boot-waits-for-blkback",
			test_a_disk_boot_waits_for_blkback);
	g_test_add_func("/boot/apply/a-qcow2-file-that-is-not-one-leaves-nothing",
			test_a_qcow2_file_that_is_not_one_leaves_nothing);
	g_test_add_func("/boot/apply/a-missing-pvgrub2-is-said-before-anything",
			test_a_missing_pvgrub2_is_said_before_anything);
	g_test_add_func("/boot/apply/a-missing-pvhgrub-names-its-setting",
			test_a_missing_pvhgrub_names_its_setting);
	g_test_add_func("/boot/apply/a-pvh-disk-boot-is-built-as-pvh",
			test_a_pvh_disk_boot_is_built_as_pvh);
	g_test_add_func("/boot/nbd/qemu-nbd-failing-to-start-leaves-nothing",
			test_qemu_nbd_failing_to_start_leaves_nothing);
	g_test_add_func("/boot/nbd/a-device-not-up-in-time-leaves-nothing",
			test_an_nbd_device_not_up_in_time_leaves_nothing);
	g_test_add_func("/boot/nbd/a-failure-after-the-connect-disconnects-it",
			test_a_failure_after_the_nbd_connect_disconnects_it);
	g_test_add_func("/boot/nbd/each-step-after-the-connect-rolls-back",
			test_each_step_after_the_nbd_connect_rolls_back);
	g_test_add_func("/boot/apply/no-kernel-from-pvgrub2-fails-the-create",
			test_no_kernel_from_pvgrub2_fails_the_create);
	return g_test_run();
}
