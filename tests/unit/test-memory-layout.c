/* A guest's memory layout beyond the default (issue 13): a PV guest with
 * e820_host gets the host's E820 reshaped around its RAM (libxl's
 * e820_sanitize, pure, then given to Xen before the build); a PVH guest
 * below its <memory> starts in populate-on-demand mode, and a target
 * change moves its PoD target as libxl_set_memory_target does. The fake
 * hypervisor plays Xen; each failing step leaves nothing behind. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "libtool/memory/e820.h"
#include "libtool/memory/memory.h"
#include "libtool/report/report.h"
#include "libtool/save/save.h"
#include "tests/unit/apply-fixture.h"

#define MIB (1024ULL * 1024)
#define GIB4 (1ULL << 32)

/* The lab's host map (QEMU q35, 3 GiB), as Xen prints it at boot. */
#define lab xlite_hv_fake_lab_e820

static void assert_entry(const struct xlite_e820 *e, uint64_t addr, uint64_t size, uint32_t type)
{
	g_test_message("entry [%#llx, +%#llx) type %u", (unsigned long long)e->addr,
		       (unsigned long long)e->size, e->type);
	g_assert_cmphex(e->addr, ==, addr);
	g_assert_cmphex(e->size, ==, size);
	g_assert_cmpuint(e->type, ==, type);
}

/* 256 MiB of RAM, 256 more to balloon into: RAM from 0, the host's RAM
 * above it unusable up to its first reserved range, the reserved ranges
 * above 1 MiB as they are, the host's own RAM left out, the balloon's
 * room at 4 GiB. */
static void test_sanitize_keeps_the_hosts_ranges_around_the_guests_ram(void)
{
	struct xlite_e820 out[XLITE_E820_MAX];
	unsigned int n = 0;
	char *err = NULL;

	g_assert_cmpint(xlite_e820_sanitize(lab, XLITE_HV_FAKE_LAB_E820_N, 256 * 1024, 256 * 1024,
					    out, &n, &err), ==, 0);
	g_assert_null(err);
	g_assert_cmpuint(n, ==, 8);
	assert_entry(&out[0], 0, 256 * MIB, XLITE_E820_RAM);
	assert_entry(&out[1], 256 * MIB, 0x7ffdf000 - 256 * MIB, XLITE_E820_UNUSABLE);
	assert_entry(&out[2], 0x7ffdf000, 0x21000, XLITE_E820_RESERVED);
	assert_entry(&out[3], 0xb0000000, 0x10000000, XLITE_E820_RESERVED);
	assert_entry(&out[4], 0xfed1c000, 0x4000, XLITE_E820_RESERVED);
	assert_entry(&out[5], 0xfffc0000, 0x40000, XLITE_E820_RESERVED);
	assert_entry(&out[6], 0xfd00000000, 0x300000000, XLITE_E820_RESERVED);
	assert_entry(&out[7], GIB4, 256 * MIB, XLITE_E820_RAM);
}

/* No balloon room (target = max): no RAM entry above 4 GiB. */
static void test_sanitize_without_balloon_room_adds_no_high_ram(void)
{
	struct xlite_e820 out[XLITE_E820_MAX];
	unsigned int n = 0, i;
	char *err = NULL;

	g_assert_cmpint(xlite_e820_sanitize(lab, XLITE_HV_FAKE_LAB_E820_N, 160 * 1024, 0, out, &n, &err),
			==, 0);
	g_assert_cmpuint(n, ==, 7);
	for (i = 1; i < n; i++)
		g_assert_cmpuint(out[i].type, !=, XLITE_E820_RAM);
}

/* RAM that would reach the host's first reserved range is cut there, and
 * what was cut comes back above 4 GiB with the balloon's room. */
static void test_sanitize_moves_ram_above_the_first_reserved_range(void)
{
	struct xlite_e820 out[XLITE_E820_MAX];
	uint64_t cut = 2560 * MIB - 0x7ffdf000ULL;
	unsigned int n = 0;
	char *err = NULL;

	g_assert_cmpint(xlite_e820_sanitize(lab, XLITE_HV_FAKE_LAB_E820_N, 2560 * 1024, 512 * 1024,
					    out, &n, &err), ==, 0);
	/* RAM up to 0x7ffdf000, no gap, the five reserved ranges, high RAM */
	g_assert_cmpuint(n, ==, 7);
	assert_entry(&out[0], 0, 0x7ffdf000, XLITE_E820_RAM);
	assert_entry(&out[1], 0x7ffdf000, 0x21000, XLITE_E820_RESERVED);
	assert_entry(&out[6], GIB4, cut + 512 * MIB, XLITE_E820_RAM);
}

