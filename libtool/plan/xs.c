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
	ops = realloc(b->ops->ops, (b->ops->n + 1) * sizeof(*ops));
	if (!ops) {
		b->rc = -ENOMEM;
		return NULL;
	}
	b->ops->ops = ops;
	memset(&ops[b->ops->n], 0, sizeof(ops[0]));
	return &ops[b->ops->n];
}

static void commit(struct xlite_ops_builder *b, struct xlite_xs_op *op)
{
	if (!op->path || (op->kind == XLITE_XS_WRITE && !op->value)) {
		free(op->path);
		free(op->perms);
		free(op->value);
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
	if (vasprintf(&op->path, fmt, ap) < 0)
		op->path = NULL;
	va_end(ap);
	/* No PERMS: the directory inherits its parent's. */
	op->perms = perms ? strdup(perms) : NULL;
	if (perms && !op->perms) {
		free(op->path);
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
	if (vasprintf(&op->path, fmt, ap) < 0)
		op->path = NULL;
	va_end(ap);
	op->value = strdup(value);
	commit(b, op);
}

void xlite_ops_dispose(struct xlite_xs_ops *ops)
{
	size_t i;

	for (i = 0; i < ops->n; i++) {
		free(ops->ops[i].path);
		free(ops->ops[i].value);
		free(ops->ops[i].perms);
	}
	free(ops->ops);
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
