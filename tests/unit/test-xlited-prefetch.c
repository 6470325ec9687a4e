/* xlited's read-ahead of many domains' xenstore nodes (prefetch.c): the
 * library, given the prefetching hypervisor, reads what was read ahead
 * without a round trip each and falls through to the real one for the
 * rest, with the same answers either way. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "libtool/hv/hv.h"
#include "libtool/apply/domain.h"
#include "libtool/report/report.h"
#include "xlited/xlited.h"

/* A hypervisor of three domains whose xenstore is a table, counting reads. */
struct toy {
	GHashTable *xs;		/* path -> value */
	unsigned int reads;
};

static const uint32_t toy_ids[] = { 0, 3, 7 };

static void toy_info(uint32_t domid, struct xlite_dominfo *info)
{
	memset(info, 0, sizeof(*info));
	info->domid = domid;
	info->tot_kib = 16384 * (domid + 1);
	info->max_kib = 32768 * (domid + 1);
	info->vcpus_online = 1;
}

static int toy_domain_list(struct xlite_hv *hv, struct xlite_dominfo **infos, size_t *n)
{
	size_t i;

	(void)hv;
	*n = G_N_ELEMENTS(toy_ids);
	*infos = g_new0(struct xlite_dominfo, *n);
	for (i = 0; i < *n; i++)
		toy_info(toy_ids[i], &(*infos)[i]);
	return 0;
}

static int toy_domain_info(struct xlite_hv *hv, uint32_t domid, struct xlite_dominfo *info)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(toy_ids); i++)
		if (toy_ids[i] == domid) {
			toy_info(domid, info);
			return 0;
		}
	return xlite_hv_fail(hv, -ESRCH, "no domain %u", domid);
}

static int toy_xs_read(struct xlite_hv *hv, const char *path, char **value)
{
	struct toy *t = hv->priv;
	const char *v = g_hash_table_lookup(t->xs, path);

	t->reads++;
	*value = NULL;
	if (!v)
		return xlite_hv_fail(hv, -ENOENT, "%s: not there", path);
	*value = g_strdup(v);
	return 0;
}

static struct xlite_hv_ops toy_ops;

static void toy_open(struct xlite_hv *hv, struct toy *t)
{
	memset(&toy_ops, 0, sizeof(toy_ops));
	toy_ops.domain_list = toy_domain_list;
	toy_ops.domain_info = toy_domain_info;
	toy_ops.xs_read = toy_xs_read;
	t->xs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	t->reads = 0;
	g_hash_table_insert(t->xs, g_strdup("/local/domain/3/name"), g_strdup("web"));
	g_hash_table_insert(t->xs, g_strdup("/local/domain/3/memory/target"), g_strdup("60000"));
	g_hash_table_insert(t->xs, g_strdup("/local/domain/3/memory/static-max"),
			    g_strdup("131072"));
	g_hash_table_insert(t->xs, g_strdup("/local/domain/3/xlite/memory-min"), g_strdup("40000"));
	g_hash_table_insert(t->xs, g_strdup("/local/domain/3/data/meminfo_total"),
			    g_strdup("60000"));
	g_hash_table_insert(t->xs, g_strdup("/local/domain/3/data/meminfo_available"),
			    g_strdup("20000"));
	g_hash_table_insert(t->xs, g_strdup("/local/domain/3/data/meminfo_seq"), g_strdup("9"));
	g_hash_table_insert(t->xs, g_strdup("/local/domain/7/name"), g_strdup("db"));
	memset(hv, 0, sizeof(*hv));
	hv->ops = &toy_ops;
	hv->priv = t;
}

/* The real hypervisor's table, read ahead as xlited_prefetch_domains
 * records it (a missing node as NULL). */
static void read_ahead_from_toy(struct xlited_prefetch *p, struct toy *t, bool names_only)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	struct xlite_dominfo *infos = NULL;
	size_t n = 0;
	guint i;

	toy_domain_list(NULL, &infos, &n);
	xlited_prefetch_paths(paths, infos, n, names_only);
	for (i = 0; i < paths->len; i++)
		xlited_prefetch_put(p, paths->pdata[i],
				    g_strdup(g_hash_table_lookup(t->xs, paths->pdata[i])));
	g_free(infos);
}

static void test_paths_are_what_a_list_entry_reads(void)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	struct xlite_dominfo infos[2];

	toy_info(3, &infos[0]);
	toy_info(12, &infos[1]);
	xlited_prefetch_paths(paths, infos, 2, true);
	g_assert_cmpuint(paths->len, ==, 2);
	g_assert_cmpstr(paths->pdata[0], ==, "/local/domain/3/name");
	g_assert_cmpstr(paths->pdata[1], ==, "/local/domain/12/name");
	g_ptr_array_set_size(paths, 0);
	xlited_prefetch_paths(paths, infos, 2, false);
	g_assert_cmpuint(paths->len, ==, 14);
	g_assert_cmpstr(paths->pdata[1], ==, "/local/domain/3/memory/target");
	g_assert_cmpstr(paths->pdata[6], ==, "/local/domain/3/data/meminfo_seq");
	g_assert_cmpstr(paths->pdata[7], ==, "/local/domain/12/name");
}

