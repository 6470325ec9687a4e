/* The wire protocol codec: requests as bytes, replies checked before use. */
#include <errno.h>
#include <string.h>

#include "xenstore-client/xsc-wire.h"

/* Reads back message number `index` of buf. */
static void nth_msg(const GByteArray *buf, unsigned int index, struct xsd_sockmsg *hdr,
		    const uint8_t **body)
{
	size_t off = 0, mlen = 0;
	unsigned int i;

	for (i = 0; i <= index; i++) {
		g_assert_cmpint(xsc_wire_next(buf->data + off, buf->len - off, hdr, body, &mlen), ==, 1);
		off += mlen;
	}
}

static struct xsc_op make_op(enum xsc_op_kind kind, const char *path, const char *value,
			     struct xs_permissions *perms, unsigned int n)
{
	struct xsc_op op = { .kind = kind, .path = (char *)(uintptr_t)path,
			     .value = (char *)(uintptr_t)value,
			     .value_len = value ? strlen(value) : 0,
			     .perms = perms, .n_perms = n };
	return op;
}

static void test_header_is_four_host_order_words(void)
{
	GByteArray *b = g_byte_array_new();
	uint32_t w[4];

	g_assert_cmpint(xsc_wire_append(b, XS_WRITE, 7, 9, "ab", 2), ==, 0);
	g_assert_cmpuint(b->len, ==, 16 + 2);
	memcpy(w, b->data, 16);
	g_assert_cmpuint(w[0], ==, XS_WRITE);
	g_assert_cmpuint(w[1], ==, 7);
	g_assert_cmpuint(w[2], ==, 9);
	g_assert_cmpuint(w[3], ==, 2);
	g_assert_cmpmem(b->data + 16, 2, "ab", 2);
	g_assert_cmpint(xsc_wire_append(b, XS_WRITE, 1, 0, NULL, XENSTORE_PAYLOAD_MAX + 1), ==, -E2BIG);
	g_assert_cmpuint(b->len, ==, 18);
	g_byte_array_free(b, TRUE);
}

static void test_transaction_start_and_end_bodies(void)
{
	GByteArray *b = g_byte_array_new();
	struct xsd_sockmsg h;
	const uint8_t *body;

	xsc_wire_encode_txn_start(b, 1);
	xsc_wire_encode_txn_end(b, 2, 42, true);
	xsc_wire_encode_txn_end(b, 3, 42, false);
	nth_msg(b, 0, &h, &body);
	g_assert_cmpuint(h.type, ==, XS_TRANSACTION_START);
	g_assert_cmpuint(h.tx_id, ==, 0);
	g_assert_cmpmem(body, h.len, "", 1);
	nth_msg(b, 1, &h, &body);
	g_assert_cmpuint(h.type, ==, XS_TRANSACTION_END);
	g_assert_cmpuint(h.tx_id, ==, 42);
	g_assert_cmpmem(body, h.len, "T", 2);
	nth_msg(b, 2, &h, &body);
	g_assert_cmpmem(body, h.len, "F", 2);
	g_byte_array_free(b, TRUE);
}

static void test_ops_encode_with_ids_and_transaction(void)
{
	struct xs_permissions perms[2] = { { 5, XS_PERM_NONE }, { 0, XS_PERM_READ } };
	struct xsc_op ops[4] = {
		make_op(XSC_OP_MKDIR, "/local/domain/5/device", NULL, perms, 2),
		make_op(XSC_OP_WRITE, "/local/domain/5/name", "web", NULL, 0),
		make_op(XSC_OP_RM, "/old", NULL, NULL, 0),
		make_op(XSC_OP_SET_PERMS, "/x", NULL, perms, 1),
	};
	GByteArray *b = g_byte_array_new();
	GArray *expect = g_array_new(FALSE, FALSE, sizeof(struct xsc_wire_expect));
	struct xsd_sockmsg h;
	const uint8_t *body;
	uint32_t id = 10;
	unsigned int i;

	for (i = 0; i < 4; i++)
		g_assert_cmpint(xsc_wire_encode_op(b, &ops[i], &id, 33, expect, NULL), ==, 0);
	g_assert_cmpuint(id, ==, 15);		/* mkdir+perms took two ids */
	g_assert_cmpuint(expect->len, ==, 5);

	nth_msg(b, 0, &h, &body);
	g_assert_cmpuint(h.type, ==, XS_MKDIR);
	g_assert_cmpuint(h.req_id, ==, 10);
	g_assert_cmpuint(h.tx_id, ==, 33);
	g_assert_cmpmem(body, h.len, "/local/domain/5/device", 23);
	nth_msg(b, 1, &h, &body);
	g_assert_cmpuint(h.type, ==, XS_SET_PERMS);
	g_assert_cmpuint(h.req_id, ==, 11);
	g_assert_cmpmem(body, h.len, "/local/domain/5/device\0n5\0r0", 29);
	nth_msg(b, 2, &h, &body);
	g_assert_cmpuint(h.type, ==, XS_WRITE);
	g_assert_cmpmem(body, h.len, "/local/domain/5/name\0web", 24);	/* no NUL after value */
	nth_msg(b, 3, &h, &body);
	g_assert_cmpuint(h.type, ==, XS_RM);
	g_assert_cmpmem(body, h.len, "/old", 5);
	nth_msg(b, 4, &h, &body);
	g_assert_cmpuint(h.type, ==, XS_SET_PERMS);
	g_assert_cmpuint(h.req_id, ==, 14);
	g_assert_cmpmem(body, h.len, "/x\0n5", 6);

	g_assert_cmpuint(g_array_index(expect, struct xsc_wire_expect, 1).type, ==, XS_SET_PERMS);
	g_assert_cmpuint(g_array_index(expect, struct xsc_wire_expect, 4).req_id, ==, 14);
	g_assert_true(g_array_index(expect, struct xsc_wire_expect, 2).op == &ops[1]);
	g_array_free(expect, TRUE);
	g_byte_array_free(b, TRUE);
}

