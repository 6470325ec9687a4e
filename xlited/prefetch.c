/* Reading many domains' xenstore nodes in one round trip (see xlited.h):
 * a request that walks every domain asks xenstored for all the nodes the
 * library will read at once (xsc_read_many), then calls the library as
 * before with a hypervisor whose xs_read answers from what came back.
 * With a node cache (nodecache.c) the nodes it holds are not read again,
 * and what is read is kept there. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "xlited/xlited.h"

/* What the library reads of a domain for its list entry: its name
 * (xlite_domain_name), memory figures (xlite_mem_dom_read) and its agent's
 * report (xlite_mem_read_demand). */
static const char *const dom_nodes[] = {
	"name", "memory/target", "memory/static-max", "xlite/memory-min",
	"data/meminfo_total", "data/meminfo_available", "data/meminfo_seq",
};

/* The prefetching hypervisor's xs_read. */
static int prefetch_xs_read(struct xlite_hv *hv, const char *path, char **value)
{
	struct xlited_prefetch *p = (struct xlited_prefetch *)(void *)hv;
	gpointer v;
	int rc;

	if (g_hash_table_lookup_extended(p->values, path, NULL, &v)) {
		*value = g_strdup(v);
		return v ? 0 : xlite_hv_fail(hv, -ENOENT, "%s: no such node", path);
	}
	rc = p->real->ops->xs_read(p->real, path, value);
	if (rc < 0)
		g_strlcpy(hv->err, p->real->err, sizeof(hv->err));
	return rc;
}

void xlited_prefetch_init(struct xlited_prefetch *p, struct xlite_hv *real)
{
	memset(p, 0, sizeof(*p));
	p->real = real;
	p->ops = *real->ops;
	p->ops.xs_read = prefetch_xs_read;
	p->hv.ops = &p->ops;
	p->hv.priv = real->priv;
	p->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	p->xs = (struct xsc_ctx)XSC_CTX_INIT;
}

void xlited_prefetch_dispose(struct xlited_prefetch *p)
{
	if (p->values)
		g_hash_table_unref(p->values);
	p->values = NULL;
	if (p->xs_open)
		xsc_close(&p->xs);
	p->xs_open = false;
}

void xlited_prefetch_put(struct xlited_prefetch *p, const char *path, char *value)
{
	g_hash_table_replace(p->values, g_strdup(path), value);
}

void xlited_prefetch_paths(GPtrArray *paths, const struct xlite_dominfo *infos, size_t n,
			   bool names_only)
{
	size_t i, k, nodes = names_only ? 1 : G_N_ELEMENTS(dom_nodes);

	for (i = 0; i < n; i++)
		for (k = 0; k < nodes; k++)
			g_ptr_array_add(paths, g_strdup_printf("/local/domain/%u/%s",
							       infos[i].domid, dom_nodes[k]));
}

/* PATHS' values, read in one pipelined burst: *values (g_free each, then
 * the array), or < 0 and NULL. */
static int read_values(struct xlited_prefetch *p, GPtrArray *paths, char ***values)
{
	int rc;

	*values = g_new0(char *, paths->len ? paths->len : 1);
	if (!paths->len)
		return 0;
	/* Only the raw connection is used (one connect a request): the
	 * context is not xsc_open()ed. */
	p->xs_open = true;
	rc = xsc_read_many(&p->xs, (const char *const *)paths->pdata, paths->len, *values);
	if (rc < 0) {
		g_message("xenstore: %s", xsc_errmsg(&p->xs));
		g_clear_pointer(values, g_free);
	}
	return rc;
}

int xlited_prefetch_domains(struct xlited_prefetch *p, const struct xlite_dominfo *infos,
			    size_t n, bool names_only)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autofree size_t *which = g_new(size_t, n ? n : 1);	/* domains read */
	g_autofree uint64_t *gens = g_new(uint64_t, n ? n : 1);
	char **values = NULL;
	size_t i, nread = 0, per;
	guint k;
	int rc;

	/* With a cache every node is read: what is read is kept whole. */
	if (p->cache)
		names_only = false;
	per = names_only ? 1 : G_N_ELEMENTS(dom_nodes);
	for (i = 0; i < n; i++) {
		if (p->cache && !p->refresh && xlited_nodecache_fill(p->cache, &infos[i], p))
			continue;
		if (p->cache)	/* before the read: a change meanwhile voids it */
			gens[nread] = xlited_nodecache_gen(p->cache, infos[i].domid);
		which[nread++] = i;
		xlited_prefetch_paths(paths, &infos[i], 1, names_only);
	}
	rc = read_values(p, paths, &values);
	if (rc < 0)
		return rc;
	for (i = 0; p->cache && i < nread; i++) {
		g_autoptr(GPtrArray) mine = g_ptr_array_new();

		for (k = 0; k < per; k++)
			g_ptr_array_add(mine, paths->pdata[i * per + k]);
		xlited_nodecache_store(p->cache, &infos[which[i]], gens[i], mine, values + i * per);
	}
	for (k = 0; k < paths->len; k++)
		xlited_prefetch_put(p, paths->pdata[k], values[k]);
	g_free(values);
	return 0;
}

int xlited_prefetch_all(struct xlited_prefetch *p, bool names_only,
			struct xlite_dominfo **infos, size_t *n)
{
	int rc = p->real->ops->domain_list(p->real, infos, n);

	if (rc < 0) {
		g_strlcpy(p->hv.err, p->real->err, sizeof(p->hv.err));
		return rc;
	}
	xlited_prefetch_listed(p, *infos, *n, names_only);
	return 0;
}

void xlited_prefetch_listed(struct xlited_prefetch *p, const struct xlite_dominfo *infos,
			    size_t n, bool names_only)
{
	if (p->cache)	/* the gone ones go */
		xlited_nodecache_keep(p->cache, infos, n);
	xlited_prefetch_domains(p, infos, n, names_only);
}
