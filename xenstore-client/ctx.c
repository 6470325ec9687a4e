/* Context, single operations through libxenstore, and transactions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xenstore-client/xsc-priv.h"

#define XSC_XENBUS_DEV "/dev/xen/xenbus"

static void watch_skip_free(gpointer p)
{
	g_free(p);
}

/* Says why neither the daemon socket nor the xenbus device answered. */
static void explain_unreachable(struct xsc_ctx *ctx, int rc)
{
	const char *sock = xs_daemon_socket();
	struct stat st;
	bool have_sock = stat(sock, &st) == 0;
	bool have_dev = stat(XSC_XENBUS_DEV, &st) == 0;

	if (!have_sock && !have_dev)
		xsc_err_set(&ctx->err, "xenstore is not reachable: neither %s nor %s exists"
			    " (not running on Xen, or xenstored not started?)", sock, XSC_XENBUS_DEV);
	else
		xsc_err_set(&ctx->err, "xenstore is not reachable: cannot open %s: %s",
			    have_sock ? sock : XSC_XENBUS_DEV, strerror(-rc));
}

int xsc_open(struct xsc_ctx *ctx, unsigned int flags)
{
	int rc;

	memset(ctx, 0, sizeof(*ctx));
	ctx->txn = XBT_NULL;
	ctx->flags = flags;
	ctx->wire_fd = -1;
	ctx->watch_skip = g_ptr_array_new_with_free_func(watch_skip_free);

	ctx->xsh = xs_open((flags & XSC_OPEN_READONLY) ? XS_OPEN_READONLY : 0);
	if (!ctx->xsh) {
		rc = xsc_errno();
		explain_unreachable(ctx, rc);
		return rc;
	}
	return 0;
}

void xsc_close(struct xsc_ctx *ctx)
{
	xsc_wire_conn_close(ctx);
	if (ctx->xsh) {
		if (ctx->txn != XBT_NULL)
			xs_transaction_end(ctx->xsh, ctx->txn, true);
		xs_close(ctx->xsh);
		ctx->xsh = NULL;
	}
	if (ctx->watch_skip) {
		g_ptr_array_free(ctx->watch_skip, TRUE);
		ctx->watch_skip = NULL;
	}
}

static int check_path(struct xsc_ctx *ctx, const char *path)
{
	if (!ctx->xsh) {
		xsc_err_set(&ctx->err, "xenstore context is not open");
		return -ENOTCONN;
	}
	return xsc_path_validate(path, &ctx->err);
}

int xsc_read(struct xsc_ctx *ctx, const char *path, char **value, size_t *len)
{
	unsigned int n = 0;
	char *v;
	int rc = check_path(ctx, path);

	if (rc < 0)
		return rc;
	ctx->n_requests++;
	v = xs_read(ctx->xsh, ctx->txn, path, &n);
	if (!v)
		return xsc_fail(ctx, xsc_errno(), "read", path);
	/* libxenstore NUL-terminates; since GLib 2.46 g_free() is free(). */
	*value = v;
	if (len)
		*len = n;
	return 0;
}

int xsc_exists(struct xsc_ctx *ctx, const char *path)
{
	char *v = NULL;
	int rc = xsc_read(ctx, path, &v, NULL);

	g_free(v);
	if (rc == -ENOENT)
		return 0;
	return rc < 0 ? rc : 1;
}

int xsc_write_len(struct xsc_ctx *ctx, const char *path, const void *value, size_t len)
{
	int rc = check_path(ctx, path);

	if (rc < 0)
		return rc;
	rc = xsc_value_validate(path, len, &ctx->err);
	if (rc < 0)
		return rc;
	ctx->n_requests++;
	if (!xs_write(ctx->xsh, ctx->txn, path, value, (unsigned int)len))
		return xsc_fail(ctx, xsc_errno(), "write", path);
	return 0;
}

int xsc_write(struct xsc_ctx *ctx, const char *path, const char *value)
{
	return xsc_write_len(ctx, path, value, strlen(value));
}

int xsc_mkdir(struct xsc_ctx *ctx, const char *path)
{
	int rc = check_path(ctx, path);

	if (rc < 0)
		return rc;
	ctx->n_requests++;
	if (!xs_mkdir(ctx->xsh, ctx->txn, path))
		return xsc_fail(ctx, xsc_errno(), "mkdir", path);
	return 0;
}

