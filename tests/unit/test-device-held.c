/* A disk in use elsewhere, on the fake hypervisor: a file or block device
 * that a vbd backend already serves (xlite's, by its loop device, or xl's,
 * by params) is refused read-write unless both uses are <shareable/>,
 * whatever path names it; read-only uses share; the holder is named; a
 * refused create or attach leaves nothing; the scan costs one xenstore
 * request when no domain has disks. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/device/device.h"
#include "tests/unit/apply-fixture.h"

#define UUID_A "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
#define UUID_B "0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f"

struct fx {
	struct apply_host host;
	struct xlite_apply_result res;
	char *alias;		/* a hard link to host.disk: another path, the same file */
	char *err;
};

/* How a disk is given: "" (read-write), "ro", "share" or "ro,share". */
static char *disk_xml(const char *path, const char *target, const char *how)
{
	return g_strdup_printf("<disk type='file' device='disk'><source file='%s'/>"
			       "<target dev='%s'/>%s%s</disk>", path, target,
			       strstr(how, "ro") ? "<readonly/>" : "",
			       strstr(how, "share") ? "<shareable/>" : "");
}

static void plan(struct fx *f, const char *name, const char *uuid, const char *disks)
{
	g_autofree char *xml = g_strdup_printf(
		"<domain type='xen'><name>%s</name><uuid>%s</uuid>"
		"<memory unit='MiB'>64</memory>"
		"<os><type>linux</type><kernel>/lab/guests/vmlinuz</kernel></os>"
		"<devices>%s</devices></domain>", name, uuid, disks);

	apply_host_plan(&f->host, xml);
}

static int apply(struct fx *f)
{
	xlite_apply_result_dispose(&f->res);
	xlite_apply_result_init(&f->res);
	g_clear_pointer(&f->err, g_free);
	return xlite_apply(&f->host.hv, &f->host.plan, &f->host.opts, &f->res, &f->err);
}

/* Domain "first" runs with the image given HOW. */
static uint32_t first_runs(struct fx *f, const char *how)
{
	g_autofree char *d = disk_xml(f->host.disk, "xvda", how);

	plan(f, "first", UUID_A, d);
	g_assert_cmpint(apply(f), ==, 0);
	return f->res.domid;
}

/* Domain "second" asks for the image (through its other path) given HOW. */
static int second_asks(struct fx *f, const char *how)
{
	g_autofree char *d = disk_xml(f->alias, "xvda", how);

	plan(f, "second", UUID_B, d);
	return apply(f);
}

static void fx_setup(struct fx *f, gconstpointer unused)
{
	(void)unused;
	memset(f, 0, sizeof(*f));
	apply_host_init(&f->host, "test-held-XXXXXX");
	xlite_apply_result_init(&f->res);
	f->alias = g_build_filename(f->host.dir, "alias.img", NULL);
	g_assert_cmpint(link(f->host.disk, f->alias), ==, 0);
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	(void)unused;
	g_unlink(f->alias);
	g_free(f->alias);
	xlite_apply_result_dispose(&f->res);
	apply_host_dispose(&f->host);
	g_free(f->err);
}

/* The domains and loop devices are those of "first" alone. */
static void assert_only_first(struct fx *f, uint32_t first)
{
	g_assert_cmpuint(f->host.fake.doms->len, ==, 2);	/* dom0, first */
	g_assert_nonnull(xlite_hv_fake_dom(&f->host.fake, first));
	g_assert_cmpuint(g_hash_table_size(f->host.fake.loops), ==, 1);
}

static void test_writable_disk_of_a_running_domain_is_refused(struct fx *f, gconstpointer u)
{
	uint32_t first = first_runs(f, "");
	g_autofree char *want = g_strdup_printf("disk %s is in use read-write by domain first (%u); "
						"both must be <shareable/>", f->alias, first);
	unsigned long ops = f->host.fake.n_ops;
	guint i;

	(void)u;
	g_assert_cmpint(second_asks(f, ""), ==, -EBUSY);
	g_assert_cmpstr(f->err, ==, want);
	assert_only_first(f, first);
	/* Refused before anything was made: no op after the checks changed a thing. */
	for (i = ops; i < f->host.fake.log->len; i++) {
		const char *op = f->host.fake.log->pdata[i];

		g_assert_true(strcmp(op, "domain_create") != 0 && strcmp(op, "loop_attach") != 0 &&
			      strcmp(op, "xs_apply") != 0);
	}
}

