/* pv-drivers test platform: xenstore, grants, event channels and a
 * virtual clock in process; loopback backends run when the frontend waits. */
#include <stdlib.h>
#include <string.h>

#include "pv-drivers/platform/test/testplat_int.h"

#define FIRST_REF 8u	/* as Xen reserves the first grant entries */

struct grant {
	void *page;
	void *block;	/* the grant() call it came from */
	uint16_t domid;
	bool writable;
	bool active;
};

struct port {
	uint16_t remote;
	bool open;
	bool bound;
	bool front_pending;
	bool back_pending;
};

struct txn {
	GHashTable *writes;
};

struct pvd_test {
	struct pvd_platform plat;
	uint16_t domid;
	char *home;			/* /local/domain/D */
	GHashTable *xs;			/* path -> value */
	GPtrArray *watches;		/* paths */
	unsigned int watch_events;
	GHashTable *txns;		/* id -> struct txn */
	pvd_txn_t next_txn;
	unsigned int fail_commits, fail_grants, fail_evtchn;
	GArray *grants;			/* struct grant, ref = FIRST_REF + i */
	GArray *ports;			/* struct port, port = 1 + i */
	GPtrArray *devs;		/* struct tdev */
	unsigned int stale;
	uint64_t now;
};

static struct pvd_test *T(struct pvd_platform *p)
{
	return p->impl;
}

static char *canon(struct pvd_test *t, const char *path)
{
	if (path[0] == '/')
		return g_strdup(path);
	return g_strdup_printf("%s/%s", t->home, path);
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void fire(struct pvd_test *t, const char *path)
{
	guint i;

	for (i = 0; i < t->watches->len; i++) {
		const char *w = g_ptr_array_index(t->watches, i);

		if (under(path, w) || under(w, path))
			t->watch_events++;
	}
	for (i = 0; i < t->devs->len; i++) {
		struct tdev *d = g_ptr_array_index(t->devs, i);

		if (under(d->fe_state, path))
			d->fe_changed = true;
	}
}

static void set(struct pvd_test *t, const char *path, const char *value)
{
	g_hash_table_replace(t->xs, g_strdup(path), g_strdup(value));
	fire(t, path);
}

/* --- xenstore, toolstack side ------------------------------------------- */

void pvd_test_xs_set(struct pvd_test *t, const char *path, const char *value)
{
	set(t, path, value);
}

char *pvd_test_xs_get(struct pvd_test *t, const char *path)
{
	return g_strdup(g_hash_table_lookup(t->xs, path));
}

void pvd_test_xs_rm(struct pvd_test *t, const char *path)
{
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, t->xs);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (under(k, path))
			g_hash_table_iter_remove(&it);
	fire(t, path);
}

void pvd_test_xs_fail_commits(struct pvd_test *t, unsigned int n)
{
	t->fail_commits = n;
}

unsigned int pvd_test_xs_watches(const struct pvd_test *t)
{
	return t->watches->len;
}

/* --- xenstore, guest side ----------------------------------------------- */

static int t_xs_read(struct pvd_platform *p, pvd_txn_t tid, const char *path,
		     char *buf, size_t size)
{
	struct pvd_test *t = T(p);
	g_autofree char *c = canon(t, path);
	const char *v = NULL;
	size_t n;

	if (tid != PVD_TXN_NONE) {
		struct txn *x = g_hash_table_lookup(t->txns, GUINT_TO_POINTER(tid));

		if (x == NULL)
			return pvd_fail(&p->err, -EINVAL, "test: no transaction %u", tid);
		v = g_hash_table_lookup(x->writes, c);
	}
	if (v == NULL)
		v = g_hash_table_lookup(t->xs, c);
	if (v == NULL)
		return -ENOENT;
	n = strlen(v);
	if (n >= size)
		return pvd_fail(&p->err, -E2BIG, "test: %s: value of %zu bytes", c, n);
	memcpy(buf, v, n + 1);
	return (int)n;
}

static int t_xs_write(struct pvd_platform *p, pvd_txn_t tid, const char *path,
		      const char *value)
{
	struct pvd_test *t = T(p);
	g_autofree char *c = canon(t, path);

	/* A guest may write only its own area, as xenstored enforces. */
	if (!under(c, t->home))
		return pvd_fail(&p->err, -EACCES, "test: guest may not write %s", c);
	if (tid != PVD_TXN_NONE) {
		struct txn *x = g_hash_table_lookup(t->txns, GUINT_TO_POINTER(tid));

		if (x == NULL)
			return pvd_fail(&p->err, -EINVAL, "test: no transaction %u", tid);
		g_hash_table_replace(x->writes, g_strdup(c), g_strdup(value));
		return 0;
	}
	set(t, c, value);
	return 0;
}

