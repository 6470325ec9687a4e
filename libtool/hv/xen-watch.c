/* @releaseDomain for the monitor, on a connection of its own that speaks
 * the xenstore wire protocol directly: one XS_WATCH, then poll() for
 * XS_WATCH_EVENT messages with a timeout. libxenstore delivers watches from
 * a reader thread that its static library (what the static xlite links)
 * is built without; this needs no thread at all. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>
#include <xenstore_lib.h>

#include "libtool/hv/xen.h"

#define XENBUS_DEV "/dev/xen/xenbus"

static int connect_xenstored(void)
{
	const char *path = xs_daemon_socket();
	struct sockaddr_un addr;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && path && strlen(path) < sizeof(addr.sun_path)) {
		memset(&addr, 0, sizeof(addr));
		addr.sun_family = AF_UNIX;
		strcpy(addr.sun_path, path);
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
			return fd;
	}
	if (fd >= 0)
		close(fd);
	/* xenstored in another domain: the kernel's xenbus device. */
	return open(XENBUS_DEV, O_RDWR | O_CLOEXEC);
}

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? -EPIPE : -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One message; its payload is checked against the protocol's maximum. */
static int read_msg(int fd, struct xsd_sockmsg *hdr, char *body)
{
	int rc = read_full(fd, hdr, sizeof(*hdr));

	if (rc < 0)
		return rc;
	if (hdr->len > XENSTORE_PAYLOAD_MAX)
		return -EPROTO;
	return read_full(fd, body, hdr->len);
}

int xlite_hvx_watch_open(struct xlite_hv *hv, const char *path, const char *token)
{
	struct xlite_hv_xen *x = hv->priv;
	char msg[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	char body[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg hdr = { XS_WATCH, 1, 0, 0 };
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
	int rc;

	if (pl + tl > XENSTORE_PAYLOAD_MAX)
		return xlite_hv_fail(hv, -EINVAL, "watch path too long");
	x->watch_fd = connect_xenstored();
	if (x->watch_fd < 0)
		return xlite_hv_fail(hv, -errno, "connecting to xenstored for a watch: %s",
				     g_strerror(errno));
	hdr.len = (uint32_t)(pl + tl);
	memcpy(msg, &hdr, sizeof(hdr));
	memcpy(msg + sizeof(hdr), path, pl);
	memcpy(msg + sizeof(hdr) + pl, token, tl);
	/* One write: /dev/xen/xenbus wants each message whole. */
	if (write(x->watch_fd, msg, sizeof(hdr) + hdr.len) != (ssize_t)(sizeof(hdr) + hdr.len)) {
		rc = xlite_hv_fail(hv, -EIO, "sending XS_WATCH %s", path);
		goto fail;
	}
	/* The reply, or the watch's first event, which xenstored may send
	 * first: either way the watch is in place once the reply is read. */
	for (;;) {
		rc = read_msg(x->watch_fd, &hdr, body);
		if (rc < 0) {
			xlite_hv_fail(hv, rc, "reading the XS_WATCH reply: %s", g_strerror(-rc));
			goto fail;
		}
		if (hdr.type == XS_WATCH)
			return 0;
		if (hdr.type == XS_ERROR) {
			body[hdr.len] = '\0';
			rc = xlite_hv_fail(hv, -EIO, "XS_WATCH %s refused: %s", path, body);
			goto fail;
		}
	}
fail:
	close(x->watch_fd);
	x->watch_fd = -1;
	return rc;
}

int xlite_hvx_watch_wait(struct xlite_hv *hv, int timeout_ms)
{
	struct xlite_hv_xen *x = hv->priv;
	struct pollfd pfd = { x->watch_fd, POLLIN, 0 };
	char body[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg hdr;
	bool fired = false;
	int rc;

	for (;;) {
		rc = poll(&pfd, 1, fired ? 0 : timeout_ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return xlite_hv_fail(hv, -errno, "poll: %s", g_strerror(errno));
		if (rc == 0)	/* nothing (more) to read */
			break;
		rc = read_msg(x->watch_fd, &hdr, body);
		if (rc < 0)
			return xlite_hv_fail(hv, rc, "the watch connection failed: %s",
					     g_strerror(-rc));
		fired |= hdr.type == XS_WATCH_EVENT;
	}
	return fired ? 0 : xlite_hv_fail(hv, -ETIMEDOUT, "no domain was released in %d ms",
					 timeout_ms);
}

void xlite_hvx_watch_close(struct xlite_hv_xen *x)
{
	if (x->watch_fd >= 0)
		close(x->watch_fd);
	x->watch_fd = -1;
}
