/* Applying a batch in one transaction: pipelined over the wire protocol, or
 * call by call through libxenstore when there is no raw connection. */
#include <errno.h>
#include <string.h>

#include "xenstore-client/xsc-priv.h"
#include "xenstore-client/xsc-wire.h"

/* ---- libxenstore, one round trip per request ---- */

static int apply_op(struct xsc_ctx *ctx, const struct xsc_op *op)
{
	int rc = 0;

	switch (op->kind) {
	case XSC_OP_MKDIR:
		rc = xsc_mkdir(ctx, op->path);
		if (rc == 0 && op->n_perms)
			rc = xsc_set_perms(ctx, op->path, op->perms, op->n_perms);
		break;
	case XSC_OP_WRITE:
		rc = xsc_write_len(ctx, op->path, op->value, op->value_len);
		break;
	case XSC_OP_RM:
		rc = xsc_rm(ctx, op->path);
		if (rc == -ENOENT)
			rc = 0;
		break;
	case XSC_OP_SET_PERMS:
		rc = xsc_set_perms(ctx, op->path, op->perms, op->n_perms);
		break;
	}
	return rc;
}

struct apply_args {
	const struct xsc_batch *batch;
};

static int apply_all(struct xsc_ctx *ctx, void *opaque)
{
	const struct xsc_batch *batch = ((struct apply_args *)opaque)->batch;
	unsigned int i;
	int rc;

	for (i = 0; i < batch->ops->len; i++) {
		rc = apply_op(ctx, &g_array_index(batch->ops, struct xsc_op, i));
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- wire protocol, pipelined ---- */

#define XSC_WIRE_BURST 128

struct burst {
	struct xsc_ctx *ctx;
	GArray *expect;		/* struct xsc_wire_expect */
	uint32_t tx_id;
};

static int on_txn_start(const struct xsd_sockmsg *hdr, const uint8_t *body,
			unsigned int index, void *opaque)
{
	struct burst *b = opaque;

	(void)index;
	return xsc_wire_parse_txn_id(hdr, body, hdr->req_id, &b->tx_id, &b->ctx->err);
}

static int on_ack(const struct xsd_sockmsg *hdr, const uint8_t *body,
		  unsigned int index, void *opaque)
{
	struct burst *b = opaque;
	const struct xsc_wire_expect *want = &g_array_index(b->expect, struct xsc_wire_expect, index);
	struct xsc_err err = { "" };
	int rc = xsc_wire_check_ack(hdr, body, want, &err);

	if (rc == -ENOENT && want->type == XS_RM)
		return 0;	/* removing what is not there is done */
	/* The first failure is the one to report: record it only once. */
	if (rc < 0 && !b->ctx->err.msg[0])
		b->ctx->err = err;
	return rc;
}

static uint32_t next_req_id(struct xsc_ctx *ctx)
{
	return ++ctx->wire_req_id;
}

/* One exchange: send buf, collect the replies expect describes. */
static int exchange(struct xsc_ctx *ctx, GByteArray *buf, struct burst *b,
		    xsc_wire_reply_fn fn)
{
	uint32_t *ids = g_new(uint32_t, b->expect->len ? b->expect->len : 1);
	unsigned int i;
	int rc;

	for (i = 0; i < b->expect->len; i++)
		ids[i] = g_array_index(b->expect, struct xsc_wire_expect, i).req_id;
	ctx->n_requests += b->expect->len;
	rc = xsc_wire_conn_send(ctx, buf->data, buf->len);
	if (rc == 0)
		rc = xsc_wire_conn_recv(ctx, b->expect->len, ids, fn, b);
	g_free(ids);
	return rc;
}

static void expect_one(GArray *expect, uint32_t type, uint32_t req_id)
{
	struct xsc_wire_expect e = { .type = type, .req_id = req_id };

	g_array_set_size(expect, 0);
	g_array_append_val(expect, e);
}

/* The ops, in bursts of about XSC_WIRE_BURST requests: enough to hide the
 * round trips, few enough that neither side's buffers fill while the other
 * is not reading. Stops at the first burst with a failure. */
static int send_ops(struct xsc_ctx *ctx, const struct xsc_batch *batch, struct burst *b,
		    GByteArray *buf)
{
	uint32_t req_id;
	unsigned int i = 0;
	int rc = 0;

	while (i < batch->ops->len && rc == 0) {
		g_byte_array_set_size(buf, 0);
		g_array_set_size(b->expect, 0);
		req_id = ctx->wire_req_id + 1;
		for (; i < batch->ops->len && b->expect->len < XSC_WIRE_BURST; i++) {
			rc = xsc_wire_encode_op(buf, &g_array_index(batch->ops, struct xsc_op, i),
						&req_id, b->tx_id, b->expect, &ctx->err);
			if (rc < 0)
				return rc;
		}
		ctx->wire_req_id = req_id - 1;
		rc = exchange(ctx, buf, b, on_ack);
	}
	return rc;
}

/* Start, burst, end: 0, -EAGAIN (run again), or a failure. */
static int commit_wire_once(struct xsc_ctx *ctx, const struct xsc_batch *batch)
{
	GByteArray *buf = g_byte_array_new();
	struct burst b = { .ctx = ctx, .expect = g_array_new(FALSE, FALSE,
							     sizeof(struct xsc_wire_expect)) };
	uint32_t req_id;
	int rc, ops_rc, end_rc;

	ctx->err.msg[0] = '\0';
	req_id = next_req_id(ctx);
	xsc_wire_encode_txn_start(buf, req_id);
	expect_one(b.expect, XS_TRANSACTION_START, req_id);
	rc = exchange(ctx, buf, &b, on_txn_start);
	if (rc < 0)
		goto out;

	ops_rc = send_ops(ctx, batch, &b, buf);
	if (ctx->wire_fd < 0) {
		/* The stream broke: xenstored drops the transaction with it. */
		rc = ops_rc;
		goto out;
	}

	g_byte_array_set_size(buf, 0);
	req_id = next_req_id(ctx);
	xsc_wire_encode_txn_end(buf, req_id, b.tx_id, ops_rc == 0);
	expect_one(b.expect, XS_TRANSACTION_END, req_id);
	end_rc = exchange(ctx, buf, &b, on_ack);
	rc = ops_rc < 0 ? ops_rc : end_rc;
	if (ops_rc == 0 && end_rc < 0 && end_rc != -EAGAIN)
		xsc_err_set(&ctx->err, "cannot commit a xenstore transaction: %s",
			    strerror(-end_rc));
out:
	g_byte_array_free(buf, TRUE);
	g_array_free(b.expect, TRUE);
	return rc;
}

static int commit_wire(struct xsc_ctx *ctx, const struct xsc_batch *batch)
{
	struct xsc_backoff b;
	int rc;

	xsc_backoff_start(ctx, &b);
	do
		rc = commit_wire_once(ctx, batch);
	while (rc == -EAGAIN && xsc_backoff_again(ctx, &b));
	return rc;
}

/* The ops alone, outside any transaction (tx_id 0). */
static int apply_wire(struct xsc_ctx *ctx, const struct xsc_batch *batch)
{
	GByteArray *buf = g_byte_array_new();
	struct burst b = { .ctx = ctx, .expect = g_array_new(FALSE, FALSE,
							     sizeof(struct xsc_wire_expect)) };
	int rc;

	ctx->err.msg[0] = '\0';
	rc = send_ops(ctx, batch, &b, buf);
	g_byte_array_free(buf, TRUE);
	g_array_free(b.expect, TRUE);
	return rc;
}

static int check_batch(struct xsc_ctx *ctx, const struct xsc_batch *batch)
{
	if (batch->status < 0) {
		ctx->err = batch->err;
		return batch->status;
	}
	if (!ctx->xsh) {
		xsc_err_set(&ctx->err, "xenstore context is not open");
		return -ENOTCONN;
	}
	if (ctx->txn != XBT_NULL) {
		xsc_err_set(&ctx->err, "a batch cannot join a running transaction");
		return -EBUSY;
	}
	return 0;
}

/* The batch in a transaction (retried on conflict), or op by op. */
static int run_batch(struct xsc_ctx *ctx, const struct xsc_batch *batch, bool in_txn)
{
	struct apply_args args = { .batch = batch };
	int rc = check_batch(ctx, batch);

	if (rc < 0 || batch->ops->len == 0)
		return rc;
	if (xsc_wire_conn_open(ctx) == 0)
		return in_txn ? commit_wire(ctx, batch) : apply_wire(ctx, batch);
	return in_txn ? xsc_transaction_run(ctx, apply_all, &args) : apply_all(ctx, &args);
}

int xsc_batch_commit(struct xsc_ctx *ctx, const struct xsc_batch *batch)
{
	return run_batch(ctx, batch, true);
}

int xsc_batch_apply(struct xsc_ctx *ctx, const struct xsc_batch *batch)
{
	return run_batch(ctx, batch, false);
}
