/* In-memory subtrees and reading them from xenstore. */
#include <errno.h>
#include <string.h>

#include "xenstore-client/xsc-priv.h"

static void node_free_cb(gpointer p)
{
	xsc_node_free(p);
}

struct xsc_node *xsc_node_new(const char *name)
{
	struct xsc_node *node = g_new0(struct xsc_node, 1);

	node->name = g_strdup(name);
	node->children = g_ptr_array_new_with_free_func(node_free_cb);
	return node;
}

void xsc_node_free(struct xsc_node *node)
{
	if (!node)
		return;
	g_free(node->name);
	g_free(node->value);
	g_free(node->perms);
	g_ptr_array_free(node->children, TRUE);
	g_free(node);
}

struct xsc_node *xsc_node_add_child(struct xsc_node *parent, const char *name)
{
	struct xsc_node *child = xsc_node_new(name);

	g_ptr_array_add(parent->children, child);
	return child;
}

void xsc_node_set_value(struct xsc_node *node, const void *value, size_t len)
{
	g_free(node->value);
	node->value = g_malloc(len + 1);
	memcpy(node->value, value, len);
	node->value[len] = '\0';
	node->value_len = len;
}

void xsc_node_set_perms(struct xsc_node *node, const struct xs_permissions *perms,
			unsigned int n)
{
	g_free(node->perms);
	node->perms = g_new(struct xs_permissions, n ? n : 1);
	memcpy(node->perms, perms, sizeof(*perms) * n);
	node->n_perms = n;
}

static char *child_path(const char *path, const char *name)
{
	return g_strconcat(path, strcmp(path, "/") == 0 ? "" : "/", name, NULL);
}

/* Fills node (at path) and below. -ENOENT when path vanished. */
static int read_node(struct xsc_ctx *ctx, const char *path, unsigned int flags,
		     struct xsc_node *node, unsigned int depth)
{
	char *value = NULL, **names = NULL, *sub = NULL;
	struct xs_permissions *perms = NULL;
	unsigned int n_perms = 0, i;
	size_t len = 0;
	struct xsc_node *child;
	int rc;

	/* xenstore paths are at most 3072 bytes, so at most ~1536 levels. */
	if (depth > XENSTORE_ABS_PATH_MAX / 2) {
		xsc_err_set(&ctx->err, "ls %s: tree too deep", path);
		rc = -ELOOP;
		goto out;
	}
	rc = xsc_read(ctx, path, &value, &len);
	if (rc < 0)
		goto out;
	xsc_node_set_value(node, value, len);
	if (flags & XSC_TREE_PERMS) {
		rc = xsc_get_perms(ctx, path, &perms, &n_perms);
		if (rc < 0)
			goto out;
		xsc_node_set_perms(node, perms, n_perms);
	}
	rc = xsc_directory(ctx, path, &names, NULL);
	if (rc < 0)
		goto out;
	for (i = 0; names[i]; i++) {
		g_free(sub);
		sub = child_path(path, names[i]);
		child = xsc_node_add_child(node, names[i]);
		rc = read_node(ctx, sub, flags, child, depth + 1);
		if (rc == -ENOENT) {
			/* Removed while we walked: not an error, just gone. */
			g_ptr_array_remove(node->children, child);
			rc = 0;
			continue;
		}
		if (rc < 0)
			goto out;
	}
out:
	g_free(value);
	g_free(perms);
	g_strfreev(names);
	g_free(sub);
	return rc;
}

int xsc_tree_read(struct xsc_ctx *ctx, const char *path, unsigned int flags,
		  struct xsc_node **root)
{
	struct xsc_node *node = NULL;
	int rc = xsc_path_validate(path, &ctx->err);

	if (rc < 0)
		goto out;
	node = xsc_node_new(path);
	rc = read_node(ctx, path, flags, node, 0);
	if (rc < 0)
		goto out;
	*root = node;
	node = NULL;
out:
	xsc_node_free(node);
	return rc;
}