static int t_txn_start(struct pvd_platform *p, pvd_txn_t *tid)
{
	struct pvd_test *t = T(p);
	struct txn *x = g_new0(struct txn, 1);

	x->writes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	*tid = ++t->next_txn;
	g_hash_table_insert(t->txns, GUINT_TO_POINTER(*tid), x);
	return 0;
}

static void txn_free(gpointer data)
{
	struct txn *x = data;

	g_hash_table_destroy(x->writes);
	g_free(x);
}

static int t_txn_end(struct pvd_platform *p, pvd_txn_t tid, bool commit)
{
	struct pvd_test *t = T(p);
	struct txn *x = g_hash_table_lookup(t->txns, GUINT_TO_POINTER(tid));
	GHashTableIter it;
	gpointer k, v;

	if (x == NULL)
		return pvd_fail(&p->err, -EINVAL, "test: no transaction %u", tid);
	if (commit && t->fail_commits > 0) {
		t->fail_commits--;
		g_hash_table_remove(t->txns, GUINT_TO_POINTER(tid));
		return -EAGAIN;
	}
	if (commit) {
		g_hash_table_iter_init(&it, x->writes);
		while (g_hash_table_iter_next(&it, &k, &v))
			set(t, k, v);
	}
	g_hash_table_remove(t->txns, GUINT_TO_POINTER(tid));
	return 0;
}

static int t_watch(struct pvd_platform *p, const char *path)
{
	struct pvd_test *t = T(p);

	g_ptr_array_add(t->watches, canon(t, path));
	t->watch_events++;	/* xenstored fires a new watch once */
	return 0;
}

static void t_unwatch(struct pvd_platform *p, const char *path)
{
	struct pvd_test *t = T(p);
	g_autofree char *c = canon(t, path);
	guint i;

	for (i = 0; i < t->watches->len; i++)
		if (strcmp(g_ptr_array_index(t->watches, i), c) == 0) {
			g_ptr_array_remove_index(t->watches, i);
			return;
		}
}

/* --- grants -------------------------------------------------------------- */

static int t_grant(struct pvd_platform *p, uint16_t domid, uint32_t count,
		   bool writable, uint32_t *refs, void **pages)
{
	struct pvd_test *t = T(p);
	uint8_t *block;
	uint32_t i;

	if (t->fail_grants > 0) {
		t->fail_grants--;
		return pvd_fail(&p->err, -ENOSPC, "test: grant of %u pages refused",
				count);
	}
	if (count == 0)
		return pvd_fail(&p->err, -EINVAL, "test: grant of 0 pages");
	block = aligned_alloc(PVD_PAGE_SIZE, (size_t)count * PVD_PAGE_SIZE);
	g_assert_nonnull(block);
	memset(block, 0, (size_t)count * PVD_PAGE_SIZE);
	for (i = 0; i < count; i++) {
		struct grant g = {
			.page = block + (size_t)i * PVD_PAGE_SIZE,
			.block = block,
			.domid = domid,
			.writable = writable,
			.active = true,
		};

		refs[i] = FIRST_REF + t->grants->len;
		g_array_append_val(t->grants, g);
	}
	*pages = block;
	return 0;
}

static void t_ungrant(struct pvd_platform *p, void *pages, uint32_t count)
{
	struct pvd_test *t = T(p);
	uint32_t found = 0;
	guint i;

	for (i = 0; i < t->grants->len; i++) {
		struct grant *g = &g_array_index(t->grants, struct grant, i);

		if (g->active && g->block == pages) {
			g->active = false;
			found++;
		}
	}
	g_assert_cmpuint(found, ==, count);
	free(pages);
}

void *test_map(struct pvd_test *t, uint32_t ref, bool write)
{
	struct grant *g;

	if (ref < FIRST_REF || ref - FIRST_REF >= t->grants->len)
		return NULL;
	g = &g_array_index(t->grants, struct grant, ref - FIRST_REF);
	if (!g->active || g->domid != 0 || (write && !g->writable))
		return NULL;
	return g->page;
}

void test_stale(struct pvd_test *t)
{
	t->stale++;
}

/* --- event channels ------------------------------------------------------ */

static struct port *port_of(struct pvd_test *t, uint32_t port)
{
	if (port == 0 || port > t->ports->len)
		return NULL;
	return &g_array_index(t->ports, struct port, port - 1);
}

static int t_evtchn_alloc(struct pvd_platform *p, uint16_t remote, uint32_t *port)
{
	struct pvd_test *t = T(p);
	struct port e = { .remote = remote, .open = true };

	if (t->fail_evtchn > 0) {
		t->fail_evtchn--;
		return pvd_fail(&p->err, -ENOSPC, "test: no event channel");
	}
	g_array_append_val(t->ports, e);
	*port = t->ports->len;
	return 0;
}