/* Each list entry's figures through the prefetching hypervisor equal those
 * read node by node, and cost no read of the real one. */
static void test_list_entries_same_without_reads(void)
{
	struct xlite_hv hv;
	struct toy t;
	struct xlited_prefetch p;
	size_t i;

	toy_open(&hv, &t);
	xlited_prefetch_init(&p, &hv);
	read_ahead_from_toy(&p, &t, false);
	for (i = 0; i < G_N_ELEMENTS(toy_ids); i++) {
		struct xlite_report_mem direct, ahead;
		g_autofree char *e1 = NULL, *e2 = NULL, *n1 = NULL, *n2 = NULL;
		bool ok1, ok2;
		unsigned int before;

		n1 = xlite_domain_name(&hv, toy_ids[i]);
		ok1 = xlite_report_mem_read(&hv, toy_ids[i], &direct, &e1);
		before = t.reads;
		n2 = xlite_domain_name(&p.hv, toy_ids[i]);
		ok2 = xlite_report_mem_read(&p.hv, toy_ids[i], &ahead, &e2);
		g_assert_cmpuint(t.reads, ==, before);
		g_assert_cmpstr(n1, ==, n2);
		g_assert_cmpint(ok1, ==, ok2);
		g_assert_cmpuint(direct.m.target_kib, ==, ahead.m.target_kib);
		g_assert_cmpuint(direct.m.max_kib, ==, ahead.m.max_kib);
		g_assert_cmpuint(direct.m.min_kib, ==, ahead.m.min_kib);
		g_assert_cmpint(direct.m.min_known, ==, ahead.m.min_known);
		g_assert_cmpint(direct.demand_kib, ==, ahead.demand_kib);
	}
	/* the figures themselves: domain 3's from its nodes, its agent's demand */
	{
		struct xlite_report_mem lm;
		g_autofree char *e = NULL;

		g_assert_true(xlite_report_mem_read(&p.hv, 3, &lm, &e));
		g_assert_cmpuint(lm.m.target_kib, ==, 60000);
		g_assert_cmpuint(lm.m.min_kib, ==, 40000);
		g_assert_cmpint(lm.demand_kib, ==, 4 * 16384 - 20000);
	}
	xlited_prefetch_dispose(&p);
	g_hash_table_unref(t.xs);
}

/* Read ahead or not, a name finds its domain; what was not read ahead is
 * asked of the real hypervisor, and a node read ahead as missing is -ENOENT. */
static void test_fall_through_and_missing(void)
{
	struct xlite_hv hv;
	struct toy t;
	struct xlited_prefetch p;
	g_autofree char *v = NULL, *err = NULL;
	uint32_t domid = 99;

	toy_open(&hv, &t);
	xlited_prefetch_init(&p, &hv);
	read_ahead_from_toy(&p, &t, true);
	t.reads = 0;
	g_assert_cmpint(xlite_domain_resolve(&p.hv, "db", &domid, &err), ==, 0);
	g_assert_cmpuint(domid, ==, 7);
	g_assert_cmpint(xlite_domain_resolve(&p.hv, "nosuch", &domid, &err), ==, -ESRCH);
	g_assert_cmpuint(t.reads, ==, 0);
	/* dom0's name was read ahead as missing: the library's fallback name */
	g_assert_cmpint(p.hv.ops->xs_read(&p.hv, "/local/domain/0/name", &v), ==, -ENOENT);
	g_assert_null(v);
	g_clear_pointer(&v, g_free);
	g_assert_cmpint(p.hv.ops->xs_read(&p.hv, "/local/domain/3/memory/target", &v), ==, 0);
	g_assert_cmpstr(v, ==, "60000");
	g_assert_cmpuint(t.reads, ==, 1);
	g_clear_pointer(&v, g_free);
	g_assert_cmpint(p.hv.ops->xs_read(&p.hv, "/local/domain/3/nope", &v), ==, -ENOENT);
	g_assert_cmpstr(xlite_hv_error(&p.hv), ==, "/local/domain/3/nope: not there");
	xlited_prefetch_dispose(&p);
	/* without xenstored (no read ahead possible) xlited_resolve still answers */
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlited_resolve(NULL, &hv, "web", &domid, &err), ==, 0);
	g_assert_cmpuint(domid, ==, 3);
	g_assert_cmpint(xlited_resolve(NULL, &hv, "7", &domid, &err), ==, 0);
	g_assert_cmpuint(domid, ==, 7);
	g_hash_table_unref(t.xs);
}

/* Keeps what the toy's xenstore holds of DOMID, as a read would. */
static void keep_from_toy(struct xlited_nodecache *c, struct toy *t, uint32_t domid, uint64_t gen)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	struct xlite_dominfo info;
	char **values;
	guint i;

	toy_info(domid, &info);
	xlited_prefetch_paths(paths, &info, 1, false);
	values = g_new0(char *, paths->len);
	for (i = 0; i < paths->len; i++)
		values[i] = g_strdup(g_hash_table_lookup(t->xs, paths->pdata[i]));
	xlited_nodecache_store(c, &info, gen, paths, values);
	for (i = 0; i < paths->len; i++)
		g_free(values[i]);
	g_free(values);
}

