/* pv-drivers core: typed xenstore access. */
#include "pv-drivers/core/xs.h"

static int join(struct pvd_platform *p, char *buf, size_t size,
		const char *dir, const char *name)
{
	if (pvd_path(buf, size, dir, name) < 0)
		return pvd_fail(&p->err, -ENAMETOOLONG,
				"xenstore path %s/%s is too long", dir, name);
	return 0;
}

int pvd_xs_read(struct pvd_platform *p, pvd_txn_t t, const char *dir,
		const char *name, char *buf, size_t size)
{
	char path[PVD_PATH_MAX];
	int r;

	r = join(p, path, sizeof(path), dir, name);
	if (r < 0)
		return r;
	return p->ops->xs_read(p, t, path, buf, size);
}

static int read_number(struct pvd_platform *p, pvd_txn_t t, const char *dir,
		       const char *name, uint64_t max, uint64_t *out)
{
	char val[PVD_VALUE_MAX];
	int r;

	r = pvd_xs_read(p, t, dir, name, val, sizeof(val));
	if (r == -E2BIG)
		return pvd_fail(&p->err, -EPROTO,
				"%s/%s: value too long for a number", dir, name);
	if (r < 0)
		return r;
	r = pvd_parse_u64(val, max, out);
	if (r < 0)
		return pvd_fail(&p->err, -EPROTO,
				"%s/%s is '%s', expected a decimal number <= %llu",
				dir, name, val, (unsigned long long)max);
	return 0;
}

int pvd_xs_read_u64(struct pvd_platform *p, pvd_txn_t t, const char *dir,
		    const char *name, uint64_t max, uint64_t *out)
{
	int r = read_number(p, t, dir, name, max, out);

	if (r == -ENOENT)
		return pvd_fail(&p->err, -ENOENT, "%s/%s is missing", dir, name);
	return r;
}

int pvd_xs_read_u64_or(struct pvd_platform *p, pvd_txn_t t, const char *dir,
		       const char *name, uint64_t max, uint64_t def, uint64_t *out)
{
	int r = read_number(p, t, dir, name, max, out);

	if (r == -ENOENT) {
		*out = def;
		return 0;
	}
	return r;
}

int pvd_xs_write(struct pvd_platform *p, pvd_txn_t t, const char *dir,
		 const char *name, const char *value)
{
	char path[PVD_PATH_MAX];
	int r;

	r = join(p, path, sizeof(path), dir, name);
	if (r < 0)
		return r;
	return p->ops->xs_write(p, t, path, value);
}

int pvd_xs_write_u64(struct pvd_platform *p, pvd_txn_t t, const char *dir,
		     const char *name, uint64_t value)
{
	char val[24];

	(void)pvd_fmt(val, sizeof(val), "%llu", (unsigned long long)value);
	return pvd_xs_write(p, t, dir, name, val);
}

int pvd_xs_transaction(struct pvd_platform *p, const char *where, pvd_xs_txn_fn *fn,
		       void *opaque)
{
	unsigned int tries;
	int r;

	for (tries = 0; tries < 16; tries++) {
		pvd_txn_t t;

		r = p->ops->xs_txn_start(p, &t);
		if (r < 0)
			return r;
		r = fn(p, t, opaque);
		if (r < 0) {
			(void)p->ops->xs_txn_end(p, t, false);
			return r;
		}
		r = p->ops->xs_txn_end(p, t, true);
		if (r != -EAGAIN)
			return r;
	}
	return pvd_fail(&p->err, -EAGAIN, "%s: xenstore transaction kept conflicting", where);
}
