/* libFuzzer target: what libxsclient makes of bytes xenstored sends.
 * The first input byte picks what the rest is:
 *   0  the reply stream to a pipelined batch commit (transaction start,
 *      the batch's requests, transaction end, retries on EAGAIN), read
 *      from a socket as from xenstored, watch events mixed in, one
 *      message per record as the xenbus device gives them;
 *   3  the same as one byte stream, all there at once (a unix socket);
 *   1  a stream of messages run through the decoders one by one
 *      (xsc_wire_next, xsc_wire_check_ack, xsc_wire_parse_txn_id,
 *      xsc_wire_error_to_errno);
 *   2  batch text (`xlite-xenstore batch`), parsed, printed, parsed back.
 * Checked beyond "no crash, no leak, no undefined behaviour": a failed
 * commit always records why; a printed batch parses back to as many ops.
 *
 * The batch of mode 0 sends requests 1 (start) to 7 (end): seeds under
 * corpus/xs-wire/ answer them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xenstore-client/xsc-wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STREAM (64 * 1024)	/* fits a unix socket's buffer at once */

static void build_batch(struct xsc_batch *b)
{
	struct xs_permissions perms[2] = {
		{ .id = 5, .perms = XS_PERM_NONE }, { .id = 0, .perms = XS_PERM_READ },
	};

	xsc_batch_init(b);
	xsc_batch_mkdir(b, "/local/domain/5/device", perms, 2);
	xsc_batch_write(b, "/local/domain/5/name", "guest");
	xsc_batch_rm(b, "/vm/x");
	xsc_batch_set_perms(b, "/local/domain/5", perms, 2);
	if (b->status < 0)
		abort();
}

/* Writes the stream as xenstored would: as one message per record when
 * RECORDS (so that each exchange of the commit reads only its replies, as
 * a real xenstored answers only what was asked), else all at once. A
 * header announcing more than is left, or more than a message may hold,
 * goes out with the rest of the input. */
static void feed(int fd, const uint8_t *data, size_t size, bool records)
{
	struct xsd_sockmsg hdr;
	size_t off = 0, n;

	while (off < size) {
		n = size - off;
		if (records && n >= XSC_WIRE_HDR_LEN) {
			memcpy(&hdr, data + off, sizeof(hdr));
			if (hdr.len <= XENSTORE_PAYLOAD_MAX && hdr.len <= n - XSC_WIRE_HDR_LEN)
				n = XSC_WIRE_HDR_LEN + hdr.len;
		}
		if (write(fd, data + off, n) != (ssize_t)n)
			abort();
		off += n;
	}
}

static void fuzz_commit(const uint8_t *data, size_t size, bool records)
{
	static int not_a_real_handle;
	struct xsc_ctx ctx = XSC_CTX_INIT;
	struct xsc_batch batch;
	int sv[2], rc;

	if (size > MAX_STREAM)
		return;
	if (socketpair(AF_UNIX, (records ? SOCK_SEQPACKET : SOCK_STREAM) | SOCK_CLOEXEC,
		       0, sv) < 0)
		abort();
	feed(sv[1], data, size, records);
	/* The client reads the stream, then end of file; what it sends stays
	 * in sv[1]'s buffer (a handful of small requests). */
	shutdown(sv[1], SHUT_WR);
	build_batch(&batch);
	ctx.xsh = (struct xs_handle *)(void *)&not_a_real_handle;
	ctx.wire_fd = sv[0];
	ctx.wire_is_dev = records;	/* the xenbus device: one message per write */
	/* A few quick reruns at most: a fuzz run must not sleep. */
	ctx.retry = (struct xsc_retry){ .first_us = 1, .max_us = 1, .budget_ms = 1 };
	rc = xsc_batch_commit(&ctx, &batch);
	if (rc > 0 || (rc < 0 && ctx.err.msg[0] == '\0')) {
		fprintf(stderr, "commit returned %d with message '%s'\n", rc, ctx.err.msg);
		abort();
	}
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "commit: %d %s (%lu requests, %lu retries)\n", rc,
			ctx.err.msg, ctx.n_requests, ctx.n_retries);
	if (ctx.wire_fd >= 0)
		close(ctx.wire_fd);
	close(sv[1]);
	xsc_batch_dispose(&batch);
}

