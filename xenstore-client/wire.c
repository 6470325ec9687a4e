/* Encoding requests and checking replies of the xenstore wire protocol.
 * Pure: buffers in, buffers out. Reply bytes come from another process and
 * are checked before use. */
#include <errno.h>
#include <string.h>

#include "xenstore-client/xsc-wire.h"
#include "libtool/util/number.h"

const char *xsc_wire_type_name(uint32_t type)
{
	switch (type) {
	case XS_DIRECTORY: return "ls";
	case XS_READ: return "read";
	case XS_GET_PERMS: return "get permissions of";
	case XS_WATCH: return "watch";
	case XS_UNWATCH: return "unwatch";
	case XS_TRANSACTION_START: return "start transaction";
	case XS_TRANSACTION_END: return "end transaction";
	case XS_WRITE: return "write";
	case XS_MKDIR: return "mkdir";
	case XS_RM: return "rm";
	case XS_SET_PERMS: return "set permissions of";
	case XS_WATCH_EVENT: return "watch event";
	case XS_ERROR: return "error";
	default: return "request";
	}
}

int xsc_wire_append(GByteArray *out, uint32_t type, uint32_t req_id, uint32_t tx_id,
		    const void *body, size_t len)
{
	struct xsd_sockmsg hdr;

	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	hdr.type = type;
	hdr.req_id = req_id;
	hdr.tx_id = tx_id;
	hdr.len = (uint32_t)len;
	g_byte_array_append(out, (const guint8 *)&hdr, sizeof(hdr));
	if (len)
		g_byte_array_append(out, body, (guint)len);
	return 0;
}

int xsc_wire_encode_txn_start(GByteArray *out, uint32_t req_id)
{
	return xsc_wire_append(out, XS_TRANSACTION_START, req_id, 0, "", 1);
}

int xsc_wire_encode_txn_end(GByteArray *out, uint32_t req_id, uint32_t tx_id, bool commit)
{
	return xsc_wire_append(out, XS_TRANSACTION_END, req_id, tx_id, commit ? "T" : "F", 2);
}

static void expect_add(GArray *expect, uint32_t type, uint32_t req_id, const struct xsc_op *op)
{
	struct xsc_wire_expect e = { .type = type, .req_id = req_id, .op = op };

	if (expect)
		g_array_append_val(expect, e);
}

/* Body "PATH\0PERM\0PERM\0..." of XS_SET_PERMS. */
static int append_set_perms(GByteArray *out, const struct xsc_op *op, uint32_t req_id,
			    uint32_t tx_id, struct xsc_err *err)
{
	GString *body = g_string_new(NULL);
	unsigned int i;
	char *p;
	int rc = xsc_perms_validate(op->perms, op->n_perms, err);

	if (rc < 0)
		goto out;
	g_string_append_len(body, op->path, (gssize)strlen(op->path) + 1);
	for (i = 0; i < op->n_perms; i++) {
		p = xsc_perms_format(&op->perms[i], 1, "");
		g_string_append_len(body, p, (gssize)strlen(p) + 1);
		g_free(p);
	}
	rc = xsc_wire_append(out, XS_SET_PERMS, req_id, tx_id, body->str, body->len);
	if (rc < 0)
		xsc_err_set(err, "permissions of %.64s do not fit one xenstore message", op->path);
out:
	g_string_free(body, TRUE);
	return rc;
}

int xsc_wire_encode_op(GByteArray *out, const struct xsc_op *op, uint32_t *req_id,
		       uint32_t tx_id, GArray *expect, struct xsc_err *err)
{
	size_t plen;
	guint start = out->len;
	guint exp_start = expect ? expect->len : 0;
	uint32_t id_start = *req_id;
	GByteArray *body = NULL;
	int rc = xsc_path_validate(op->path, err);

	if (rc < 0)
		return rc;
	plen = strlen(op->path) + 1;
	switch (op->kind) {
	case XSC_OP_MKDIR:
	case XSC_OP_RM: {
		uint32_t type = op->kind == XSC_OP_MKDIR ? XS_MKDIR : XS_RM;

		rc = xsc_wire_append(out, type, *req_id, tx_id, op->path, plen);
		if (rc < 0)
			break;
		expect_add(expect, type, (*req_id)++, op);
		if (op->kind == XSC_OP_MKDIR && op->n_perms) {
			rc = append_set_perms(out, op, *req_id, tx_id, err);
			if (rc < 0)
				break;
			expect_add(expect, XS_SET_PERMS, (*req_id)++, op);
		}
		break;
	}
	case XSC_OP_WRITE:
		rc = xsc_value_validate(op->path, op->value_len, err);
		if (rc < 0)
			break;
		body = g_byte_array_sized_new((guint)(plen + op->value_len));
		g_byte_array_append(body, (const guint8 *)op->path, (guint)plen);
		g_byte_array_append(body, (const guint8 *)op->value, (guint)op->value_len);
		rc = xsc_wire_append(out, XS_WRITE, *req_id, tx_id, body->data, body->len);
		if (rc < 0)
			break;
		expect_add(expect, XS_WRITE, (*req_id)++, op);
		break;
	case XSC_OP_SET_PERMS:
		rc = append_set_perms(out, op, *req_id, tx_id, err);
		if (rc < 0)
			break;
		expect_add(expect, XS_SET_PERMS, (*req_id)++, op);
		break;
	default:
		xsc_err_set(err, "unknown batch operation %d", (int)op->kind);
		rc = -EINVAL;
		break;
	}
	if (body)
		g_byte_array_free(body, TRUE);
	if (rc < 0) {
		/* Leave out, expect and *req_id as they were. */
		g_byte_array_set_size(out, start);
		if (expect)
			g_array_set_size(expect, exp_start);
		*req_id = id_start;
	}
	return rc;
}

