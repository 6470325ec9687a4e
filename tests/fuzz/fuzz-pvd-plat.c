/* The fuzz targets' pv-drivers platform (see fuzz-pvd-plat.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tests/fuzz/fuzz-pvd-plat.h"

static struct fz *F(struct pvd_platform *p)
{
	return p->impl;
}

bool fz_more(const struct fz *f)
{
	return f->off < f->size;
}

uint8_t fz_u8(struct fz *f)
{
	return f->off < f->size ? f->data[f->off++] : 0;
}

uint16_t fz_u16(struct fz *f)
{
	return (uint16_t)(fz_u8(f) | (uint16_t)fz_u8(f) << 8);
}

uint32_t fz_u32(struct fz *f)
{
	return fz_u16(f) | (uint32_t)fz_u16(f) << 16;
}

uint64_t fz_u64(struct fz *f)
{
	return fz_u32(f) | (uint64_t)fz_u32(f) << 32;
}

char *fz_str(struct fz *f)
{
	size_t n = fz_u8(f) % 160, i;
	GString *s = g_string_new(NULL);

	for (i = 0; i < n && fz_more(f); i++) {
		uint8_t c = fz_u8(f);

		if (c == 0)
			break;
		g_string_append_c(s, (char)c);
	}
	return g_string_free(s, FALSE);
}

void fz_xs_set(struct fz *f, const char *path, const char *value)
{
	g_hash_table_replace(f->xs, g_strdup(path), g_strdup(value));
}

void fz_xs_set_or(struct fz *f, const char *path, const char *def)
{
	char *s = fz_u8(f) & 1 ? fz_str(f) : g_strdup(def);

	fz_xs_set(f, path, s);
	g_free(s);
}

const char *fz_xs_get(struct fz *f, const char *path)
{
	return g_hash_table_lookup(f->xs, path);
}

void fz_xs_rm(struct fz *f, const char *path)
{
	g_hash_table_remove(f->xs, path);
}

static bool fail_op(struct fz *f)
{
	if (f->fail_ops == 0)
		return false;
	f->fail_ops--;
	return true;
}

static int grant(struct pvd_platform *p, uint16_t domid, uint32_t count, bool writable,
		 uint32_t *refs, void **pages)
{
	struct fz *f = F(p);
	uint32_t i;
	void *mem;

	(void)domid;
	(void)writable;
	if (count == 0 || count > 4096)
		abort();	/* no frontend asks for that */
	if (fail_op(f))
		return pvd_fail(&p->err, -ENOSPC, "fuzz: no grant entries left");
	/* mmap: zeroed, paid for only where touched; a use after ungrant
	 * faults (munmap) as a backend's use of an ended grant would. */
	mem = mmap(NULL, (size_t)count * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		abort();
	for (i = 0; i < count; i++)
		refs[i] = f->next_ref++;
	g_hash_table_insert(f->grants, mem, GUINT_TO_POINTER(count));
	f->grants_active += count;
	*pages = mem;
	return 0;
}

static void ungrant(struct pvd_platform *p, void *pages, uint32_t count)
{
	struct fz *f = F(p);
	gpointer n;

	if (!g_hash_table_lookup_extended(f->grants, pages, NULL, &n) ||
	    GPOINTER_TO_UINT(n) != count) {
		fprintf(stderr, "fuzz: ungrant of %u pages at %p that were not granted so\n",
			count, pages);
		abort();
	}
	g_hash_table_remove(f->grants, pages);
	f->grants_active -= count;
	munmap(pages, (size_t)count * 4096);
}

static int evtchn_alloc(struct pvd_platform *p, uint16_t remote, uint32_t *port)
{
	struct fz *f = F(p);

	(void)remote;
	if (fail_op(f))
		return pvd_fail(&p->err, -EMFILE, "fuzz: no event channel");
	*port = f->next_port++;
	f->ports_open++;
	return 0;
}

static int evtchn_notify(struct pvd_platform *p, uint32_t port)
{
	(void)port;
	if (fail_op(F(p)))
		return pvd_fail(&p->err, -EIO, "fuzz: notify failed");
	return 0;
}

static void evtchn_close(struct pvd_platform *p, uint32_t port)
{
	struct fz *f = F(p);

	(void)port;
	if (f->ports_open == 0)
		abort();	/* closed twice */
	f->ports_open--;
}

static int xs_read(struct pvd_platform *p, pvd_txn_t t, const char *path, char *buf,
		   size_t size)
{
	const char *v = fz_xs_get(F(p), path);
	size_t n;

	(void)t;
	if (!v)
		return -ENOENT;
	n = strlen(v);
	if (n + 1 > size)
		return -E2BIG;
	memcpy(buf, v, n + 1);
	return (int)n;
}

static int xs_write(struct pvd_platform *p, pvd_txn_t t, const char *path,
		    const char *value)
{
	(void)t;
	fz_xs_set(F(p), path, value);
	return 0;
}