static void test_invalid_op_appends_nothing(void)
{
	struct xs_permissions bad[1] = { { 0x7FF0, XS_PERM_READ } };
	char big[XENSTORE_PAYLOAD_MAX];
	struct xsc_op ops[3] = {
		make_op(XSC_OP_WRITE, "no/slash", "x", NULL, 0),
		make_op(XSC_OP_MKDIR, "/d", NULL, bad, 1),
		make_op(XSC_OP_WRITE, "/a", NULL, NULL, 0),
	};
	GByteArray *b = g_byte_array_new();
	GArray *expect = g_array_new(FALSE, FALSE, sizeof(struct xsc_wire_expect));
	struct xsc_err err;
	uint32_t id = 1;
	unsigned int i;

	memset(big, 'x', sizeof(big));
	ops[2].value = big;
	ops[2].value_len = sizeof(big) - 2;	/* "/a\0" + value is one byte over */
	for (i = 0; i < 3; i++) {
		err.msg[0] = '\0';
		g_assert_cmpint(xsc_wire_encode_op(b, &ops[i], &id, 1, expect, &err), <, 0);
		g_assert_cmpstr(err.msg, !=, "");
		g_assert_cmpuint(b->len, ==, 0);
		g_assert_cmpuint(expect->len, ==, 0);
		g_assert_cmpuint(id, ==, 1);
	}
	ops[2].value_len = sizeof(big) - 3;
	g_assert_cmpint(xsc_wire_encode_op(b, &ops[2], &id, 1, expect, NULL), ==, 0);
	g_assert_cmpuint(b->len, ==, XSC_WIRE_HDR_LEN + XENSTORE_PAYLOAD_MAX);
	g_array_free(expect, TRUE);
	g_byte_array_free(b, TRUE);
}

static void test_next_waits_for_whole_messages(void)
{
	GByteArray *b = g_byte_array_new();
	struct xsd_sockmsg h;
	const uint8_t *body;
	size_t mlen, cut;

	xsc_wire_append(b, XS_READ, 3, 0, "value", 5);
	xsc_wire_append(b, XS_WRITE, 4, 0, "OK", 3);
	for (cut = 0; cut < 16 + 5; cut++)
		g_assert_cmpint(xsc_wire_next(b->data, cut, &h, &body, &mlen), ==, 0);
	g_assert_cmpint(xsc_wire_next(b->data, b->len, &h, &body, &mlen), ==, 1);
	g_assert_cmpuint(mlen, ==, 21);
	g_assert_cmpuint(h.req_id, ==, 3);
	g_assert_cmpmem(body, h.len, "value", 5);
	g_assert_cmpint(xsc_wire_next(b->data + mlen, b->len - mlen, &h, &body, &mlen), ==, 1);
	g_assert_cmpuint(h.req_id, ==, 4);
	g_byte_array_free(b, TRUE);
}

static void test_next_rejects_oversized_length(void)
{
	struct xsd_sockmsg bad = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
	struct xsd_sockmsg huge = { XS_READ, 1, 0, 0xffffffffu };
	struct xsd_sockmsg h;
	const uint8_t *body;
	size_t mlen;

	/* Refused from the header alone: no waiting for 4 GB that never come. */
	g_assert_cmpint(xsc_wire_next((const uint8_t *)&bad, sizeof(bad), &h, &body, &mlen),
			==, -EBADMSG);
	g_assert_cmpint(xsc_wire_next((const uint8_t *)&huge, sizeof(huge), &h, &body, &mlen),
			==, -EBADMSG);
}

static void test_error_names_map_to_errno(void)
{
	g_assert_cmpint(xsc_wire_error_to_errno((const uint8_t *)"ENOENT", 7), ==, -ENOENT);
	g_assert_cmpint(xsc_wire_error_to_errno((const uint8_t *)"EAGAIN", 6), ==, -EAGAIN);
	g_assert_cmpint(xsc_wire_error_to_errno((const uint8_t *)"EACCES\0junk", 11), ==, -EACCES);
	g_assert_cmpint(xsc_wire_error_to_errno((const uint8_t *)"ENOENTX", 7), ==, -EIO);
	g_assert_cmpint(xsc_wire_error_to_errno((const uint8_t *)"", 0), ==, -EIO);
	g_assert_cmpint(xsc_wire_error_to_errno((const uint8_t *)"EQUOTA", 7), ==, -EIO);
	g_assert_cmpstr(xsc_wire_errno_name(-EAGAIN), ==, "EAGAIN");
	g_assert_null(xsc_wire_errno_name(-EXDEV));
}