static void test_read_only_use_beside_a_writer_is_refused(struct fx *f, gconstpointer u)
{
	uint32_t first = first_runs(f, "");

	(void)u;
	g_assert_cmpint(second_asks(f, "ro"), ==, -EBUSY);
	g_assert_nonnull(strstr(f->err, "in use read-write by domain first"));
	assert_only_first(f, first);
}

static void test_writer_beside_a_reader_is_refused(struct fx *f, gconstpointer u)
{
	uint32_t first = first_runs(f, "ro");
	g_autofree char *want = g_strdup_printf("disk %s is in use read-only by domain first (%u); "
						"it can only be added read-only, or read-write "
						"when both are <shareable/>", f->alias, first);

	(void)u;
	g_assert_cmpint(second_asks(f, ""), ==, -EBUSY);
	g_assert_cmpstr(f->err, ==, want);
	assert_only_first(f, first);
}

static void test_writer_beside_a_shareable_writer_is_refused(struct fx *f, gconstpointer u)
{
	(void)u;
	first_runs(f, "share");
	g_assert_cmpint(second_asks(f, ""), ==, -EBUSY);
	g_assert_nonnull(strstr(f->err, "in use read-write (shareable) by domain first"));
}

static void test_readers_share(struct fx *f, gconstpointer u)
{
	(void)u;
	first_runs(f, "ro");
	g_assert_cmpint(second_asks(f, "ro"), ==, 0);
	g_assert_cmpuint(g_hash_table_size(f->host.fake.loops), ==, 2);
}

static void test_shareable_writers_share(struct fx *f, gconstpointer u)
{
	g_autofree char *mode = NULL;

	(void)u;
	first_runs(f, "share");
	g_assert_cmpint(second_asks(f, "share"), ==, 0);
	mode = g_strdup_printf("/local/domain/0/backend/vbd/%u/51712/mode", f->res.domid);
	g_assert_cmpstr(g_tree_lookup(f->host.fake.xs, mode), ==, "w!");
}

/* xl's backend before its block script ran: params is the file, no
 * physical-device; the domain has no xlite record at all. */
static void test_xl_domain_holding_the_file_counts(struct fx *f, gconstpointer u)
{
	struct xlite_hv_create c = { .max_vcpus = 1 };
	struct xsc_batch batch;
	char be[96], p[4][128];
	uint32_t xl_dom;
	unsigned int i;

	(void)u;
	g_assert_cmpint(f->host.hv.ops->domain_create(&f->host.hv, &c, &xl_dom), ==, 0);
	snprintf(be, sizeof(be), "/local/domain/0/backend/vbd/%u/51712", xl_dom);
	snprintf(p[0], sizeof(p[0]), "/local/domain/%u/name", xl_dom);
	snprintf(p[1], sizeof(p[1]), "%s/params", be);
	snprintf(p[2], sizeof(p[2]), "%s/mode", be);
	snprintf(p[3], sizeof(p[3]), "%s/type", be);
	xsc_batch_init(&batch);
	xsc_batch_write(&batch, p[0], "xlguest");
	xsc_batch_write(&batch, p[1], f->host.disk);
	xsc_batch_write(&batch, p[2], "w");
	xsc_batch_write(&batch, p[3], "phy");
	g_assert_cmpint(f->host.hv.ops->xs_apply(&f->host.hv, &batch), ==, 0);
	xsc_batch_dispose(&batch);
	g_assert_cmpint(second_asks(f, ""), ==, -EBUSY);
	g_assert_nonnull(strstr(f->err, "by domain xlguest ("));
	/* A backend directory of a domain that is gone is a leftover, not a use. */
	g_assert_cmpint(f->host.hv.ops->domain_destroy(&f->host.hv, xl_dom), ==, 0);
	g_assert_cmpint(second_asks(f, ""), ==, 0);
	for (i = 0; i < 4; i++)
		f->host.hv.ops->xs_rm(&f->host.hv, p[i]);
}

static void test_one_domain_cannot_take_a_file_twice(struct fx *f, gconstpointer u)
{
	g_autofree char *a = disk_xml(f->host.disk, "xvda", "");
	g_autofree char *b = disk_xml(f->alias, "xvdb", "ro");
	g_autofree char *both = g_strconcat(a, b, NULL);

	(void)u;
	plan(f, "twice", UUID_A, both);
	g_assert_cmpint(apply(f), ==, -EBUSY);
	g_assert_nonnull(strstr(f->err, "is attached twice (xvda and xvdb)"));
	assert_nothing_left(&f->host);
}

