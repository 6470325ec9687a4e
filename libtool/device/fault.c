/* Fault injection over any hypervisor (the real one in the lab): the Nth
 * call of one host-device, xenstore or domain op fails (or of several:
 * "OP:N,OP:N" for a failure and then one of its rollback), so rollback can be proven
 * on real Xen at every device step (loop devices, bridges, nodes). The
 * wrapped ops call the originals with the same struct xlite_hv. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/device/device.h"
#include "libtool/util/number.h"

#define MAX_FAULTS 4

/* One injected fault: the AT-th call of OP fails with -ERR. */
struct fault {
	char op[32];
	unsigned long at, seen;
	int err;
};

struct faulty {
	struct xlite_hv_ops ops;	/* first: hv->ops points here */
	const struct xlite_hv_ops *orig;
	struct fault faults[MAX_FAULTS];
	unsigned int n;
	int err;			/* of the fault that tripped last */
};

static struct faulty *faulty_of(struct xlite_hv *hv)
{
	return (struct faulty *)(void *)(uintptr_t)hv->ops;
}

/* Whether this call of OP is one to fail (then hv->err says so). Each
 * fault counts the calls of its own op. */
static bool trip(struct xlite_hv *hv, const char *op)
{
	struct faulty *f = faulty_of(hv);
	bool tripped = false;
	unsigned int i;

	for (i = 0; i < f->n; i++) {
		struct fault *t = &f->faults[i];

		if (strcmp(t->op, op) != 0 || ++t->seen != t->at || tripped)
			continue;
		f->err = t->err;
		xlite_hv_fail(hv, -t->err, "%s: injected failure (XLITE_FAULT %s:%lu)", op, op,
			      t->at);
		tripped = true;
	}
	return tripped;
}

/* Runs the original op with hv->ops as the implementation expects it. */
#define CALL(hv, op, ...) ({					\
	struct faulty *f_ = faulty_of(hv);			\
	int rc_;						\
	(hv)->ops = f_->orig;					\
	rc_ = f_->orig->op((hv), __VA_ARGS__);			\
	(hv)->ops = &f_->ops;					\
	rc_; })

static int f_loop_attach(struct xlite_hv *hv, const char *file, bool readonly,
			 char **dev, unsigned int *major, unsigned int *minor)
{
	return trip(hv, "loop_attach") ? -faulty_of(hv)->err :
	       CALL(hv, loop_attach, file, readonly, dev, major, minor);
}

static int f_loop_detach(struct xlite_hv *hv, const char *dev)
{
	return trip(hv, "loop_detach") ? -faulty_of(hv)->err : CALL(hv, loop_detach, dev);
}

static int f_blockdev_stat(struct xlite_hv *hv, const char *path,
			   unsigned int *major, unsigned int *minor)
{
	return trip(hv, "blockdev_stat") ? -faulty_of(hv)->err :
	       CALL(hv, blockdev_stat, path, major, minor);
}

static int f_bridge_check(struct xlite_hv *hv, const char *bridge)
{
	return trip(hv, "bridge_check") ? -faulty_of(hv)->err : CALL(hv, bridge_check, bridge);
}

static int f_bridge_attach(struct xlite_hv *hv, const char *bridge, const char *ifname,
			   int timeout_ms)
{
	return trip(hv, "bridge_attach") ? -faulty_of(hv)->err :
	       CALL(hv, bridge_attach, bridge, ifname, timeout_ms);
}

static int f_vif_route(struct xlite_hv *hv, const char *ifname, const char *const *ips,
		       int timeout_ms)
{
	return trip(hv, "vif_route") ? -faulty_of(hv)->err :
	       CALL(hv, vif_route, ifname, ips, timeout_ms);
}

static int f_xs_apply(struct xlite_hv *hv, struct xsc_batch *batch)
{
	return trip(hv, "xs_apply") ? -faulty_of(hv)->err : CALL(hv, xs_apply, batch);
}

static int f_xs_write(struct xlite_hv *hv, const char *path, const char *value)
{
	return trip(hv, "xs_write") ? -faulty_of(hv)->err : CALL(hv, xs_write, path, value);
}

static int f_xs_introduce(struct xlite_hv *hv, uint32_t domid, uint64_t store_mfn,
			  uint32_t store_port)
{
	return trip(hv, "xs_introduce") ? -faulty_of(hv)->err :
	       CALL(hv, xs_introduce, domid, store_mfn, store_port);
}

static int f_build_pv(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b)
{
	return trip(hv, "build_pv") ? -faulty_of(hv)->err : CALL(hv, build_pv, domid, b);
}

static int f_domain_unpause(struct xlite_hv *hv, uint32_t domid)
{
	return trip(hv, "domain_unpause") ? -faulty_of(hv)->err :
	       CALL(hv, domain_unpause, domid);
}

static int f_xs_rm(struct xlite_hv *hv, const char *path)
{
	return trip(hv, "xs_rm") ? -faulty_of(hv)->err : CALL(hv, xs_rm, path);
}