static void fuzz_decode(const uint8_t *data, size_t size)
{
	static const struct xsc_op op = { .kind = XSC_OP_WRITE, .path = "/a/b" };
	struct xsd_sockmsg hdr;
	const uint8_t *body;
	size_t off = 0, mlen;
	uint32_t want_id = 0, tx_id;
	int rc;

	/* Copied, so that reading past a message is reading past the input. */
	while (off < size) {
		struct xsc_err err = { "" };
		uint8_t *copy;

		rc = xsc_wire_next(data + off, size - off, &hdr, &body, &mlen);
		if (rc <= 0)
			break;
		if (mlen < XSC_WIRE_HDR_LEN || mlen > size - off)
			abort();
		copy = g_memdup2(data + off, mlen);
		body = copy + XSC_WIRE_HDR_LEN;
		{
			struct xsc_wire_expect want = {
				.type = hdr.tx_id & 0xff, .req_id = want_id,
				.op = (hdr.tx_id & 0x100) ? &op : NULL,
			};

			rc = xsc_wire_check_ack(&hdr, body, &want, &err);
			if (rc > 0 || (rc < 0 && !err.msg[0]))
				abort();
		}
		err.msg[0] = '\0';
		rc = xsc_wire_parse_txn_id(&hdr, body, want_id, &tx_id, &err);
		if (rc > 0 || (rc < 0 && !err.msg[0]) || (rc == 0 && tx_id == 0))
			abort();
		rc = xsc_wire_error_to_errno(body, hdr.len);
		if (rc >= 0)
			abort();
		(void)xsc_wire_errno_name(rc);
		(void)xsc_wire_type_name(hdr.type);
		g_free(copy);
		want_id = hdr.req_id;	/* the next one is checked against this */
		off += mlen;
	}
}

static unsigned int parse_text(struct xsc_batch *b, const char *text)
{
	gchar **lines = g_strsplit(text, "\n", -1);
	unsigned int i, ok = 0;

	for (i = 0; lines[i]; i++) {
		struct xsc_err err = { "" };
		int rc = xsc_batch_parse_line(b, lines[i], &err);

		if (rc < 0 && !err.msg[0])
			abort();
		ok += rc == 0;
	}
	g_strfreev(lines);
	return ok;
}

static void fuzz_batch_text(const uint8_t *data, size_t size)
{
	char *text = g_strndup((const char *)data, size);
	struct xsc_batch b, back;
	char *printed = NULL;
	size_t plen = 0;
	FILE *f;

	xsc_batch_init(&b);
	xsc_batch_init(&back);
	parse_text(&b, text);
	if (b.status == 0) {
		f = open_memstream(&printed, &plen);
		if (!f)
			abort();
		xsc_batch_print(&b, f);
		fclose(f);
		parse_text(&back, printed);
		if (back.status != 0 || xsc_batch_len(&back) != xsc_batch_len(&b)) {
			fprintf(stderr, "printed batch does not parse back (%u ops, %u back: %s)\n%s",
				xsc_batch_len(&b), xsc_batch_len(&back), back.err.msg, printed);
			abort();
		}
		free(printed);
	}
	xsc_batch_dispose(&back);
	xsc_batch_dispose(&b);
	g_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_commit(data + 1, size - 1, true);
		break;
	case 3:
		fuzz_commit(data + 1, size - 1, false);
		break;
	case 1:
		fuzz_decode(data + 1, size - 1);
		break;
	default:
		fuzz_batch_text(data + 1, size - 1);
		break;
	}
	return 0;
}
