/* The domains' xenstore nodes as last read (see xlited.h): filled by the
 * sampler's rounds and by requests that had to read, emptied per domain
 * by the watch on /local/domain as soon as one of its nodes changes, and
 * per domain gone from the domain list. A reader records the domain's
 * generation before it reads and stores only if no change came meanwhile,
 * so a value read before a change is never kept after it. */
#include <string.h>

#include <glib.h>

#include "xlited/xlited.h"

struct cached_dom {
	uint64_t gen;		/* bumped by each invalidation */
	bool have;		/* values below are whole and valid */
	uint8_t uuid[16];	/* of the domain they belong to */
	GHashTable *values;	/* path -> value (NULL: missing) */
};

struct xlited_nodecache {
	GMutex lock;
	GHashTable *doms;	/* domid -> struct cached_dom */
	uint64_t next_gen;
	bool off;		/* the watch is gone: nothing is kept */
};

static void cached_dom_free(void *p)
{
	struct cached_dom *c = p;

	if (c->values)
		g_hash_table_unref(c->values);
	g_free(c);
}

struct xlited_nodecache *xlited_nodecache_new(void)
{
	struct xlited_nodecache *c = g_new0(struct xlited_nodecache, 1);

	g_mutex_init(&c->lock);
	c->doms = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, cached_dom_free);
	c->next_gen = 1;
	return c;
}

void xlited_nodecache_free(struct xlited_nodecache *c)
{
	if (!c)
		return;
	g_hash_table_unref(c->doms);
	g_mutex_clear(&c->lock);
	g_free(c);
}

/* DOMID's entry, made when missing (lock held). */
static struct cached_dom *entry(struct xlited_nodecache *c, uint32_t domid)
{
	struct cached_dom *e = g_hash_table_lookup(c->doms, GUINT_TO_POINTER(domid));

	if (!e) {
		e = g_new0(struct cached_dom, 1);
		e->gen = c->next_gen++;
		g_hash_table_insert(c->doms, GUINT_TO_POINTER(domid), e);
	}
	return e;
}

uint64_t xlited_nodecache_gen(struct xlited_nodecache *c, uint32_t domid)
{
	uint64_t gen;

	g_mutex_lock(&c->lock);
	gen = entry(c, domid)->gen;
	g_mutex_unlock(&c->lock);
	return gen;
}

void xlited_nodecache_invalidate(struct xlited_nodecache *c, uint32_t domid)
{
	struct cached_dom *e;

	g_mutex_lock(&c->lock);
	e = entry(c, domid);
	e->gen = c->next_gen++;
	e->have = false;
	g_clear_pointer(&e->values, g_hash_table_unref);
	g_mutex_unlock(&c->lock);
}

void xlited_nodecache_disable(struct xlited_nodecache *c)
{
	g_mutex_lock(&c->lock);
	c->off = true;
	g_hash_table_remove_all(c->doms);
	g_mutex_unlock(&c->lock);
}

bool xlited_nodecache_path_domid(const char *path, uint32_t *domid)
{
	static const char prefix[] = "/local/domain/";
	const char *p = path, *end;
	guint64 v;

	if (strncmp(p, prefix, sizeof(prefix) - 1) != 0)
		return false;
	p += sizeof(prefix) - 1;
	end = strchr(p, '/');
	{
		g_autofree char *num = end ? g_strndup(p, (gsize)(end - p)) : g_strdup(p);

		if (!g_ascii_string_to_unsigned(num, 10, 0, G_MAXUINT32, &v, NULL))
			return false;
	}
	*domid = (uint32_t)v;
	return true;
}

void xlited_nodecache_store(struct xlited_nodecache *c, const struct xlite_dominfo *info,
			    uint64_t gen, GPtrArray *paths, char **values)
{
	struct cached_dom *e;
	guint i;

	g_mutex_lock(&c->lock);
	e = entry(c, info->domid);
	if (!c->off && e->gen == gen) {	/* nothing changed since the read began */
		g_clear_pointer(&e->values, g_hash_table_unref);
		e->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		for (i = 0; i < paths->len; i++)
			g_hash_table_insert(e->values, g_strdup(paths->pdata[i]), g_strdup(values[i]));
		memcpy(e->uuid, info->uuid, sizeof(e->uuid));
		e->have = true;
	}
	g_mutex_unlock(&c->lock);
}

bool xlited_nodecache_fill(struct xlited_nodecache *c, const struct xlite_dominfo *info,
			   struct xlited_prefetch *p)
{
	struct cached_dom *e;
	GHashTableIter it;
	gpointer k, v;
	bool hit;

	g_mutex_lock(&c->lock);
	e = g_hash_table_lookup(c->doms, GUINT_TO_POINTER(info->domid));
	/* the same domain, not another that took its id since */
	hit = !c->off && e && e->have && memcmp(e->uuid, info->uuid, sizeof(e->uuid)) == 0;
	if (hit) {
		g_hash_table_iter_init(&it, e->values);
		while (g_hash_table_iter_next(&it, &k, &v))
			xlited_prefetch_put(p, k, g_strdup(v));
	}
	g_mutex_unlock(&c->lock);
	return hit;
}

void xlited_nodecache_keep(struct xlited_nodecache *c, const struct xlite_dominfo *infos,
			   size_t n)
{
	GHashTable *listed = g_hash_table_new(g_direct_hash, g_direct_equal);
	GHashTableIter it;
	gpointer k, v;
	size_t i;

	for (i = 0; i < n; i++)
		g_hash_table_add(listed, GUINT_TO_POINTER(infos[i].domid));
	g_mutex_lock(&c->lock);
	g_hash_table_iter_init(&it, c->doms);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!g_hash_table_contains(listed, k))
			g_hash_table_iter_remove(&it);
	g_mutex_unlock(&c->lock);
	g_hash_table_unref(listed);
}
