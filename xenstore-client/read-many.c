/* Many reads in one round trip: the requests of a burst are sent at once
 * over the raw connection and their replies collected after, so N reads
 * cost about one round trip instead of N (xlited's domain list reads some
 * seven nodes a domain). */
#include <errno.h>
#include <string.h>

#include "xenstore-client/xsc-priv.h"
#include "xenstore-client/xsc-wire.h"

/* As batch-commit.c's bursts: enough to hide the round trips, few enough
 * to keep the replies of one burst in the socket's buffers. */
#define XSC_READ_BURST 128

struct read_burst {
	char **values;
	const unsigned int *index;	/* reply i -> path index */
};

static int on_read(const struct xsd_sockmsg *hdr, const uint8_t *body, unsigned int i,
		   void *opaque)
{
	struct read_burst *b = opaque;

	if (hdr->type == XS_ERROR)
		return 0;	/* missing or refused: no value */
	if (hdr->type != XS_READ)
		return -EBADMSG;
	b->values[b->index[i]] = g_strndup((const char *)body, hdr->len);
	return 0;
}

static int read_burst(struct xsc_ctx *ctx, const char *const *paths, unsigned int from,
		      unsigned int to, char **values)
{
	GByteArray *buf = g_byte_array_new();
	uint32_t *ids = g_new(uint32_t, to - from);
	unsigned int *index = g_new(unsigned int, to - from);
	struct read_burst b = { values, index };
	unsigned int i, n = 0;
	int rc = 0;

	for (i = from; i < to && rc == 0; i++) {
		if (xsc_path_validate(paths[i], NULL) < 0)
			continue;	/* no such node can exist */
		ids[n] = ++ctx->wire_req_id;
		index[n] = i;
		rc = xsc_wire_append(buf, XS_READ, ids[n], 0, paths[i], strlen(paths[i]) + 1);
		n++;
	}
	if (rc < 0)
		xsc_err_set(&ctx->err, "read %s: %s", paths[i - 1], strerror(-rc));
	if (rc == 0 && n) {
		ctx->n_requests += n;
		rc = xsc_wire_conn_send(ctx, buf->data, buf->len);
	}
	if (rc == 0 && n) {
		rc = xsc_wire_conn_recv(ctx, n, ids, on_read, &b);
		if (rc == -EBADMSG && !ctx->err.msg[0])
			xsc_err_set(&ctx->err, "xenstored answered a read with another type");
	}
	g_free(index);
	g_free(ids);
	g_byte_array_free(buf, TRUE);
	return rc;
}

int xsc_read_many(struct xsc_ctx *ctx, const char *const *paths, unsigned int n, char **values)
{
	unsigned int i, from;
	int rc;

	memset(values, 0, sizeof(*values) * n);
	if (ctx->txn == XBT_NULL && xsc_wire_conn_open(ctx) == 0) {
		for (from = 0, rc = 0; from < n && rc == 0; from += XSC_READ_BURST)
			rc = read_burst(ctx, paths, from, MIN(n, from + XSC_READ_BURST), values);
		if (rc == 0)
			return 0;
		for (i = 0; i < n; i++)
			g_clear_pointer(&values[i], g_free);
		return rc;
	}
	/* No raw connection (or inside a transaction): one read at a time. */
	if (!ctx->xsh) {
		if (!ctx->err.msg[0])
			xsc_err_set(&ctx->err, "no connection to xenstored");
		return -ENOTCONN;
	}
	for (i = 0; i < n; i++) {
		rc = xsc_read(ctx, paths[i], &values[i], NULL);
		if (rc < 0)
			values[i] = NULL;
		if (rc < 0 && rc != -ENOENT && rc != -EACCES && rc != -EINVAL) {
			for (i = 0; i < n; i++)
				g_clear_pointer(&values[i], g_free);
			return rc;
		}
	}
	return 0;
}