/* A list answered from the cache reads nothing, and says what xenstore
 * holds; a change (the watch's invalidation) or a new domain in the same id
 * makes it read again. */
static void test_cache_hit_reads_nothing_until_a_change(void)
{
	struct xlited_nodecache *c = xlited_nodecache_new();
	struct xlite_dominfo *infos = NULL;
	struct xlite_hv hv;
	struct toy t;
	struct xlited_prefetch p;
	size_t n = 0, i;
	g_autofree char *name = NULL;

	toy_open(&hv, &t);
	for (i = 0; i < G_N_ELEMENTS(toy_ids); i++)
		keep_from_toy(c, &t, toy_ids[i], xlited_nodecache_gen(c, toy_ids[i]));
	xlited_prefetch_init(&p, &hv);
	p.cache = c;
	g_assert_cmpint(xlited_prefetch_all(&p, false, &infos, &n), ==, 0);
	t.reads = 0;
	name = xlite_domain_name(&p.hv, 3);
	g_assert_cmpstr(name, ==, "web");
	{
		struct xlite_report_mem lm;
		g_autofree char *e = NULL;

		g_assert_true(xlite_report_mem_read(&p.hv, 3, &lm, &e));
		g_assert_cmpuint(lm.m.target_kib, ==, 60000);
	}
	g_assert_cmpuint(t.reads, ==, 0);
	xlited_prefetch_dispose(&p);
	/* domain 3's target changed: its nodes go, the others stay */
	xlited_nodecache_invalidate(c, 3);
	xlited_prefetch_init(&p, &hv);
	g_assert_false(xlited_nodecache_fill(c, &infos[1], &p));
	g_assert_true(xlited_nodecache_fill(c, &infos[2], &p));
	xlited_prefetch_dispose(&p);
	/* another domain in id 7 (another uuid) is not the one kept */
	infos[2].uuid[0] = 0x42;
	xlited_prefetch_init(&p, &hv);
	g_assert_false(xlited_nodecache_fill(c, &infos[2], &p));
	xlited_prefetch_dispose(&p);
	g_free(infos);
	g_hash_table_unref(t.xs);
	xlited_nodecache_free(c);
}

/* A read that began before a change is not kept after it; gone domains
 * are forgotten; without the watch nothing is kept. */
static void test_cache_refuses_stale_reads(void)
{
	struct xlited_nodecache *c = xlited_nodecache_new();
	struct xlite_dominfo info;
	struct xlite_hv hv;
	struct toy t;
	struct xlited_prefetch p;
	uint64_t gen;
	uint32_t domid = 0;

	toy_open(&hv, &t);
	toy_info(3, &info);
	xlited_prefetch_init(&p, &hv);
	gen = xlited_nodecache_gen(c, 3);
	xlited_nodecache_invalidate(c, 3);	/* the change, during the read */
	keep_from_toy(c, &t, 3, gen);
	g_assert_false(xlited_nodecache_fill(c, &info, &p));
	keep_from_toy(c, &t, 3, xlited_nodecache_gen(c, 3));
	g_assert_true(xlited_nodecache_fill(c, &info, &p));
	xlited_nodecache_keep(c, &info, 0);	/* domain 3 gone */
	g_assert_false(xlited_nodecache_fill(c, &info, &p));
	keep_from_toy(c, &t, 3, xlited_nodecache_gen(c, 3));
	xlited_nodecache_disable(c);
	g_assert_false(xlited_nodecache_fill(c, &info, &p));
	keep_from_toy(c, &t, 3, xlited_nodecache_gen(c, 3));
	g_assert_false(xlited_nodecache_fill(c, &info, &p));
	xlited_prefetch_dispose(&p);
	g_assert_true(xlited_nodecache_path_domid("/local/domain/12/memory/target", &domid));
	g_assert_cmpuint(domid, ==, 12);
	g_assert_true(xlited_nodecache_path_domid("/local/domain/7", &domid));
	g_assert_cmpuint(domid, ==, 7);
	g_assert_false(xlited_nodecache_path_domid("/local/domain", &domid));
	g_assert_false(xlited_nodecache_path_domid("/local/domain/x1/name", &domid));
	g_assert_false(xlited_nodecache_path_domid("/vm/12/name", &domid));
	g_hash_table_unref(t.xs);
	xlited_nodecache_free(c);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/xlited/prefetch/paths-of-a-list-entry", test_paths_are_what_a_list_entry_reads);
	g_test_add_func("/xlited/prefetch/same-figures-no-round-trip-each",
			test_list_entries_same_without_reads);
	g_test_add_func("/xlited/prefetch/falls-through-missing-is-enoent",
			test_fall_through_and_missing);
	g_test_add_func("/xlited/nodecache/hit-reads-nothing-until-a-change",
			test_cache_hit_reads_nothing_until_a_change);
	g_test_add_func("/xlited/nodecache/refuses-stale-reads", test_cache_refuses_stale_reads);
	return g_test_run();
}