static int t_evtchn_notify(struct pvd_platform *p, uint32_t port)
{
	struct port *e = port_of(T(p), port);

	if (e == NULL || !e->open)
		return pvd_fail(&p->err, -EINVAL, "test: notify on port %u, not open",
				port);
	if (e->bound)
		e->back_pending = true;
	return 0;
}

static void t_evtchn_close(struct pvd_platform *p, uint32_t port)
{
	struct port *e = port_of(T(p), port);

	g_assert_nonnull(e);
	g_assert_true(e->open);
	e->open = false;
	e->bound = false;
}

bool test_port_bind(struct pvd_test *t, uint32_t port)
{
	struct port *e = port_of(t, port);

	if (e == NULL || !e->open || e->remote != 0)
		return false;
	e->bound = true;
	return true;
}

void test_notify_front(struct pvd_test *t, uint32_t port)
{
	struct port *e = port_of(t, port);

	if (e != NULL && e->open && e->bound)
		e->front_pending = true;
}

static bool take_back_pending(struct pvd_test *t, uint32_t port)
{
	struct port *e = port_of(t, port);
	bool was;

	if (e == NULL || !e->open)
		return false;
	was = e->back_pending;
	e->back_pending = false;
	return was;
}

/* --- waiting: the backends run ------------------------------------------ */

static void run_backends(struct pvd_test *t)
{
	unsigned int round;
	guint i;

	for (round = 0; round < 8; round++) {
		bool progress = false;

		for (i = 0; i < t->devs->len; i++) {
			struct tdev *d = g_ptr_array_index(t->devs, i);
			bool kicked;

			if (d->gone)
				continue;
			if (!g_hash_table_contains(t->xs, d->be_state)) {
				d->gone = true;
				d->ops->disconnect(d);
				continue;
			}
			if (d->fe_changed) {
				d->fe_changed = false;
				d->ops->frontend_changed(d);
				progress = true;
			}
			kicked = d->kick;
			d->kick = false;
			if (d->connected && take_back_pending(t, d->port))
				kicked = true;
			if (d->connected && kicked) {
				d->ops->service(d);
				progress = true;
			}
		}
		if (!progress)
			break;
	}
}

static int t_wait(struct pvd_platform *p, uint32_t timeout_ms)
{
	struct pvd_test *t = T(p);
	int bits = 0;
	guint i;

	run_backends(t);
	if (t->watch_events > 0) {
		t->watch_events = 0;
		bits |= PVD_WAKE_WATCH;
	}
	for (i = 0; i < t->ports->len; i++) {
		struct port *e = &g_array_index(t->ports, struct port, i);

		if (e->front_pending) {
			e->front_pending = false;
			bits |= PVD_WAKE_EVTCHN;
		}
	}
	if (bits == 0)
		t->now += timeout_ms;
	return bits;
}

static uint64_t t_now(struct pvd_platform *p)
{
	return T(p)->now;
}

static const struct pvd_platform_ops test_ops = {
	.grant = t_grant,
	.ungrant = t_ungrant,
	.evtchn_alloc = t_evtchn_alloc,
	.evtchn_notify = t_evtchn_notify,
	.evtchn_close = t_evtchn_close,
	.xs_read = t_xs_read,
	.xs_write = t_xs_write,
	.xs_txn_start = t_txn_start,
	.xs_txn_end = t_txn_end,
	.xs_watch = t_watch,
	.xs_unwatch = t_unwatch,
	.wait = t_wait,
	.now_ms = t_now,
};

/* --- devices ------------------------------------------------------------- */

void tdev_init(struct tdev *d, struct pvd_test *t, const struct tdev_ops *ops,
	       const char *type, uint32_t id)
{
	d->ops = ops;
	d->t = t;
	d->fe = g_strdup_printf("%s/device/%s/%u", t->home, type, id);
	d->be = g_strdup_printf("/local/domain/0/backend/%s/%u/%u", type, t->domid, id);
	d->fe_state = g_strdup_printf("%s/state", d->fe);
	d->be_state = g_strdup_printf("%s/state", d->be);
}

void tdev_dispose(struct tdev *d)
{
	g_free(d->fe);
	g_free(d->be);
	g_free(d->fe_state);
	g_free(d->be_state);
}

void tdev_register(struct pvd_test *t, struct tdev *d)
{
	g_ptr_array_add(t->devs, d);
}

void tdev_set_state(struct tdev *d, XenbusState s)
{
	g_autofree char *v = g_strdup_printf("%d", (int)s);

	d->state = s;
	set(d->t, d->be_state, v);
}

