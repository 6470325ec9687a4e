/* The xenstore wire protocol (xen/io/xs_wire.h), as pure functions: encoding
 * requests into a buffer and splitting/checking replies never touch a file
 * descriptor, so unit tests can feed them any bytes. */
#ifndef XSC_WIRE_H
#define XSC_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <xen/io/xs_wire.h>

#include "xenstore-client/xsc.h"

#define XSC_WIRE_HDR_LEN ((size_t)sizeof(struct xsd_sockmsg))

/* One expected reply of a pipelined burst. */
struct xsc_wire_expect {
	uint32_t type;		/* the request's type, echoed on success */
	uint32_t req_id;
	const struct xsc_op *op;	/* for messages; NULL for start/end */
};

/* Appends one message (header in host byte order, as the protocol wants).
 * -E2BIG if len > XENSTORE_PAYLOAD_MAX. */
int xsc_wire_append(GByteArray *out, uint32_t type, uint32_t req_id, uint32_t tx_id,
		    const void *body, size_t len);

int xsc_wire_encode_txn_start(GByteArray *out, uint32_t req_id);
int xsc_wire_encode_txn_end(GByteArray *out, uint32_t req_id, uint32_t tx_id, bool commit);

/* Appends the request(s) of one batch op (an MKDIR with perms is two:
 * XS_MKDIR then XS_SET_PERMS). Request ids are *req_id, *req_id + 1, ...;
 * *req_id is advanced, and one xsc_wire_expect per request appended to
 * expect (a GArray of struct xsc_wire_expect, may be NULL). */
int xsc_wire_encode_op(GByteArray *out, const struct xsc_op *op, uint32_t *req_id,
		       uint32_t tx_id, GArray *expect, struct xsc_err *err);

/* Splits the first message off buf[0..len). Returns 1 with *hdr, *body and
 * *msg_len (header + body) set; 0 if more bytes are needed; -EBADMSG if the
 * header announces a body longer than XENSTORE_PAYLOAD_MAX (the stream can
 * no longer be trusted). */
int xsc_wire_next(const uint8_t *buf, size_t len, struct xsd_sockmsg *hdr,
		  const uint8_t **body, size_t *msg_len);

/* XS_ERROR body ("ENOENT\0") to a negative errno; -EIO if unknown. */
int xsc_wire_error_to_errno(const uint8_t *body, size_t len);
/* Name of a negative errno as xenstored spells it ("ENOENT"), or NULL. */
const char *xsc_wire_errno_name(int err);

/* Checks one reply against what was expected: an XS_ERROR becomes its
 * errno, a wrong type/id -EBADMSG, and an ack must say "OK". */
int xsc_wire_check_ack(const struct xsd_sockmsg *hdr, const uint8_t *body,
		       const struct xsc_wire_expect *want, struct xsc_err *err);
/* Reply to XS_TRANSACTION_START: a decimal id, NUL-terminated, non-zero. */
int xsc_wire_parse_txn_id(const struct xsd_sockmsg *hdr, const uint8_t *body,
			  uint32_t want_req_id, uint32_t *tx_id, struct xsc_err *err);

const char *xsc_wire_type_name(uint32_t type);

#endif