static void test_block_attach_of_a_held_disk_is_refused(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = { 0 };
	uint32_t second;
	g_autofree char *fe = NULL;

	(void)u;
	first_runs(f, "");
	/* A second domain without disks, then the image hotplugged into it. */
	plan(f, "second", UUID_B, "");
	g_assert_cmpint(apply(f), ==, 0);
	second = f->res.domid;
	d.type = XLITE_DISK_FILE;
	d.source = f->alias;
	d.target = (char *)"xvdb";
	g_assert_cmpint(xlite_device_disk_attach_check(&f->host.hv, second, &d), ==, -EBUSY);
	g_assert_cmpint(xlite_device_disk_attach(&f->host.hv, second, &d), ==, -EBUSY);
	g_assert_nonnull(strstr(xlite_hv_error(&f->host.hv), "in use read-write by domain first"));
	fe = g_strdup_printf("/local/domain/%u/device/vbd/51728", second);
	g_assert_null(g_tree_lookup(f->host.fake.xs, fe));
	g_assert_cmpuint(g_hash_table_size(f->host.fake.loops), ==, 1);
	/* Read-only beside a writer does not do either. */
	d.readonly = true;
	g_assert_cmpint(xlite_device_disk_attach(&f->host.hv, second, &d), ==, -EBUSY);
}

static void test_block_attach_of_a_shared_disk_as_shareable_works(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = { 0 };

	(void)u;
	first_runs(f, "share");
	plan(f, "second", UUID_B, "");
	g_assert_cmpint(apply(f), ==, 0);
	d.type = XLITE_DISK_FILE;
	d.source = f->alias;
	d.target = (char *)"xvdb";
	g_assert_cmpint(xlite_device_disk_attach(&f->host.hv, f->res.domid, &d), ==, -EBUSY);
	d.shareable = true;
	g_assert_cmpint(xlite_device_disk_attach(&f->host.hv, f->res.domid, &d), ==, 0);
	g_assert_cmpuint(g_hash_table_size(f->host.fake.loops), ==, 2);
}

/* The scan's price: one directory listing when no domain has disks; then
 * one listing per domain with vbds and one read per vbd. */
static void test_scan_costs_one_request_without_other_disks(struct fx *f, gconstpointer u)
{
	g_autofree char *d = disk_xml(f->host.disk, "xvda", "");
	unsigned long before;

	(void)u;
	plan(f, "first", UUID_A, d);
	before = f->host.fake.xs_requests;
	g_assert_cmpint(xlite_devices_check_held(&f->host.hv, &f->host.plan), ==, 0);
	g_assert_cmpuint(f->host.fake.xs_requests - before, ==, 1);
	g_assert_cmpint(apply(f), ==, 0);
	plan(f, "second", UUID_B, d);
	before = f->host.fake.xs_requests;
	g_assert_cmpint(xlite_devices_check_held(&f->host.hv, &f->host.plan), ==, -EBUSY);
	/* backend/vbd, backend/vbd/D, its physical-device, mode, the name */
	g_assert_cmpuint(f->host.fake.xs_requests - before, ==, 5);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *path;
		void (*fn)(struct fx *, gconstpointer);
	} tests[] = {
		{ "writable-disk-of-a-running-domain-is-refused",
		  test_writable_disk_of_a_running_domain_is_refused },
		{ "read-only-use-beside-a-writer-is-refused",
		  test_read_only_use_beside_a_writer_is_refused },
		{ "writer-beside-a-reader-is-refused", test_writer_beside_a_reader_is_refused },
		{ "writer-beside-a-shareable-writer-is-refused",
		  test_writer_beside_a_shareable_writer_is_refused },
		{ "readers-share", test_readers_share },
		{ "shareable-writers-share", test_shareable_writers_share },
		{ "xl-domain-holding-the-file-counts", test_xl_domain_holding_the_file_counts },
		{ "one-domain-cannot-take-a-file-twice", test_one_domain_cannot_take_a_file_twice },
		{ "block-attach-of-a-held-disk-is-refused",
		  test_block_attach_of_a_held_disk_is_refused },
		{ "block-attach-of-a-shared-disk-as-shareable-works",
		  test_block_attach_of_a_shared_disk_as_shareable_works },
		{ "scan-costs-one-request-without-other-disks",
		  test_scan_costs_one_request_without_other_disks },
	};
	size_t i;

	g_test_init(&argc, &argv, NULL);
	for (i = 0; i < G_N_ELEMENTS(tests); i++) {
		g_autofree char *path = g_strconcat("/device/held/", tests[i].path, NULL);

		g_test_add(path, struct fx, NULL, fx_setup, tests[i].fn, fx_teardown);
	}
	return g_test_run();
}
