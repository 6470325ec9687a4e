/* batch: operations from stdin, applied in one pipelined transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstore-client/cli.h"

/* Reads stdin into batch; 0 or XSCLI_EXIT_USAGE (message printed). */
static int read_ops(struct xsc_batch *batch)
{
	struct xsc_err err = { "" };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned int lineno = 0;
	int rc = XSCLI_EXIT_OK;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		if (strlen(line) != (size_t)n) {
			xscli_err("batch: line %u: NUL byte (use \\x00 in a quoted value)", lineno);
			rc = XSCLI_EXIT_USAGE;
			break;
		}
		if (xsc_batch_parse_line(batch, line, &err) < 0) {
			xscli_err("batch: line %u: %s", lineno, err.msg);
			rc = XSCLI_EXIT_USAGE;
			break;
		}
	}
	free(line);
	return rc;
}

int xscli_cmd_batch(const struct xscli_cmd *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "stats", no_argument, NULL, 's' },
		{ "wire", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	struct xsc_batch batch;
	struct xsc_ctx ctx = XSC_CTX_INIT;
	unsigned int flags = 0;
	bool dry = false, stats = false;
	const char *wire;
	gint64 t0;
	int c, rc;

	xsc_batch_init(&batch);
	while ((c = xscli_getopt(cmd, argc, argv, "n", longopts)) != -1) {
		switch (c) {
		case 'n':
			dry = true;
			break;
		case 's':
			stats = true;
			break;
		case 'w':
			wire = xscli_optarg();
			if (strcmp(wire, "dev") == 0) {
				flags = XSC_OPEN_WIRE_DEV;
			} else if (strcmp(wire, "none") == 0) {
				flags = XSC_OPEN_NO_WIRE;
			} else if (strcmp(wire, "auto") != 0) {
				xscli_err("batch: --wire wants auto, dev or none");
				rc = XSCLI_EXIT_USAGE;
				goto out;
			}
			break;
		default:
			rc = XSCLI_EXIT_USAGE;
			goto out;
		}
	}
	if (argc != xscli_optind()) {
		rc = xscli_usage(cmd);
		goto out;
	}
	rc = read_ops(&batch);
	if (rc)
		goto out;
	if (dry) {
		xsc_batch_print(&batch, stdout);
		if (stats)
			fprintf(stderr, "xlite-xenstore: %u operations, %u requests\n",
				xsc_batch_len(&batch), xsc_batch_requests(&batch));
		goto out;
	}
	rc = xscli_open(&ctx, flags);
	if (rc)
		goto out;
	t0 = g_get_monotonic_time();
	if (xsc_batch_commit(&ctx, &batch) < 0) {
		xscli_err("%s", xsc_errmsg(&ctx));
		rc = XSCLI_EXIT_FAIL;
	}
	if (stats)
		fprintf(stderr, "xlite-xenstore: %u operations, %lu requests, %lu retries,"
			" %.1f ms, via %s\n", xsc_batch_len(&batch), ctx.n_requests, ctx.n_retries,
			(double)(g_get_monotonic_time() - t0) / 1000.0,
			ctx.wire_fd < 0 ? "libxenstore" :
			ctx.wire_is_dev ? "pipelined /dev/xen/xenbus" : "pipelined socket");
out:
	xsc_close(&ctx);
	xsc_batch_dispose(&batch);
	return rc;
}