int xsc_rm(struct xsc_ctx *ctx, const char *path)
{
	int rc = check_path(ctx, path);

	if (rc < 0)
		return rc;
	ctx->n_requests++;
	if (!xs_rm(ctx->xsh, ctx->txn, path))
		return xsc_fail(ctx, xsc_errno(), "rm", path);
	return 0;
}

int xsc_directory(struct xsc_ctx *ctx, const char *path, char ***names, unsigned int *n)
{
	unsigned int num = 0, i;
	char **list, **copy;
	int rc = check_path(ctx, path);

	if (rc < 0)
		return rc;
	ctx->n_requests++;
	list = xs_directory(ctx->xsh, ctx->txn, path, &num);
	if (!list)
		return xsc_fail(ctx, xsc_errno(), "ls", path);
	/* libxenstore packs the strings into one block: copy to a GStrv. */
	copy = g_new0(char *, (gsize)num + 1);
	for (i = 0; i < num; i++)
		copy[i] = g_strdup(list[i]);
	free(list);
	*names = copy;
	if (n)
		*n = num;
	return 0;
}

int xsc_get_perms(struct xsc_ctx *ctx, const char *path,
		  struct xs_permissions **perms, unsigned int *n)
{
	struct xs_permissions *p;
	unsigned int num = 0;
	int rc = check_path(ctx, path);

	if (rc < 0)
		return rc;
	ctx->n_requests++;
	p = xs_get_permissions(ctx->xsh, ctx->txn, path, &num);
	if (!p)
		return xsc_fail(ctx, xsc_errno(), "get permissions of", path);
	if (num == 0) {
		free(p);
		xsc_err_set(&ctx->err, "get permissions of %s: xenstored returned none", path);
		return -EBADMSG;
	}
	*perms = p;
	*n = num;
	return 0;
}

int xsc_set_perms(struct xsc_ctx *ctx, const char *path,
		  const struct xs_permissions *perms, unsigned int n)
{
	struct xs_permissions *copy;
	bool ok;
	int rc = check_path(ctx, path);

	if (rc < 0)
		return rc;
	rc = xsc_perms_validate(perms, n, &ctx->err);
	if (rc < 0)
		return rc;
	/* xs_set_permissions takes a non-const array. */
	copy = g_new(struct xs_permissions, n);
	memcpy(copy, perms, sizeof(*perms) * n);
	ctx->n_requests++;
	ok = xs_set_permissions(ctx->xsh, ctx->txn, path, copy, n);
	rc = ok ? 0 : xsc_errno();
	g_free(copy);
	if (rc < 0)
		return xsc_fail(ctx, rc, "set permissions of", path);
	return 0;
}

int xsc_transaction_run(struct xsc_ctx *ctx, xsc_txn_fn fn, void *opaque)
{
	struct xsc_backoff b;
	int rc;

	if (!ctx->xsh) {
		xsc_err_set(&ctx->err, "xenstore context is not open");
		return -ENOTCONN;
	}
	if (ctx->txn != XBT_NULL) {
		xsc_err_set(&ctx->err, "nested xenstore transaction");
		return -EBUSY;
	}
	xsc_backoff_start(ctx, &b);
	do {
		ctx->n_requests++;
		ctx->txn = xs_transaction_start(ctx->xsh);
		if (ctx->txn == XBT_NULL) {
			rc = xsc_errno();
			xsc_err_set(&ctx->err, "cannot start a xenstore transaction: %s", strerror(-rc));
			return rc;
		}
		rc = fn(ctx, opaque);
		ctx->n_requests++;
		if (rc < 0) {
			xs_transaction_end(ctx->xsh, ctx->txn, true);
			ctx->txn = XBT_NULL;
			if (rc == -EAGAIN)
				continue;
			return rc;
		}
		if (xs_transaction_end(ctx->xsh, ctx->txn, false)) {
			ctx->txn = XBT_NULL;
			return 0;
		}
		rc = xsc_errno();
		ctx->txn = XBT_NULL;
		if (rc != -EAGAIN) {
			xsc_err_set(&ctx->err, "cannot commit a xenstore transaction: %s", strerror(-rc));
			return rc;
		}
	} while (xsc_backoff_again(ctx, &b));
	return -EAGAIN;
}
