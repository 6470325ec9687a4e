/* watch: print the path of every change, through the library's GSource. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstore-client/cli.h"
#include "libtool/util/number.h"

struct watch_state {
	GMainLoop *loop;
	long remaining;		/* events still to print; -1: forever */
	int status;
};

static gboolean on_event(struct xsc_ctx *ctx, const char *path, const char *token,
			 void *opaque)
{
	struct watch_state *st = opaque;

	(void)token;
	if (!path) {
		xscli_err("%s", xsc_errmsg(ctx));
		st->status = XSCLI_EXIT_FAIL;
		g_main_loop_quit(st->loop);
		return G_SOURCE_REMOVE;
	}
	printf("%s\n", path);
	fflush(stdout);
	if (st->remaining > 0 && --st->remaining == 0) {
		st->status = XSCLI_EXIT_OK;
		g_main_loop_quit(st->loop);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static gboolean on_timeout(gpointer opaque)
{
	struct watch_state *st = opaque;

	xscli_err("watch: timed out before the expected events");
	st->status = XSCLI_EXIT_FAIL;
	g_main_loop_quit(st->loop);
	return G_SOURCE_REMOVE;
}

/* A positive decimal number, or -1. */
static long parse_count(const char *s)
{
	uint64_t v;

	if (xlite_number_parse(s, 1, 1000000000, &v) < 0)
		return -1;
	return (long)v;
}

int xscli_cmd_watch(const struct xscli_cmd *cmd, int argc, char **argv)
{
	struct watch_state st = { .remaining = -1, .status = XSCLI_EXIT_FAIL };
	unsigned int wflags = XSC_WATCH_SKIP_INITIAL;
	struct xsc_err err = { "" };
	GSource *src = NULL;
	struct xsc_ctx ctx = XSC_CTX_INIT;
	long timeout = 0;
	int c, i, first, rc;
	char token[32];

	while ((c = xscli_getopt(cmd, argc, argv, "n:iT:", NULL)) != -1) {
		switch (c) {
		case 'n':
			st.remaining = parse_count(xscli_optarg());
			if (st.remaining < 0) {
				xscli_err("watch: -n wants a positive count, not '%s'", xscli_optarg());
				return XSCLI_EXIT_USAGE;
			}
			break;
		case 'T':
			timeout = parse_count(xscli_optarg());
			if (timeout < 0) {
				xscli_err("watch: -T wants a positive number of seconds");
				return XSCLI_EXIT_USAGE;
			}
			break;
		case 'i':
			wflags &= ~(unsigned int)XSC_WATCH_SKIP_INITIAL;
			break;
		default:
			return XSCLI_EXIT_USAGE;
		}
	}
	first = xscli_optind();
	if (argc - first < 1)
		return xscli_usage(cmd);
	for (i = first; i < argc; i++) {
		if (xsc_watch_path_validate(argv[i], &err) < 0) {
			xscli_err("%s", err.msg);
			return XSCLI_EXIT_USAGE;
		}
	}
	rc = xscli_open(&ctx, 0);
	if (rc)
		goto out;
	st.loop = g_main_loop_new(NULL, FALSE);
	src = xsc_watch_source_new(&ctx, on_event, &st, NULL);
	if (!src) {
		xscli_err("%s", xsc_errmsg(&ctx));
		rc = XSCLI_EXIT_FAIL;
		goto out;
	}
	g_source_attach(src, NULL);
	for (i = first; i < argc; i++) {
		snprintf(token, sizeof(token), "xlite-xenstore-%d", i);
		if (xsc_watch(&ctx, argv[i], token, wflags) < 0) {
			xscli_err("%s", xsc_errmsg(&ctx));
			rc = XSCLI_EXIT_FAIL;
			goto out;
		}
	}
	if (timeout > 0)
		g_timeout_add_seconds((guint)timeout, on_timeout, &st);
	g_main_loop_run(st.loop);
	rc = st.status;
out:
	if (src) {
		g_source_destroy(src);
		g_source_unref(src);
	}
	if (st.loop)
		g_main_loop_unref(st.loop);
	xsc_close(&ctx);
	return rc;
}
