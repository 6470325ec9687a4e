/* Watches, delivered through a GSource on libxenstore's watch pipe. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xenstore-client/xsc-priv.h"

/* A pending initial event to drop is stored as "token\0path\0". */
static char *skip_entry_new(const char *token, const char *path)
{
	size_t tl = strlen(token), pl = strlen(path);
	char *e = g_malloc(tl + pl + 2);

	memcpy(e, token, tl + 1);
	memcpy(e + tl + 1, path, pl + 1);
	return e;
}

static bool skip_entry_matches(const char *e, const char *token, const char *path)
{
	return strcmp(e, token) == 0 && strcmp(e + strlen(e) + 1, path) == 0;
}

/* True (and forgets it) if this event is a watch's initial one to drop. */
static bool consume_initial(struct xsc_ctx *ctx, const char *token, const char *path)
{
	guint i;

	for (i = 0; i < ctx->watch_skip->len; i++) {
		if (skip_entry_matches(g_ptr_array_index(ctx->watch_skip, i), token, path)) {
			g_ptr_array_remove_index(ctx->watch_skip, i);
			return true;
		}
	}
	return false;
}

static void forget_initial(struct xsc_ctx *ctx, const char *token, const char *path)
{
	guint i;

	for (i = 0; i < ctx->watch_skip->len; i++) {
		if (skip_entry_matches(g_ptr_array_index(ctx->watch_skip, i), token, path)) {
			g_ptr_array_remove_index(ctx->watch_skip, i);
			return;
		}
	}
}

int xsc_watch(struct xsc_ctx *ctx, const char *path, const char *token, unsigned int flags)
{
	int rc;

	if (!ctx->xsh) {
		xsc_err_set(&ctx->err, "xenstore context is not open");
		return -ENOTCONN;
	}
	rc = xsc_watch_path_validate(path, &ctx->err);
	if (rc < 0)
		return rc;
	/* Registered before the request: the event follows the reply at once. */
	if (flags & XSC_WATCH_SKIP_INITIAL)
		g_ptr_array_add(ctx->watch_skip, skip_entry_new(token, path));
	ctx->n_requests++;
	if (!xs_watch(ctx->xsh, path, token)) {
		rc = xsc_errno();
		if (flags & XSC_WATCH_SKIP_INITIAL)
			forget_initial(ctx, token, path);
		return xsc_fail(ctx, rc, "watch", path);
	}
	return 0;
}

int xsc_unwatch(struct xsc_ctx *ctx, const char *path, const char *token)
{
	if (!ctx->xsh) {
		xsc_err_set(&ctx->err, "xenstore context is not open");
		return -ENOTCONN;
	}
	forget_initial(ctx, token, path);
	ctx->n_requests++;
	if (!xs_unwatch(ctx->xsh, path, token))
		return xsc_fail(ctx, xsc_errno(), "unwatch", path);
	return 0;
}

struct xsc_watch_source {
	GSource base;
	struct xsc_ctx *ctx;
	xsc_watch_cb cb;
	void *opaque;
	GDestroyNotify destroy;
};

static gboolean watch_source_dispatch(GSource *source, GSourceFunc unused_cb, gpointer unused)
{
	struct xsc_watch_source *ws = (struct xsc_watch_source *)source;
	struct xsc_ctx *ctx = ws->ctx;
	char **vec;
	gboolean keep;
	int rc;

	(void)unused_cb;
	(void)unused;
	for (;;) {
		vec = xs_check_watch(ctx->xsh);
		if (!vec) {
			if (errno == EAGAIN)
				return G_SOURCE_CONTINUE;
			rc = xsc_errno();
			xsc_err_set(&ctx->err, "xenstore watch connection failed: %s", strerror(-rc));
			ws->cb(ctx, NULL, NULL, ws->opaque);
			return G_SOURCE_REMOVE;
		}
		if (consume_initial(ctx, vec[XS_WATCH_TOKEN], vec[XS_WATCH_PATH])) {
			free(vec);
			continue;
		}
		keep = ws->cb(ctx, vec[XS_WATCH_PATH], vec[XS_WATCH_TOKEN], ws->opaque);
		free(vec);
		if (!keep)
			return G_SOURCE_REMOVE;
	}
}

static void watch_source_finalize(GSource *source)
{
	struct xsc_watch_source *ws = (struct xsc_watch_source *)source;

	if (ws->destroy)
		ws->destroy(ws->opaque);
}

static GSourceFuncs watch_source_funcs = {
	.dispatch = watch_source_dispatch,
	.finalize = watch_source_finalize,
};

GSource *xsc_watch_source_new(struct xsc_ctx *ctx, xsc_watch_cb cb, void *opaque,
			      GDestroyNotify destroy)
{
	struct xsc_watch_source *ws;
	int fd;

	if (!ctx->xsh) {
		xsc_err_set(&ctx->err, "xenstore context is not open");
		return NULL;
	}
	fd = xs_fileno(ctx->xsh);
	if (fd < 0) {
		xsc_err_set(&ctx->err, "cannot get the xenstore watch descriptor: %s",
			    strerror(errno));
		return NULL;
	}
	ws = (struct xsc_watch_source *)g_source_new(&watch_source_funcs, sizeof(*ws));
	ws->ctx = ctx;
	ws->cb = cb;
	ws->opaque = opaque;
	ws->destroy = destroy;
	g_source_add_unix_fd(&ws->base, fd, G_IO_IN | G_IO_ERR | G_IO_HUP);
	g_source_set_name(&ws->base, "xsc-watch");
	return &ws->base;
}
