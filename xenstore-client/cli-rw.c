/* read, write, rm, chmod. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xenstore-client/cli.h"

/* ---- read ---- */

struct read_args {
	char **paths;
	int n;
	bool raw;
	GString *out;		/* printed only once the transaction committed */
};

static int read_all(struct xsc_ctx *ctx, void *opaque)
{
	struct read_args *a = opaque;
	char *value;
	size_t len;
	int i, rc;

	g_string_truncate(a->out, 0);
	for (i = 0; i < a->n; i++) {
		rc = xsc_read(ctx, a->paths[i], &value, &len);
		if (rc < 0)
			return rc;
		if (a->raw)
			g_string_append_len(a->out, value, (gssize)len);
		else {
			xsc_value_quote(a->out, value, len);
			g_string_append_c(a->out, '\n');
		}
		g_free(value);
	}
	return 0;
}

/* Opens the connection and runs FN, in a transaction when IN_TXN; the
 * exit status, with the reason printed on failure. */
static int run_op(xsc_txn_fn fn, void *opaque, bool in_txn)
{
	struct xsc_ctx ctx = XSC_CTX_INIT;
	int rc = xscli_open(&ctx, 0);

	if (rc)
		goto out;
	rc = in_txn ? xsc_transaction_run(&ctx, fn, opaque) : fn(&ctx, opaque);
	if (rc < 0) {
		xscli_err("%s", xsc_errmsg(&ctx));
		rc = XSCLI_EXIT_FAIL;
		goto out;
	}
	rc = XSCLI_EXIT_OK;
out:
	xsc_close(&ctx);
	return rc;
}

int xscli_cmd_read(const struct xscli_cmd *cmd, int argc, char **argv)
{
	struct read_args a = { .out = g_string_new(NULL) };
	int c, rc;

	while ((c = xscli_getopt(cmd, argc, argv, "R", NULL)) != -1) {
		if (c != 'R') {
			rc = XSCLI_EXIT_USAGE;
			goto out;
		}
		a.raw = true;
	}
	a.paths = argv + xscli_optind();
	a.n = argc - xscli_optind();
	if (a.n < 1) {
		rc = xscli_usage(cmd);
		goto out;
	}
	rc = xscli_check_paths(a.paths, a.n);
	if (rc)
		goto out;
	rc = run_op(read_all, &a, a.n > 1);
	if (rc == XSCLI_EXIT_OK)
		fwrite(a.out->str, 1, a.out->len, stdout);
out:
	g_string_free(a.out, TRUE);
	return rc;
}

/* ---- write ---- */

static int write_batch(struct xsc_ctx *ctx, void *opaque)
{
	struct xsc_batch *batch = opaque;

	if (xsc_batch_len(batch) == 1) {
		/* One node: one request, no transaction needed. */
		const struct xsc_op *op = &g_array_index(batch->ops, struct xsc_op, 0);

		return xsc_write_len(ctx, op->path, op->value, op->value_len);
	}
	return xsc_batch_commit(ctx, batch);
}

int xscli_cmd_write(const struct xscli_cmd *cmd, int argc, char **argv)
{
	struct xsc_batch batch;
	GString *value = g_string_new(NULL);
	bool raw = false;
	int c, i, n, rc;
	char **args;

	xsc_batch_init(&batch);
	while ((c = xscli_getopt(cmd, argc, argv, "R", NULL)) != -1) {
		if (c != 'R') {
			rc = XSCLI_EXIT_USAGE;
			goto out;
		}
		raw = true;
	}
	args = argv + xscli_optind();
	n = argc - xscli_optind();
	if (n < 2 || n % 2) {
		rc = xscli_usage(cmd);
		goto out;
	}
	for (i = 0; i < n; i += 2) {
		g_string_truncate(value, 0);
		if (raw)
			g_string_append(value, args[i + 1]);
		else
			xsc_value_unquote(value, args[i + 1]);
		if (xsc_batch_write_len(&batch, args[i], value->str, value->len) < 0) {
			xscli_err("%s", batch.err.msg);
			rc = XSCLI_EXIT_USAGE;
			goto out;
		}
	}
	rc = run_op(write_batch, &batch, false);
out:
	xsc_batch_dispose(&batch);
	g_string_free(value, TRUE);
	return rc;
}

/* ---- rm ---- */

struct rm_args {
	char **paths;
	int n;
	bool tidy;
};