XenbusState tdev_fe_state(struct tdev *d)
{
	uint32_t v;

	if (!tdev_fe_u32(d, "state", &v) || v > XenbusStateReconfigured)
		return XenbusStateUnknown;
	return (XenbusState)v;
}

bool tdev_fe_u32(struct tdev *d, const char *name, uint32_t *out)
{
	g_autofree char *path = g_strdup_printf("%s/%s", d->fe, name);
	const char *v = g_hash_table_lookup(d->t->xs, path);
	char *end;
	unsigned long n;

	if (v == NULL || *v == '\0')
		return false;
	n = strtoul(v, &end, 10);
	if (*end != '\0' || n > UINT32_MAX)
		return false;
	*out = (uint32_t)n;
	return true;
}

void tdev_be_set(struct tdev *d, const char *name, const char *value)
{
	g_autofree char *path = g_strdup_printf("%s/%s", d->be, name);

	set(d->t, path, value);
}

void tdev_fe_set(struct tdev *d, const char *name, const char *value)
{
	g_autofree char *path = g_strdup_printf("%s/%s", d->fe, name);

	set(d->t, path, value);
}

bool tdev_override(struct tdev *d)
{
	if (d->override_node == NULL)
		return false;
	tdev_be_set(d, d->override_node, d->override_value);
	return strcmp(d->override_node, "state") == 0;
}

void tdev_fatal(struct tdev *d, const char *why)
{
	g_test_message("test backend %s: %s", d->be, why);
	tdev_set_state(d, XenbusStateClosing);
}

uint16_t test_domid(const struct pvd_test *t)
{
	return t->domid;
}

/* --- the world ----------------------------------------------------------- */

struct pvd_test *pvd_test_new(uint16_t guest_domid)
{
	struct pvd_test *t = g_new0(struct pvd_test, 1);

	t->plat.ops = &test_ops;
	t->plat.impl = t;
	t->domid = guest_domid;
	t->home = g_strdup_printf("/local/domain/%u", guest_domid);
	t->xs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	t->watches = g_ptr_array_new_with_free_func(g_free);
	t->txns = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, txn_free);
	t->grants = g_array_new(FALSE, TRUE, sizeof(struct grant));
	t->ports = g_array_new(FALSE, TRUE, sizeof(struct port));
	t->devs = g_ptr_array_new();
	t->now = 1000;
	set(t, t->home, "");
	return t;
}

static void free_block(gpointer key, gpointer value, gpointer data)
{
	(void)value;
	(void)data;
	free(key);
}

void pvd_test_free(struct pvd_test *t)
{
	GHashTable *blocks;
	guint i;

	if (t == NULL)
		return;
	for (i = 0; i < t->devs->len; i++) {
		struct tdev *d = g_ptr_array_index(t->devs, i);

		d->ops->free(d);
	}
	g_ptr_array_free(t->devs, TRUE);
	/* Pages a buggy frontend never released. */
	blocks = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (i = 0; i < t->grants->len; i++) {
		struct grant *g = &g_array_index(t->grants, struct grant, i);

		if (g->active)
			g_hash_table_add(blocks, g->block);
	}
	g_hash_table_foreach(blocks, free_block, NULL);
	g_hash_table_destroy(blocks);
	g_array_free(t->grants, TRUE);
	g_array_free(t->ports, TRUE);
	g_hash_table_destroy(t->txns);
	g_ptr_array_free(t->watches, TRUE);
	g_hash_table_destroy(t->xs);
	g_free(t->home);
	g_free(t);
}

struct pvd_platform *pvd_test_platform(struct pvd_test *t)
{
	return &t->plat;
}

uint64_t pvd_test_now(const struct pvd_test *t)
{
	return t->now;
}

unsigned int pvd_test_grants_active(const struct pvd_test *t)
{
	unsigned int n = 0;
	guint i;

	for (i = 0; i < t->grants->len; i++)
		if (g_array_index(t->grants, struct grant, i).active)
			n++;
	return n;
}

unsigned int pvd_test_ports_open(const struct pvd_test *t)
{
	unsigned int n = 0;
	guint i;

	for (i = 0; i < t->ports->len; i++)
		if (g_array_index(t->ports, struct port, i).open)
			n++;
	return n;
}

unsigned int pvd_test_stale_maps(const struct pvd_test *t)
{
	return t->stale;
}

void pvd_test_fail_grants(struct pvd_test *t, unsigned int n)
{
	t->fail_grants = n;
}

void pvd_test_fail_evtchn(struct pvd_test *t, unsigned int n)
{
	t->fail_evtchn = n;
}
