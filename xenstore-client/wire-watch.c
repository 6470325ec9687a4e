/* A watch on the raw connection, for a process that only waits for it
 * (the per-domain monitor): no libxenstore, so no reader thread, which the
 * static libxenstore the static xlite links is built without. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "xenstore-client/xsc-priv.h"
#include "xenstore-client/xsc-wire.h"

static int ack_watch(const struct xsd_sockmsg *hdr, const uint8_t *body, unsigned int index,
		     void *opaque)
{
	const struct xsc_wire_expect *want = opaque;
	struct xsc_err err = { "" };

	(void)index;
	return xsc_wire_check_ack(hdr, body, want, &err);
}

int xsc_wire_watch(struct xsc_ctx *ctx, const char *path, const char *token)
{
	g_autoptr(GByteArray) msg = g_byte_array_new();
	g_autofree char *body = NULL;
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
	struct xsc_wire_expect want = { XS_WATCH, 0, NULL };
	int rc;

	rc = xsc_watch_path_validate(path, &ctx->err);
	if (rc < 0)
		return rc;
	rc = xsc_wire_conn_open(ctx);
	if (rc < 0)
		return rc;
	body = g_malloc(pl + tl);
	memcpy(body, path, pl);
	memcpy(body + pl, token, tl);
	want.req_id = ++ctx->wire_req_id;
	rc = xsc_wire_append(msg, XS_WATCH, want.req_id, 0, body, pl + tl);
	if (rc < 0)
		return xsc_fail(ctx, rc, "watch", path);
	rc = xsc_wire_conn_send(ctx, msg->data, msg->len);
	if (rc < 0)
		return rc;
	ctx->n_requests++;
	/* Events before the acknowledgement are dropped: the watch is in
	 * place once it is read. */
	rc = xsc_wire_conn_recv(ctx, 1, &want.req_id, ack_watch, &want);
	if (rc < 0 && ctx->wire_fd >= 0)
		return xsc_fail(ctx, rc, "watch", path);
	return rc;
}

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? -ECONNRESET : -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int xsc_wire_watch_wait(struct xsc_ctx *ctx, int timeout_ms)
{
	uint8_t body[XENSTORE_PAYLOAD_MAX];
	struct pollfd pfd = { .fd = ctx->wire_fd, .events = POLLIN };
	struct xsd_sockmsg hdr;
	bool fired = false;
	int rc;

	if (ctx->wire_fd < 0) {
		xsc_err_set(&ctx->err, "no watch on a raw xenstore connection");
		return -ENOTCONN;
	}
	for (;;) {
		rc = poll(&pfd, 1, fired ? 0 : timeout_ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return xsc_fail(ctx, -errno, "poll", "the watch connection");
		if (rc == 0)	/* nothing (more) to read */
			return fired ? 1 : 0;
		/* One message per read on the xenbus device, whole ones on the
		 * socket: a header, then its body. */
		rc = read_full(ctx->wire_fd, &hdr, sizeof(hdr));
		if (rc == 0 && hdr.len > XENSTORE_PAYLOAD_MAX)
			rc = -EBADMSG;
		if (rc == 0)
			rc = read_full(ctx->wire_fd, body, hdr.len);
		if (rc < 0) {
			xsc_fail(ctx, rc, "reading", "the watch connection");
			xsc_wire_conn_close(ctx);
			return rc;
		}
		fired |= hdr.type == XS_WATCH_EVENT;
	}
}