/* A host range at 4 GiB: the balloon's room goes above it, not over it
 * (libxl would put it at 4 GiB whatever lies there). */
static void test_sanitize_puts_the_balloon_past_what_is_at_4_gib(void)
{
	static const struct xlite_e820 host[] = {
		{ 0x0, 0x9fc00, XLITE_E820_RAM },
		{ 0x100000, 0x7ff00000, XLITE_E820_RAM },
		{ 0xfec00000, 0x1000, XLITE_E820_RESERVED },
		{ 0x100000000, 0x1000000, XLITE_E820_RESERVED },
		{ 0x101000000, 0x1000, XLITE_E820_NVS },
	};
	struct xlite_e820 out[XLITE_E820_MAX];
	unsigned int n = 0;
	char *err = NULL;

	g_assert_cmpint(xlite_e820_sanitize(host, G_N_ELEMENTS(host), 128 * 1024, 64 * 1024,
					    out, &n, &err), ==, 0);
	g_assert_cmpuint(n, ==, 6);
	assert_entry(&out[0], 0, 128 * MIB, XLITE_E820_RAM);
	/* the host's RAM starts at 1 MiB, so is left out as libxl does: the
	 * gap up to the first reserved range is one unusable entry */
	assert_entry(&out[1], 128 * MIB, 0xfec00000 - 128 * MIB, XLITE_E820_UNUSABLE);
	assert_entry(&out[5], 0x101001000, 64 * MIB, XLITE_E820_RAM);
}

