/* Lists of xenstore operations. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/plan/plan-int.h"

static struct xlite_xs_op *grow(struct xlite_ops_builder *b)
{
	struct xlite_xs_op *ops;

	if (b->rc < 0)
		return NULL;
	ops = g_renew(struct xlite_xs_op, b->ops->ops, b->ops->n + 1);
	b->ops->ops = ops;
	memset(&ops[b->ops->n], 0, sizeof(ops[0]));
	return &ops[b->ops->n];
}

static void commit(struct xlite_ops_builder *b, struct xlite_xs_op *op)
{
	if (!op->path || (op->kind == XLITE_XS_WRITE && !op->value)) {
		g_free(op->path);
		g_free(op->perms);
		g_free(op->value);
		b->rc = -ENOMEM;
		return;
	}
	b->ops->n++;
}

void xlite_ops_mkdir(struct xlite_ops_builder *b, const char *perms,
		     const char *fmt, ...)
{
	struct xlite_xs_op *op = grow(b);
	va_list ap;

	if (!op)
		return;
	op->kind = XLITE_XS_MKDIR;
	va_start(ap, fmt);
	op->path = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* No PERMS: the directory inherits its parent's. */
	op->perms = perms ? g_strdup(perms) : NULL;
	if (perms && !op->perms) {
		g_free(op->path);
		op->path = NULL;	/* commit() sees the failure */
	}
	commit(b, op);
}

void xlite_ops_write(struct xlite_ops_builder *b, const char *value,
		     const char *fmt, ...)
{
	struct xlite_xs_op *op = grow(b);
	va_list ap;

	if (!op)
		return;
	op->kind = XLITE_XS_WRITE;
	va_start(ap, fmt);
	op->path = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	op->value = g_strdup(value);
	commit(b, op);
}

void xlite_ops_dispose(struct xlite_xs_ops *ops)
{
	size_t i;

	for (i = 0; i < ops->n; i++) {
		g_free(ops->ops[i].path);
		g_free(ops->ops[i].value);
		g_free(ops->ops[i].perms);
	}
	g_free(ops->ops);
	ops->ops = NULL;
	ops->n = 0;
}

unsigned int xlite_ops_requests(const struct xlite_xs_ops *ops)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < ops->n; i++)
		n += ops->ops[i].kind == XLITE_XS_MKDIR && ops->ops[i].perms ? 2 : 1;
	return n;
}