int xsc_wire_next(const uint8_t *buf, size_t len, struct xsd_sockmsg *hdr,
		  const uint8_t **body, size_t *msg_len)
{
	if (len < XSC_WIRE_HDR_LEN)
		return 0;
	memcpy(hdr, buf, sizeof(*hdr));
	if (hdr->len > XENSTORE_PAYLOAD_MAX)
		return -EBADMSG;
	if (len - XSC_WIRE_HDR_LEN < hdr->len)
		return 0;
	*body = buf + XSC_WIRE_HDR_LEN;
	*msg_len = XSC_WIRE_HDR_LEN + hdr->len;
	return 1;
}

int xsc_wire_error_to_errno(const uint8_t *body, size_t len)
{
	size_t n = 0, i;

	while (n < len && body[n])
		n++;
	for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (strlen(xsd_errors[i].errstring) == n &&
		    memcmp(xsd_errors[i].errstring, body, n) == 0)
			return -xsd_errors[i].errnum;
	return -EIO;
}

const char *xsc_wire_errno_name(int err)
{
	size_t i;

	for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (xsd_errors[i].errnum == -err)
			return xsd_errors[i].errstring;
	return NULL;
}

static int reply_error(const struct xsd_sockmsg *hdr, const uint8_t *body, uint32_t type,
		       const char *path, struct xsc_err *err)
{
	int rc = xsc_wire_error_to_errno(body, hdr->len);

	xsc_err_set(err, "%s%s%s: %s", xsc_wire_type_name(type), path ? " " : "",
		    path ? path : "", rc == -ENOENT ? "no such node" :
		    rc == -EACCES ? "permission denied" : strerror(-rc));
	return rc;
}

int xsc_wire_check_ack(const struct xsd_sockmsg *hdr, const uint8_t *body,
		       const struct xsc_wire_expect *want, struct xsc_err *err)
{
	const char *path = want->op ? want->op->path : NULL;

	if (hdr->req_id != want->req_id) {
		xsc_err_set(err, "xenstored replied to request %u, expected %u",
			    hdr->req_id, want->req_id);
		return -EBADMSG;
	}
	if (hdr->type == XS_ERROR)
		return reply_error(hdr, body, want->type, path, err);
	if (hdr->type != want->type) {
		xsc_err_set(err, "xenstored replied with message type %u to %s (type %u)",
			    hdr->type, xsc_wire_type_name(want->type), want->type);
		return -EBADMSG;
	}
	if (!((hdr->len == 3 && memcmp(body, "OK", 3) == 0) ||
	      (hdr->len == 2 && memcmp(body, "OK", 2) == 0))) {
		xsc_err_set(err, "xenstored's reply to %s is not OK", xsc_wire_type_name(want->type));
		return -EBADMSG;
	}
	return 0;
}

int xsc_wire_parse_txn_id(const struct xsd_sockmsg *hdr, const uint8_t *body,
			  uint32_t want_req_id, uint32_t *tx_id, struct xsc_err *err)
{
	const char *digits = (const char *)body;
	uint64_t id;

	if (hdr->req_id != want_req_id) {
		xsc_err_set(err, "xenstored replied to request %u, expected %u",
			    hdr->req_id, want_req_id);
		return -EBADMSG;
	}
	if (hdr->type == XS_ERROR)
		return reply_error(hdr, body, XS_TRANSACTION_START, NULL, err);
	if (hdr->type != XS_TRANSACTION_START) {
		xsc_err_set(err, "xenstored replied with message type %u to start transaction",
			    hdr->type);
		return -EBADMSG;
	}
	/* Digits, then a NUL as the last byte. */
	if (hdr->len < 2 || body[hdr->len - 1] != '\0')
		goto bad;
	if (strlen(digits) + 1 != hdr->len || xlite_number_parse(digits, 1, UINT32_MAX, &id) < 0)
		goto bad;
	*tx_id = (uint32_t)id;
	return 0;
bad:
	xsc_err_set(err, "xenstored sent a malformed transaction id");
	return -EBADMSG;
}