static int xs_txn_start(struct pvd_platform *p, pvd_txn_t *t)
{
	*t = ++F(p)->next_txn;
	return 0;
}

static int xs_txn_end(struct pvd_platform *p, pvd_txn_t t, bool commit)
{
	struct fz *f = F(p);

	(void)t;
	if (commit && f->fail_commits) {
		f->fail_commits--;
		return -EAGAIN;
	}
	return 0;
}

static int xs_watch(struct pvd_platform *p, const char *path)
{
	(void)path;
	F(p)->watches++;
	return 0;
}

static void xs_unwatch(struct pvd_platform *p, const char *path)
{
	struct fz *f = F(p);

	(void)path;
	if (f->watches == 0)
		abort();	/* unwatched twice */
	f->watches--;
}

static int wait_(struct pvd_platform *p, uint32_t timeout_ms)
{
	struct fz *f = F(p);
	int w = -1;

	if (fz_more(f) && f->backend)
		w = f->backend(f, f->opaque);
	if (w < 0) {
		f->now += timeout_ms;
		return 0;
	}
	f->now += 1;
	return w;
}

static uint64_t now_ms(struct pvd_platform *p)
{
	return F(p)->now;
}

static const struct pvd_platform_ops fz_ops = {
	.grant = grant,
	.ungrant = ungrant,
	.evtchn_alloc = evtchn_alloc,
	.evtchn_notify = evtchn_notify,
	.evtchn_close = evtchn_close,
	.xs_read = xs_read,
	.xs_write = xs_write,
	.xs_txn_start = xs_txn_start,
	.xs_txn_end = xs_txn_end,
	.xs_watch = xs_watch,
	.xs_unwatch = xs_unwatch,
	.wait = wait_,
	.now_ms = now_ms,
};

void fz_init(struct fz *f, const uint8_t *data, size_t size)
{
	memset(f, 0, sizeof(*f));
	f->plat.ops = &fz_ops;
	f->plat.impl = f;
	f->data = data;
	f->size = size;
	f->xs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	f->grants = g_hash_table_new(g_direct_hash, g_direct_equal);
	f->now = 1000;
	f->next_port = 1;
	f->next_ref = 8;
}

void fz_dispose(struct fz *f)
{
	GHashTableIter it;
	gpointer page, n;

	g_hash_table_iter_init(&it, f->grants);
	while (g_hash_table_iter_next(&it, &page, &n))
		munmap(page, (size_t)GPOINTER_TO_UINT(n) * 4096);
	g_hash_table_destroy(f->grants);
	g_hash_table_destroy(f->xs);
}

int fz_run(const uint8_t *data, size_t size, void (*even)(struct fz *f),
	   void (*odd)(struct fz *f))
{
	struct fz f;

	if (size < 1)
		return 0;
	fz_init(&f, data + 1, size - 1);
	if (data[0] & 1)
		odd(&f);
	else
		even(&f);
	fz_dispose(&f);
	return 0;
}

int fz_common_action(struct fz *f, uint8_t op, const char *be_dir,
		     const char *const *nodes)
{
	size_t n_nodes = 0;
	char *path, *v;

	while (nodes && nodes[n_nodes])
		n_nodes++;
	switch (op % 8) {
	case 0:		/* a valid state */
		path = g_strdup_printf("%s/state", be_dir);
		v = g_strdup_printf("%u", fz_u8(f) % 9);
		break;
	case 1:		/* any state string */
		path = g_strdup_printf("%s/state", be_dir);
		v = fz_str(f);
		break;
	case 2:		/* the state node (or the whole backend) removed */
		path = g_strdup_printf("%s/state", be_dir);
		fz_xs_rm(f, path);
		g_free(path);
		return PVD_WAKE_WATCH;
	case 3:		/* a detail node set to anything */
		if (n_nodes == 0)
			return PVD_WAKE_EVTCHN;
		path = g_strdup_printf("%s/%s", be_dir, nodes[fz_u8(f) % n_nodes]);
		v = fz_str(f);
		break;
	case 4:		/* a detail node removed */
		if (n_nodes == 0)
			return PVD_WAKE_EVTCHN;
		path = g_strdup_printf("%s/%s", be_dir, nodes[fz_u8(f) % n_nodes]);
		fz_xs_rm(f, path);
		g_free(path);
		return 0;
	case 5:		/* commits conflict */
		f->fail_commits = fz_u8(f) % 20;
		return 0;
	case 6:		/* grants, event channels fail */
		f->fail_ops = fz_u8(f) % 4;
		return 0;
	default:	/* time passes */
		f->now += fz_u16(f);
		return fz_u8(f) & (PVD_WAKE_EVTCHN | PVD_WAKE_WATCH);
	}
	fz_xs_set(f, path, v);
	g_free(path);
	g_free(v);
	return PVD_WAKE_WATCH;
}