/* A map from nowhere, or one too long to add the guest's entries to. */
static void test_sanitize_refuses_what_it_cannot_map(void)
{
	struct xlite_e820 big[XLITE_E820_MAX], out[XLITE_E820_MAX];
	unsigned int n = 7, i;
	char *err = NULL;

	g_assert_cmpint(xlite_e820_sanitize(lab, 0, 256 * 1024, 0, out, &n, &err), ==, -EINVAL);
	g_assert_cmpuint(n, ==, 0);
	g_assert_nonnull(strstr(err, "the host's memory map has 0 entries"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlite_e820_sanitize(lab, XLITE_HV_FAKE_LAB_E820_N, 0, 0, out, &n, &err), ==,
			-EINVAL);
	g_clear_pointer(&err, g_free);
	for (i = 0; i < G_N_ELEMENTS(big); i++) {
		big[i].addr = 0x200000 + (uint64_t)i * 0x1000;
		big[i].size = 0x1000;
		big[i].type = XLITE_E820_RESERVED;
	}
	g_assert_cmpint(xlite_e820_sanitize(big, G_N_ELEMENTS(big), 256 * 1024, 0, out, &n, &err),
			==, -E2BIG);
	g_assert_nonnull(strstr(err, "128 entries, more than 125"));
	g_free(err);
}

#define E820_XML \
	"<domain type='xen'><name>e820</name>" \
	"<memory unit='MiB'>512</memory><currentMemory unit='MiB'>256</currentMemory>" \
	"<features><xen><e820_host state='on'/></xen></features>" \
	"<os><type>linux</type><kernel>/k</kernel></os></domain>"

static bool logged(struct apply_host *h, const char *op)
{
	return g_ptr_array_find_with_equal_func(h->fake.log, op, g_str_equal, NULL);
}

/* The create gives the domain the sanitized host map in place of the
 * memory map limit, before the build, and records e820_host for describe. */
static void test_e820_host_create_gives_the_guest_the_hosts_map(void)
{
	struct xlite_apply_result res;
	struct xlite_hv_fake_dom *d;
	struct apply_host h;
	char *err = NULL, *xml = NULL;
	guint i, map = 0, build = 0;

	apply_host_init(&h, "xlite-test-layout-XXXXXX");
	apply_host_plan(&h, E820_XML);
	g_assert_true(h.plan.e820_host);
	xlite_apply_result_init(&res);
	g_assert_cmpint(xlite_apply(&h.hv, &h.plan, &h.opts, &res, &err), ==, 0);
	d = xlite_hv_fake_dom(&h.fake, res.domid);
	g_assert_cmpuint(d->n_memmap, ==, 8);
	assert_entry(&d->memmap[0], 0, 256 * MIB, XLITE_E820_RAM);
	assert_entry(&d->memmap[3], 0xb0000000, 0x10000000, XLITE_E820_RESERVED);
	assert_entry(&d->memmap[7], GIB4, 256 * MIB, XLITE_E820_RAM);
	g_assert_false(logged(&h, "domain_memmap_limit"));
	for (i = 0; i < h.fake.log->len; i++) {
		if (strcmp(h.fake.log->pdata[i], "domain_memory_map") == 0)
			map = i;
		if (strcmp(h.fake.log->pdata[i], "build_pv") == 0)
			build = i;
	}
	g_assert_cmpuint(map, >, 0);
	g_assert_cmpuint(map, <, build);
	/* what a save or a restart by the daemon writes back */
	g_assert_cmpint(xlite_domain_describe(&h.hv, res.domid, &xml, &err), ==, 0);
	g_assert_nonnull(strstr(xml, "<e820_host state='on'/>"));
	g_free(xml);
	xlite_apply_result_dispose(&res);
	apply_host_dispose(&h);
}

/* Reading the host's map or giving it to the domain fails: the create
 * fails saying which, and leaves nothing. */
static void test_e820_host_failures_leave_nothing(void)
{
	static const char *const ops[] = { "machine_memory_map", "domain_memory_map" };
	static const char *const says[] = {
		"e820_host: reading the host's memory map: machine_memory_map: injected failure",
		"e820_host: giving domain 1 the host's memory map: domain_memory_map: injected failure",
	};
	unsigned long n_ops = 0;
	guint i;

	for (i = 0; i < G_N_ELEMENTS(ops); i++) {
		struct xlite_apply_result res;
		struct apply_host h;
		char *err = NULL;

		apply_host_init(&h, "xlite-test-layout-XXXXXX");
		apply_host_plan(&h, E820_XML);
		h.fake.fail_op = ops[i];
		h.fake.fail_at = 1;
		xlite_apply_result_init(&res);
		g_assert_cmpint(xlite_apply(&h.hv, &h.plan, &h.opts, &res, &err), ==, -EIO);
		g_test_message("%s", err);
		g_assert_nonnull(strstr(err, says[i]));
		assert_nothing_left(&h);
		g_free(err);
		xlite_apply_result_dispose(&res);
		apply_host_dispose(&h);
	}
	/* any step failing: nothing left */
	g_assert_cmpuint(apply_fail_each_step(E820_XML, "xlite-test-layout-XXXXXX", 0, &n_ops), >,
			 0);
}

#define POD_XML \
	"<domain type='xen'><name>pod</name>" \
	"<memory unit='MiB'>512</memory><currentMemory unit='MiB'>192</currentMemory>" \
	"<os><type>xenpvh</type><kernel>/k</kernel></os></domain>"

/* 512 MiB of guest memory, 192 populated: the build gets both, the rest
 * is left to populate-on-demand; the report shows Xen's PoD figures. */
static void test_pvh_below_its_memory_is_built_with_pod(void)
{
	struct xlite_apply_result res;
	struct xlite_report_mem lm;
	struct xlite_hv_fake_dom *d;
	struct apply_host h;
	unsigned long n_ops = 0;
	char *err = NULL;

	apply_host_init(&h, "xlite-test-layout-XXXXXX");
	apply_host_plan(&h, POD_XML);
	g_assert_true(h.plan.pod);
	xlite_apply_result_init(&res);
	g_assert_cmpint(xlite_apply(&h.hv, &h.plan, &h.opts, &res, &err), ==, 0);
	d = xlite_hv_fake_dom(&h.fake, res.domid);
	g_assert_cmpuint(d->info.tot_kib, ==, 192 * 1024);
	g_assert_cmpuint(d->pod_entries, ==, (512 - 192) * 256);
	g_assert_true(xlite_report_mem_read(&h.hv, res.domid, &lm, &err));
	g_assert_true(lm.pod_known);
	g_assert_cmpuint(lm.pod.entries, ==, (512 - 192) * 256);
	/* a PV domain (dom0) has no PoD figures */
	g_assert_true(xlite_report_mem_read(&h.hv, 0, &lm, &err));
	g_assert_false(lm.pod_known);
	xlite_apply_result_dispose(&res);
	apply_host_dispose(&h);
	/* any step failing, the build's included: nothing left */
	g_assert_cmpuint(apply_fail_each_step(POD_XML, "xlite-test-layout-XXXXXX", 0, &n_ops), >,
			 0);
}

/* mem-set of a PVH guest: Xen's limit, then the PoD target (the limit's
 * pages, as libxl), then the balloon's target; a PoD target Xen refuses
 * leaves the balloon's target as it was. A PV guest gets no PoD target. */
static void test_mem_set_moves_the_pod_target(void)
{
	struct xlite_apply_result res;
	struct xlite_hv_fake_dom *d;
	struct apply_host h;
	char *err = NULL;
	const char *target;
	g_autofree char *path = NULL;

	apply_host_init(&h, "xlite-test-layout-XXXXXX");
	apply_host_plan(&h, POD_XML);
	xlite_apply_result_init(&res);
	g_assert_cmpint(xlite_apply(&h.hv, &h.plan, &h.opts, &res, &err), ==, 0);
	d = xlite_hv_fake_dom(&h.fake, res.domid);
	path = g_strdup_printf("/local/domain/%u/memory/target", res.domid);
	g_assert_cmpint(xlite_mem_set_target(&h.hv, res.domid, 256 * 1024, &err), ==, 0);
	g_assert_cmpuint(d->pod_target_pages, ==, (256 * 1024 + XLITE_MAXMEM_SLACK_KIB) / 4);
	target = g_tree_lookup(h.fake.xs, path);
	g_assert_cmpstr(target, ==, "262144");

	h.fake.fail_op = "domain_pod_target";
	h.fake.fail_at = 1;
	g_assert_cmpint(xlite_mem_set_target(&h.hv, res.domid, 300 * 1024, &err), ==, -EIO);
	g_assert_nonnull(strstr(err, "domain_pod_target: injected failure"));
	g_clear_pointer(&err, g_free);
	target = g_tree_lookup(h.fake.xs, path);
	g_assert_cmpstr(target, ==, "262144");

	/* dom0 is PV: its target moves without a PoD target */
	h.fake.fail_at = 0;
	g_ptr_array_set_size(h.fake.log, 0);
	g_assert_cmpint(xlite_mem_apply_target(&h.hv, 0, 700 * 1024, &err), ==, 0);
	g_assert_false(logged(&h, "domain_pod_target"));
	xlite_apply_result_dispose(&res);
	apply_host_dispose(&h);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/memory/e820/sanitize-keeps-the-hosts-ranges-around-the-guests-ram",
			test_sanitize_keeps_the_hosts_ranges_around_the_guests_ram);
	g_test_add_func("/memory/e820/sanitize-without-balloon-room-adds-no-high-ram",
			test_sanitize_without_balloon_room_adds_no_high_ram);
	g_test_add_func("/memory/e820/sanitize-moves-ram-above-the-first-reserved-range",
			test_sanitize_moves_ram_above_the_first_reserved_range);
	g_test_add_func("/memory/e820/sanitize-puts-the-balloon-past-what-is-at-4-gib",
			test_sanitize_puts_the_balloon_past_what_is_at_4_gib);
	g_test_add_func("/memory/e820/sanitize-refuses-what-it-cannot-map",
			test_sanitize_refuses_what_it_cannot_map);
	g_test_add_func("/memory/e820/create-gives-the-guest-the-hosts-map",
			test_e820_host_create_gives_the_guest_the_hosts_map);
	g_test_add_func("/memory/e820/failures-leave-nothing", test_e820_host_failures_leave_nothing);
	g_test_add_func("/memory/pod/pvh-below-its-memory-is-built-with-pod",
			test_pvh_below_its_memory_is_built_with_pod);
	g_test_add_func("/memory/pod/mem-set-moves-the-pod-target", test_mem_set_moves_the_pod_target);
	return g_test_run();
}