/* Removes the parents of path that are left with no value and no child. */
static int rm_tidy(struct xsc_ctx *ctx, const char *path)
{
	char *parent = g_strdup(path), *slash, *value = NULL, **names = NULL;
	size_t len;
	int rc = 0;

	for (;;) {
		slash = strrchr(parent, '/');
		if (!slash || slash == parent)
			break;	/* never "/" itself */
		*slash = '\0';
		g_free(value);
		g_strfreev(names);
		value = NULL;
		names = NULL;
		if (xsc_read(ctx, parent, &value, &len) < 0 || len != 0)
			break;
		if (xsc_directory(ctx, parent, &names, NULL) < 0 || names[0])
			break;
		rc = xsc_rm(ctx, parent);
		if (rc < 0)
			break;
	}
	g_free(value);
	g_strfreev(names);
	g_free(parent);
	return rc;
}

static int rm_all(struct xsc_ctx *ctx, void *opaque)
{
	struct rm_args *a = opaque;
	int i, rc;

	for (i = 0; i < a->n; i++) {
		/* xenstored accepts removing a missing node; we report it. */
		rc = xsc_exists(ctx, a->paths[i]);
		if (rc == 0) {
			xsc_err_set(&ctx->err, "rm %s: no such node", a->paths[i]);
			return -ENOENT;
		}
		if (rc < 0)
			return rc;
		rc = xsc_rm(ctx, a->paths[i]);
		if (rc < 0)
			return rc;
		if (a->tidy) {
			rc = rm_tidy(ctx, a->paths[i]);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int xscli_cmd_rm(const struct xscli_cmd *cmd, int argc, char **argv)
{
	struct rm_args a = { 0 };
	int c, rc;

	while ((c = xscli_getopt(cmd, argc, argv, "t", NULL)) != -1) {
		if (c != 't')
			return XSCLI_EXIT_USAGE;
		a.tidy = true;
	}
	a.paths = argv + xscli_optind();
	a.n = argc - xscli_optind();
	if (a.n < 1)
		return xscli_usage(cmd);
	rc = xscli_check_paths(a.paths, a.n);
	if (rc)
		return rc;
	return run_op(rm_all, &a, true);
}

/* ---- chmod ---- */

struct chmod_args {
	char *path;
	struct xs_permissions *perms;
	unsigned int n_perms;
	bool recurse, upto;
};

static int chmod_tree(struct xsc_ctx *ctx, const struct chmod_args *a, const char *path)
{
	char **names = NULL, *sub;
	unsigned int i;
	int rc = xsc_set_perms(ctx, path, a->perms, a->n_perms);

	if (rc < 0 || !a->recurse)
		goto out;
	rc = xsc_directory(ctx, path, &names, NULL);
	if (rc < 0)
		goto out;
	for (i = 0; names[i] && rc == 0; i++) {
		sub = g_strconcat(path, strcmp(path, "/") ? "/" : "", names[i], NULL);
		rc = chmod_tree(ctx, a, sub);
		g_free(sub);
	}
out:
	g_strfreev(names);
	return rc;
}

static int chmod_all(struct xsc_ctx *ctx, void *opaque)
{
	struct chmod_args *a = opaque;
	char *parent, *slash;
	int rc = chmod_tree(ctx, a, a->path);

	if (rc < 0 || !a->upto)
		return rc;
	/* Like xenstore-chmod -u: every parent, "/" excluded. */
	parent = g_strdup(a->path);
	while (rc == 0 && (slash = strrchr(parent, '/')) && slash != parent) {
		*slash = '\0';
		rc = xsc_set_perms(ctx, parent, a->perms, a->n_perms);
	}
	g_free(parent);
	return rc;
}

int xscli_cmd_chmod(const struct xscli_cmd *cmd, int argc, char **argv)
{
	struct chmod_args a = { 0 };
	struct xsc_err err = { "" };
	int c, rc, first;

	while ((c = xscli_getopt(cmd, argc, argv, "ru", NULL)) != -1) {
		if (c == 'r')
			a.recurse = true;
		else if (c == 'u')
			a.upto = true;
		else
			return XSCLI_EXIT_USAGE;
	}
	first = xscli_optind();
	if (argc - first < 2)
		return xscli_usage(cmd);
	a.path = argv[first];
	rc = xscli_check_paths(&a.path, 1);
	if (rc)
		return rc;
	if (xsc_perms_parse_strv((const char *const *)(void *)(argv + first + 1),
				 (unsigned int)(argc - first - 1), &a.perms, &a.n_perms, &err) < 0) {
		xscli_err("%s", err.msg);
		return XSCLI_EXIT_USAGE;
	}
	rc = run_op(chmod_all, &a, true);
	g_free(a.perms);
	return rc;
}
