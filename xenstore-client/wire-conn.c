/* The raw xenstore connection used to pipeline batches: the daemon's unix
 * socket, or the xenbus device (which takes one message per write()). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xenstore-client/xsc-priv.h"
#include "xenstore-client/xsc-wire.h"

#define XSC_XENBUS_DEV "/dev/xen/xenbus"
/* A reply slower than this means xenstored is stuck, not busy. */
#define XSC_WIRE_TIMEOUT_MS 30000

static int connect_socket(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, rc;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int xsc_wire_conn_open(struct xsc_ctx *ctx)
{
	const char *socks[3] = { xs_daemon_socket(), "/run/xenstored/socket",
				 "/var/run/xenstored/socket" };
	unsigned int i;
	int fd = -ENOENT;

	if (ctx->wire_fd >= 0)
		return 0;
	if (ctx->flags & XSC_OPEN_NO_WIRE)
		return -ENOTSUP;
	if (!(ctx->flags & XSC_OPEN_WIRE_DEV)) {
		for (i = 0; i < 3 && fd < 0; i++)
			if (i == 0 || strcmp(socks[i], socks[0]) != 0)
				fd = connect_socket(socks[i]);
		if (fd >= 0) {
			ctx->wire_fd = fd;
			ctx->wire_is_dev = false;
			return 0;
		}
	}
	fd = open(XSC_XENBUS_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		xsc_err_set(&ctx->err, "no raw xenstore connection: %s: %s",
			    XSC_XENBUS_DEV, strerror(-fd));
		return fd;
	}
	ctx->wire_fd = fd;
	ctx->wire_is_dev = true;
	return 0;
}

void xsc_wire_conn_close(struct xsc_ctx *ctx)
{
	if (ctx->wire_fd >= 0)
		close(ctx->wire_fd);
	ctx->wire_fd = -1;
}

static int write_all(int fd, bool is_socket, const uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = is_socket ? send(fd, buf, len, MSG_NOSIGNAL) : write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int xsc_wire_conn_send(struct xsc_ctx *ctx, const uint8_t *buf, size_t len)
{
	struct xsd_sockmsg hdr;
	const uint8_t *body;
	size_t off = 0, mlen;
	int rc;

	if (!ctx->wire_is_dev) {
		rc = write_all(ctx->wire_fd, true, buf, len);
		goto out;
	}
	/* The kernel's xenbus device handles one message per write(). */
	for (rc = 0; off < len && rc == 0; off += mlen) {
		if (xsc_wire_next(buf + off, len - off, &hdr, &body, &mlen) != 1) {
			rc = -EINVAL;
			break;
		}
		rc = write_all(ctx->wire_fd, false, buf + off, mlen);
	}
out:
	if (rc < 0) {
		xsc_err_set(&ctx->err, "sending to xenstored: %s", strerror(-rc));
		xsc_wire_conn_close(ctx);
	}
	return rc;
}

/* Reads more bytes into buf, waiting at most XSC_WIRE_TIMEOUT_MS. */
static int read_more(struct xsc_ctx *ctx, GByteArray *buf)
{
	struct pollfd pfd = { .fd = ctx->wire_fd, .events = POLLIN };
	uint8_t tmp[XSC_WIRE_HDR_LEN + XENSTORE_PAYLOAD_MAX];
	ssize_t n;
	int rc;

	for (;;) {
		rc = poll(&pfd, 1, XSC_WIRE_TIMEOUT_MS);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -errno;
		if (rc == 0)
			return -ETIMEDOUT;
		n = read(ctx->wire_fd, tmp, sizeof(tmp));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		g_byte_array_append(buf, tmp, (guint)n);
		return 0;
	}
}

int xsc_wire_conn_recv(struct xsc_ctx *ctx, unsigned int n_expect,
		       const uint32_t *req_ids, xsc_wire_reply_fn fn, void *opaque)
{
	GByteArray *buf = g_byte_array_new();
	bool *seen = g_new0(bool, n_expect ? n_expect : 1);
	struct xsd_sockmsg hdr;
	const uint8_t *body;
	unsigned int got = 0, idx;
	size_t mlen;
	int rc = 0, first = 0;

	while (got < n_expect) {
		rc = xsc_wire_next(buf->data, buf->len, &hdr, &body, &mlen);
		if (rc < 0) {
			xsc_err_set(&ctx->err, "xenstored sent a message longer than %d bytes",
				    XENSTORE_PAYLOAD_MAX);
			goto broken;
		}
		if (rc == 0) {
			rc = read_more(ctx, buf);
			if (rc < 0) {
				xsc_err_set(&ctx->err, "reading from xenstored: %s", strerror(-rc));
				goto broken;
			}
			continue;
		}
		if (hdr.type != XS_WATCH_EVENT) {
			/* Replies come in order; look further only if not. */
			for (idx = got; idx < n_expect && req_ids[idx] != hdr.req_id; idx++)
				;
			if (idx == n_expect)
				for (idx = 0; idx < got && req_ids[idx] != hdr.req_id; idx++)
					;
			if (idx >= n_expect || req_ids[idx] != hdr.req_id || seen[idx]) {
				xsc_err_set(&ctx->err, "xenstored sent an unexpected reply (id %u)",
					    hdr.req_id);
				rc = -EBADMSG;
				goto broken;
			}
			seen[idx] = true;
			got++;
			rc = fn(&hdr, body, idx, opaque);
			if (rc < 0 && first == 0)
				first = rc;
		}
		g_byte_array_remove_range(buf, 0, (guint)mlen);
	}
	rc = first;
	goto out;
broken:
	xsc_wire_conn_close(ctx);
out:
	g_byte_array_free(buf, TRUE);
	g_free(seen);
	return rc;
}
