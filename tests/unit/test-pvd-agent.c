/* The guest agent: /proc/meminfo parsing and the report it writes to the
 * guest's xenstore area (through the test platform). */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "pv-drivers/core/agent.h"
#include "pv-drivers/platform/linux-user/meminfo.h"
#include "pv-drivers/platform/test/testplat.h"

static const char sample[] =
	"MemTotal:         160432 kB\n"
	"MemFree:          101284 kB\n"
	"MemAvailable:     120076 kB\n"
	"Buffers:              12 kB\n"
	"Cached:            30000 kB\n"
	"SwapCached:            0 kB\n"
	"SwapTotal:         65532 kB\n"
	"SwapFree:          65000 kB\n"
	"HugePages_Total:       0\n"
	"Hugepagesize:       2048 kB\n";

static void test_meminfo_parses_the_fields_it_reports(void)
{
	struct pvd_meminfo m;
	struct pvd_err e = { 0 };

	g_assert_cmpint(pvd_meminfo_parse(sample, &m, &e), ==, 0);
	g_assert_cmpuint(m.total_kib, ==, 160432);
	g_assert_cmpuint(m.free_kib, ==, 101284);
	g_assert_cmpuint(m.available_kib, ==, 120076);
	g_assert_cmpuint(m.swap_total_kib, ==, 65532);
	g_assert_cmpuint(m.swap_free_kib, ==, 65000);
}

static void test_meminfo_without_available_or_swap_falls_back(void)
{
	struct pvd_meminfo m;
	struct pvd_err e = { 0 };

	g_assert_cmpint(pvd_meminfo_parse("MemTotal: 1000 kB\nMemFree: 400 kB\n",
					  &m, &e), ==, 0);
	g_assert_cmpuint(m.available_kib, ==, 400);
	g_assert_cmpuint(m.swap_total_kib, ==, 0);
	g_assert_cmpuint(m.swap_free_kib, ==, 0);
}

static void test_meminfo_refuses_nonsense(void)
{
	static const char *const bad[] = {
		"",
		"MemFree: 400 kB\n",					/* no total */
		"MemTotal: 1000 kB\n",					/* no free */
		"MemTotal: 0 kB\nMemFree: 0 kB\n",
		"MemTotal: abc kB\nMemFree: 1 kB\n",
		"MemTotal: 1000 MB\nMemFree: 1 kB\n",			/* unit */
		"MemTotal: 1000 kB\nMemFree: 2000 kB\n",		/* free > total */
		"MemTotal: 1000 kB\nMemFree: 1 kB\nMemAvailable: 1001 kB\n",
		"MemTotal: 1000 kB\nMemFree: 1 kB\nSwapTotal: 1 kB\nSwapFree: 2 kB\n",
		"MemTotal: 99999999999999999999 kB\nMemFree: 1 kB\n",
		"MemTotalx: 1000 kB\nMemFree: 1 kB\n",
	};
	struct pvd_meminfo m;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct pvd_err e = { 0 };

		g_assert_cmpint(pvd_meminfo_parse(bad[i], &m, &e), ==, -EINVAL);
		g_assert_nonnull(strstr(e.msg, "meminfo"));
	}
}

static void test_meminfo_reads_a_file(void)
{
	g_autofree char *path = g_build_filename(g_get_tmp_dir(), "pvd-meminfo-XXXXXX", NULL);
	struct pvd_meminfo m;
	struct pvd_err e = { 0 };
	int fd = g_mkstemp(path);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, sample, strlen(sample)), ==, (ssize_t)strlen(sample));
	close(fd);
	g_assert_cmpint(pvd_meminfo_read(path, &m, &e), ==, 0);
	g_assert_cmpuint(m.total_kib, ==, 160432);
	g_unlink(path);
	g_assert_cmpint(pvd_meminfo_read(path, &m, &e), ==, -ENOENT);
	g_assert_nonnull(strstr(e.msg, path));
}

static char *node(struct pvd_test *t, const char *name)
{
	g_autofree char *path = g_strdup_printf("/local/domain/7/data/%s", name);

	return pvd_test_xs_get(t, path);
}

static void test_report_lands_in_the_guests_data_area(void)
{
	struct pvd_test *t = pvd_test_new(7);
	struct pvd_platform *p = pvd_test_platform(t);
	struct pvd_meminfo m = { 1000, 200, 300, 50, 40 };
	static const char *const names[] = {
		"meminfo_total", "meminfo_free", "meminfo_available",
		"meminfo_swap_total", "meminfo_swap_free", "meminfo_seq",
	};
	static const char *const want1[] = { "1000", "200", "300", "50", "40", "1" };
	static const char *const want2[] = { "1000", "100", "150", "50", "40", "2" };
	size_t i;

	g_assert_cmpint(pvd_agent_publish(p, &m, 1), ==, 0);
	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *v = node(t, names[i]);

		g_assert_cmpstr(v, ==, want1[i]);
	}
	/* The guest allocates memory: the next report says so. */
	m.free_kib = 100;
	m.available_kib = 150;
	pvd_test_xs_fail_commits(t, 2);		/* and xenstore is busy */
	g_assert_cmpint(pvd_agent_publish(p, &m, 2), ==, 0);
	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *v = node(t, names[i]);

		g_assert_cmpstr(v, ==, want2[i]);
	}
	pvd_test_free(t);
}

/* A report is all or nothing: a transaction that never commits leaves
 * the previous report whole. */
static void test_failed_report_leaves_the_last_one_whole(void)
{
	struct pvd_test *t = pvd_test_new(7);
	struct pvd_platform *p = pvd_test_platform(t);
	struct pvd_meminfo m = { 1000, 200, 300, 0, 0 };
	g_autofree char *free1 = NULL, *seq1 = NULL;

	g_assert_cmpint(pvd_agent_publish(p, &m, 1), ==, 0);
	m.free_kib = 10;
	pvd_test_xs_fail_commits(t, 1000);
	g_assert_cmpint(pvd_agent_publish(p, &m, 2), ==, -EAGAIN);
	g_assert_nonnull(strstr(p->err.msg, "transaction"));
	free1 = node(t, "meminfo_free");
	seq1 = node(t, "meminfo_seq");
	g_assert_cmpstr(free1, ==, "200");
	g_assert_cmpstr(seq1, ==, "1");
	pvd_test_free(t);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pvd/agent/meminfo-parses-the-fields-it-reports",
			test_meminfo_parses_the_fields_it_reports);
	g_test_add_func("/pvd/agent/meminfo-without-available-or-swap-falls-back",
			test_meminfo_without_available_or_swap_falls_back);
	g_test_add_func("/pvd/agent/meminfo-refuses-nonsense", test_meminfo_refuses_nonsense);
	g_test_add_func("/pvd/agent/meminfo-reads-a-file", test_meminfo_reads_a_file);
	g_test_add_func("/pvd/agent/report-lands-in-the-guests-data-area",
			test_report_lands_in_the_guests_data_area);
	g_test_add_func("/pvd/agent/failed-report-leaves-the-last-one-whole",
			test_failed_report_leaves_the_last_one_whole);
	return g_test_run();
}