static void test_ack_checks_id_type_and_body(void)
{
	struct xsc_op op = make_op(XSC_OP_WRITE, "/a/b", "v", NULL, 0);
	struct xsc_wire_expect want = { XS_WRITE, 5, &op };
	struct xsd_sockmsg h = { XS_WRITE, 5, 1, 3 };
	struct xsc_err err = { "" };

	g_assert_cmpint(xsc_wire_check_ack(&h, (const uint8_t *)"OK", &want, &err), ==, 0);
	h.len = 2;
	g_assert_cmpint(xsc_wire_check_ack(&h, (const uint8_t *)"OK", &want, &err), ==, 0);
	h.len = 3;
	g_assert_cmpint(xsc_wire_check_ack(&h, (const uint8_t *)"NO", &want, &err), ==, -EBADMSG);
	h.len = 0;
	g_assert_cmpint(xsc_wire_check_ack(&h, (const uint8_t *)"", &want, &err), ==, -EBADMSG);
	h.len = 3;
	h.req_id = 6;
	g_assert_cmpint(xsc_wire_check_ack(&h, (const uint8_t *)"OK", &want, &err), ==, -EBADMSG);
	h.req_id = 5;
	h.type = XS_MKDIR;
	g_assert_cmpint(xsc_wire_check_ack(&h, (const uint8_t *)"OK", &want, &err), ==, -EBADMSG);
}

static void test_error_reply_names_the_path(void)
{
	struct xsc_op op = make_op(XSC_OP_WRITE, "/local/domain/9/x", "v", NULL, 0);
	struct xsc_wire_expect want = { XS_WRITE, 5, &op };
	struct xsd_sockmsg h = { XS_ERROR, 5, 1, 7 };
	struct xsc_err err = { "" };

	g_assert_cmpint(xsc_wire_check_ack(&h, (const uint8_t *)"EACCES", &want, &err), ==, -EACCES);
	g_assert_cmpstr(err.msg, ==, "write /local/domain/9/x: permission denied");
}

static void test_transaction_id_reply_is_parsed_strictly(void)
{
	struct xsd_sockmsg h = { XS_TRANSACTION_START, 1, 0, 0 };
	uint32_t id = 0;
	static const struct { const char *body; size_t len; int rc; uint32_t id; } cases[] = {
		{ "17", 3, 0, 17 },
		{ "4294967295", 11, 0, 4294967295u },
		{ "4294967296", 11, -EBADMSG, 0 },
		{ "0", 2, -EBADMSG, 0 },
		{ "17", 2, -EBADMSG, 0 },	/* no NUL */
		{ "", 1, -EBADMSG, 0 },
		{ "1x", 3, -EBADMSG, 0 },
		{ "-1", 3, -EBADMSG, 0 },
		{ "", 0, -EBADMSG, 0 },
	};
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		h.len = (uint32_t)cases[i].len;
		id = 0;
		g_assert_cmpint(xsc_wire_parse_txn_id(&h, (const uint8_t *)cases[i].body, 1, &id, NULL),
				==, cases[i].rc);
		if (cases[i].rc == 0)
			g_assert_cmpuint(id, ==, cases[i].id);
	}
	h.type = XS_ERROR;
	h.len = 7;
	g_assert_cmpint(xsc_wire_parse_txn_id(&h, (const uint8_t *)"ENOSPC", 1, &id, NULL), ==, -ENOSPC);
	h.type = XS_TRANSACTION_START;
	h.len = 3;
	g_assert_cmpint(xsc_wire_parse_txn_id(&h, (const uint8_t *)"17", 2, &id, NULL), ==, -EBADMSG);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/xsc/wire/header-is-four-host-order-words",
			test_header_is_four_host_order_words);
	g_test_add_func("/xsc/wire/transaction-start-and-end-bodies",
			test_transaction_start_and_end_bodies);
	g_test_add_func("/xsc/wire/ops-encode-with-ids-and-transaction",
			test_ops_encode_with_ids_and_transaction);
	g_test_add_func("/xsc/wire/invalid-op-appends-nothing", test_invalid_op_appends_nothing);
	g_test_add_func("/xsc/wire/next-waits-for-whole-messages", test_next_waits_for_whole_messages);
	g_test_add_func("/xsc/wire/next-rejects-oversized-length", test_next_rejects_oversized_length);
	g_test_add_func("/xsc/wire/error-names-map-to-errno", test_error_names_map_to_errno);
	g_test_add_func("/xsc/wire/ack-checks-id-type-and-body", test_ack_checks_id_type_and_body);
	g_test_add_func("/xsc/wire/error-reply-names-the-path", test_error_reply_names_the_path);
	g_test_add_func("/xsc/wire/transaction-id-reply-is-parsed-strictly",
			test_transaction_id_reply_is_parsed_strictly);
	return g_test_run();
}
