/* libxsclient internals shared between its files (not installed). */
#ifndef XSC_PRIV_H
#define XSC_PRIV_H

#include "xenstore-client/xsc.h"

/* Records "WHAT PATH: strerror(-rc)" in ctx and returns rc (negative). */
int xsc_fail(struct xsc_ctx *ctx, int rc, const char *what, const char *path);
/* Negative errno from errno after a failed libxenstore call (never 0). */
int xsc_errno(void);

/* Name of a batch op kind as written in the text form ("mkdir"...). */
const char *xsc_op_kind_name(enum xsc_op_kind kind);

/* The retries of one transaction refused with EAGAIN (retry.c): start
 * before its first run; after each EAGAIN, again() pauses and returns true
 * to run it again, or, once ctx->retry's time budget is spent, records
 * "still conflicting" in ctx and returns false. */
struct xsc_backoff {
	gint64 start_us, deadline_us;	/* monotonic */
	unsigned int delay_us, max_us;
	unsigned int runs;
};
void xsc_backoff_start(const struct xsc_ctx *ctx, struct xsc_backoff *b);
bool xsc_backoff_again(struct xsc_ctx *ctx, struct xsc_backoff *b);

/* Raw connection for pipelined batches (wire-conn.c). */
int xsc_wire_conn_open(struct xsc_ctx *ctx);
void xsc_wire_conn_close(struct xsc_ctx *ctx);
/* Sends the messages in buf (one write() each on the xenbus device). */
int xsc_wire_conn_send(struct xsc_ctx *ctx, const uint8_t *buf, size_t len);
/* Reads replies until every one in expect (struct xsc_wire_expect) has come,
 * calling check for each; watch events are skipped. Stops early on a broken
 * stream; otherwise returns the first error check reported, or 0. */
typedef int (*xsc_wire_reply_fn)(const struct xsd_sockmsg *hdr, const uint8_t *body,
				 unsigned int index, void *opaque);
int xsc_wire_conn_recv(struct xsc_ctx *ctx, unsigned int n_expect,
		       const uint32_t *req_ids, xsc_wire_reply_fn fn, void *opaque);

#endif