static int f_domain_destroy(struct xlite_hv *hv, uint32_t domid)
{
	return trip(hv, "domain_destroy") ? -faulty_of(hv)->err :
	       CALL(hv, domain_destroy, domid);
}

/* qcow2 disks: qemu-nbd failing to start is nbd_attach:1:ENOENT (2), the
 * device not coming up in time nbd_attach:1:ETIMEDOUT (110). */
static int f_nbd_attach(struct xlite_hv *hv, const char *file, bool readonly,
			char **dev, unsigned int *major, unsigned int *minor)
{
	return trip(hv, "nbd_attach") ? -faulty_of(hv)->err :
	       CALL(hv, nbd_attach, file, readonly, dev, major, minor);
}

static int f_nbd_detach(struct xlite_hv *hv, const char *dev)
{
	return trip(hv, "nbd_detach") ? -faulty_of(hv)->err : CALL(hv, nbd_detach, dev);
}

static int f_console_read(struct xlite_hv *hv, bool clear, char **text)
{
	*text = NULL;
	return trip(hv, "console_read") ? -faulty_of(hv)->err : CALL(hv, console_read, clear, text);
}

static void f_close(struct xlite_hv *hv)
{
	struct faulty *f = faulty_of(hv);

	hv->ops = f->orig;
	g_free(f);
	if (hv->ops && hv->ops->close)
		hv->ops->close(hv);
}

/* The ops that can fail on demand: one list for their names (XLITE_FAULT's
 * OP) and for installing their f_ wrappers. */
#define WRAPPABLE(X)							\
	X(loop_attach) X(loop_detach) X(blockdev_stat) X(bridge_check)	\
	X(bridge_attach) X(xs_apply) X(xs_write) X(xs_introduce)	\
	X(build_pv) X(domain_unpause) X(xs_rm) X(domain_destroy) X(vif_route)	\
	X(nbd_attach) X(nbd_detach) X(console_read)

#define OP_NAME(op) #op,
static const char *const wrappable[] = { WRAPPABLE(OP_NAME) };
#undef OP_NAME

/* Strict decimal in [1, MAX]. */
static bool number(const char *s, unsigned long max, unsigned long *out)
{
	uint64_t v;

	if (xlite_number_parse(s, 1, max, &v) < 0)
		return false;
	*out = (unsigned long)v;
	return true;
}

/* ONE, "OP[:N[:ERRNO]]", into T. */
static int parse_one(struct xlite_hv *hv, const char *spec, const char *one, struct fault *t)
{
	char **parts = g_strsplit(one, ":", 0);
	unsigned int n = g_strv_length(parts), i;
	unsigned long at = 1, err = EIO;
	bool known = false;
	int rc = 0;

	for (i = 0; n >= 1 && i < G_N_ELEMENTS(wrappable); i++)
		known |= strcmp(wrappable[i], parts[0]) == 0;
	if (n < 1 || n > 3 || (n >= 2 && !number(parts[1], 1000000, &at)) ||
	    (n == 3 && !number(parts[2], 4095, &err))) {
		rc = xlite_hv_fail(hv, -EINVAL,
				   "XLITE_FAULT=%s: expected OP[:N[:ERRNO]][,OP[:N[:ERRNO]]...]",
				   spec);
		goto out;
	}
	if (!known) {
		rc = xlite_hv_fail(hv, -EINVAL, "XLITE_FAULT=%s: %s cannot fail on demand",
				   spec, parts[0]);
		goto out;
	}
	g_strlcpy(t->op, parts[0], sizeof(t->op));
	t->at = at;
	t->err = (int)err;
out:
	g_strfreev(parts);
	return rc;
}

int xlite_hv_fault_wrap(struct xlite_hv *hv, const char *spec)
{
	char **ones = g_strsplit(spec, ",", 0);
	struct fault faults[MAX_FAULTS];
	unsigned int n = g_strv_length(ones), i;
	struct faulty *f;
	int rc = 0;

	memset(faults, 0, sizeof(faults));
	if (n > MAX_FAULTS) {
		rc = xlite_hv_fail(hv, -EINVAL, "XLITE_FAULT=%s: at most %d faults", spec,
				   MAX_FAULTS);
		goto out;
	}
	for (i = 0; rc == 0 && i < n; i++)
		rc = parse_one(hv, spec, ones[i], &faults[i]);
	if (n == 0 && rc == 0)
		rc = parse_one(hv, spec, "", &faults[0]);
	if (rc < 0)
		goto out;
	f = g_new0(struct faulty, 1);
	f->ops = *hv->ops;
	f->orig = hv->ops;
	memcpy(f->faults, faults, sizeof(faults));
	f->n = n;
#define INSTALL_WRAPPER(op) f->ops.op = f_##op;
	WRAPPABLE(INSTALL_WRAPPER)
#undef INSTALL_WRAPPER
	f->ops.close = f_close;
	hv->ops = &f->ops;
out:
	g_strfreev(ones);
	return rc;
}
