/* Building batches: validation, sticky errors, the text form. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstore-client/xsc.h"

static const struct xsc_op *op_at(const struct xsc_batch *b, unsigned int i)
{
	return &g_array_index(b->ops, struct xsc_op, i);
}

static void test_adds_copy_their_arguments(void)
{
	struct xs_permissions perms[2] = { { 5, XS_PERM_NONE }, { 0, XS_PERM_READ } };
	struct xsc_batch b;
	char path[32] = "/local/domain/5";
	char value[8] = "web";

	xsc_batch_init(&b);
	g_assert_cmpint(xsc_batch_mkdir(&b, path, perms, 2), ==, 0);
	g_assert_cmpint(xsc_batch_write(&b, "/local/domain/5/name", value), ==, 0);
	g_assert_cmpint(xsc_batch_writef(&b, "/local/domain/5/memory/target", "%u", 16384u), ==, 0);
	g_assert_cmpint(xsc_batch_rm(&b, "/old"), ==, 0);
	g_assert_cmpint(xsc_batch_set_perms(&b, "/x", perms, 1), ==, 0);
	strcpy(path, "/clobbered");
	strcpy(value, "zzz");
	perms[0].id = 99;
	g_assert_cmpuint(xsc_batch_len(&b), ==, 5);
	g_assert_cmpstr(op_at(&b, 0)->path, ==, "/local/domain/5");
	g_assert_cmpuint(op_at(&b, 0)->n_perms, ==, 2);
	g_assert_cmpuint(op_at(&b, 0)->perms[0].id, ==, 5);
	g_assert_cmpstr(op_at(&b, 1)->value, ==, "web");
	g_assert_cmpstr(op_at(&b, 2)->value, ==, "16384");
	g_assert_cmpint(op_at(&b, 3)->kind, ==, XSC_OP_RM);
	g_assert_cmpint(b.status, ==, 0);
	xsc_batch_dispose(&b);
}

static void test_request_count_is_ops_plus_transaction(void)
{
	struct xs_permissions perms[1] = { { 0, XS_PERM_NONE } };
	struct xsc_batch b;

	xsc_batch_init(&b);
	g_assert_cmpuint(xsc_batch_requests(&b), ==, 0);
	xsc_batch_mkdir(&b, "/a", perms, 1);	/* mkdir + set perms */
	xsc_batch_mkdir(&b, "/a/b", NULL, 0);	/* inherits: mkdir only */
	xsc_batch_write(&b, "/a/b/c", "1");
	g_assert_cmpuint(xsc_batch_requests(&b), ==, 2 + 1 + 1 + 2);
	xsc_batch_dispose(&b);
}

static void test_first_error_is_sticky(void)
{
	struct xs_permissions bad[1] = { { 0, 0x20 } };
	struct xsc_batch b;

	xsc_batch_init(&b);
	g_assert_cmpint(xsc_batch_write(&b, "relative", "x"), ==, -EINVAL);
	g_assert_cmpint(xsc_batch_mkdir(&b, "/d", bad, 1), ==, -EINVAL);
	g_assert_cmpint(xsc_batch_write(&b, "/ok", "x"), ==, 0);
	g_assert_cmpint(b.status, ==, -EINVAL);
	g_assert_nonnull(strstr(b.err.msg, "relative"));
	g_assert_cmpuint(xsc_batch_len(&b), ==, 1);
	xsc_batch_dispose(&b);
}

static void test_bad_arguments_are_refused(void)
{
	struct xsc_batch b;
	char *big = g_malloc0(XENSTORE_PAYLOAD_MAX + 1);

	memset(big, 'x', XENSTORE_PAYLOAD_MAX);
	xsc_batch_init(&b);
	g_assert_cmpint(xsc_batch_write(&b, "/a", big), ==, -E2BIG);
	g_assert_cmpint(xsc_batch_set_perms(&b, "/a", NULL, 0), ==, -EINVAL);
	g_assert_cmpint(xsc_batch_rm(&b, "/a/"), ==, -EINVAL);
	g_assert_cmpuint(xsc_batch_len(&b), ==, 0);
	xsc_batch_dispose(&b);
	g_free(big);
}

static void test_commit_refuses_a_batch_with_an_error(void)
{
	struct xsc_batch b;
	struct xsc_ctx ctx;

	/* No xenstored is needed: the batch is refused before any I/O. */
	memset(&ctx, 0, sizeof(ctx));
	ctx.wire_fd = -1;
	xsc_batch_init(&b);
	xsc_batch_write(&b, "/bad path", "x");
	g_assert_cmpint(xsc_batch_commit(&ctx, &b), ==, -EINVAL);
	g_assert_nonnull(strstr(xsc_errmsg(&ctx), "/bad path"));
	xsc_batch_dispose(&b);
}

static void test_parse_lines_of_each_kind(void)
{
	struct xsc_batch b;
	struct xsc_err err = { "" };

	xsc_batch_init(&b);
	g_assert_cmpint(xsc_batch_parse_line(&b, "mkdir /local/domain/5 n5,r0\n", &err), ==, 0);
	g_assert_cmpint(xsc_batch_parse_line(&b, "  mkdir /plain", &err), ==, 0);
	g_assert_cmpint(xsc_batch_parse_line(&b, "write /a/name hello  world \n", &err), ==, 0);
	g_assert_cmpint(xsc_batch_parse_line(&b, "write /a/q \"x\\ny\\x00\\\"z\\\\\"", &err), ==, 0);
	g_assert_cmpint(xsc_batch_parse_line(&b, "write /a/empty", &err), ==, 0);
	g_assert_cmpint(xsc_batch_parse_line(&b, "rm /old\r\n", &err), ==, 0);
	g_assert_cmpint(xsc_batch_parse_line(&b, "chmod /a n0 r5", &err), ==, 0);
	g_assert_cmpint(xsc_batch_parse_line(&b, "# comment", &err), ==, 0);
	g_assert_cmpint(xsc_batch_parse_line(&b, "   \n", &err), ==, 0);

	g_assert_cmpuint(xsc_batch_len(&b), ==, 7);
	g_assert_cmpuint(op_at(&b, 0)->n_perms, ==, 2);
	g_assert_cmpuint(op_at(&b, 0)->perms[1].perms, ==, XS_PERM_READ);
	g_assert_cmpuint(op_at(&b, 1)->n_perms, ==, 0);
	g_assert_cmpstr(op_at(&b, 2)->value, ==, "hello  world ");
	g_assert_cmpuint(op_at(&b, 3)->value_len, ==, 7);
	g_assert_cmpmem(op_at(&b, 3)->value, 7, "x\ny\0\"z\\", 7);
	g_assert_cmpuint(op_at(&b, 4)->value_len, ==, 0);
	g_assert_cmpint(op_at(&b, 5)->kind, ==, XSC_OP_RM);
	g_assert_cmpstr(op_at(&b, 5)->path, ==, "/old");
	g_assert_cmpint(op_at(&b, 6)->kind, ==, XSC_OP_SET_PERMS);
	g_assert_cmpuint(op_at(&b, 6)->perms[1].id, ==, 5);
	xsc_batch_dispose(&b);
}

static void test_parse_rejects_bad_lines_with_a_reason(void)
{
	static const char *const bad[] = {
		"frobnicate /a", "write", "mkdir", "rm /a /b", "chmod /a", "chmod /a q1",
		"mkdir /a x", "write a/b v", "write /a \"open", "write /a \"x\" tail",
		"write /a \"\\q\"", "write /a \"\\x4\"", "rm /a/",
	};
	struct xsc_batch b;
	struct xsc_err err;
	unsigned int i;

	xsc_batch_init(&b);
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		err.msg[0] = '\0';
		g_assert_cmpint(xsc_batch_parse_line(&b, bad[i], &err), <, 0);
		g_assert_cmpstr(err.msg, !=, "");
	}
	g_assert_cmpuint(xsc_batch_len(&b), ==, 0);
	xsc_batch_dispose(&b);
}

static void test_print_then_parse_gives_the_same_batch(void)
{
	struct xs_permissions perms[2] = { { 5, XS_PERM_NONE }, { 0, XS_PERM_READ } };
	struct xsc_batch a, b;
	struct xsc_err err = { "" };
	char *text = NULL, **lines;
	size_t size = 0;
	unsigned int i;
	FILE *f;

	xsc_batch_init(&a);
	xsc_batch_mkdir(&a, "/d", perms, 2);
	xsc_batch_write(&a, "/d/plain", "value with spaces");
	xsc_batch_write(&a, "/d/edge", " lead and trail ");
	xsc_batch_write(&a, "/d/quote", "\"starts with a quote");
	xsc_batch_write_len(&a, "/d/bin", "\0\x01\xff\n\\", 5);
	xsc_batch_write(&a, "/d/empty", "");
	xsc_batch_rm(&a, "/gone");
	xsc_batch_set_perms(&a, "/d", perms, 1);

	f = open_memstream(&text, &size);
	xsc_batch_print(&a, f);
	fclose(f);
	g_assert_nonnull(strstr(text, "mkdir /d n5,r0\n"));
	g_assert_nonnull(strstr(text, "write /d/plain value with spaces\n"));

	xsc_batch_init(&b);
	lines = g_strsplit(text, "\n", -1);
	for (i = 0; lines[i]; i++)
		g_assert_cmpint(xsc_batch_parse_line(&b, lines[i], &err), ==, 0);
	g_assert_cmpuint(xsc_batch_len(&b), ==, xsc_batch_len(&a));
	for (i = 0; i < xsc_batch_len(&a); i++) {
		g_assert_cmpint(op_at(&b, i)->kind, ==, op_at(&a, i)->kind);
		g_assert_cmpstr(op_at(&b, i)->path, ==, op_at(&a, i)->path);
		g_assert_cmpmem(op_at(&b, i)->value, op_at(&b, i)->value_len,
				op_at(&a, i)->value, op_at(&a, i)->value_len);
		g_assert_cmpuint(op_at(&b, i)->n_perms, ==, op_at(&a, i)->n_perms);
	}
	g_strfreev(lines);
	free(text);
	xsc_batch_dispose(&a);
	xsc_batch_dispose(&b);
}

/* The paths of B's ops are WANT's, in order (WANT ends with NULL). */
static void assert_paths(const struct xsc_batch *b, const char *const *want)
{
	unsigned int i;

	for (i = 0; want[i]; i++) {
		g_assert_cmpuint(i, <, xsc_batch_len(b));
		g_assert_cmpstr(op_at(b, i)->path, ==, want[i]);
	}
	g_assert_cmpuint(xsc_batch_len(b), ==, i);
}

/* A create's batch in small: the domain's directory and its /vm entry go
 * first (their parents are shared), with their permissions; what lies
 * below them, the guest-owned frontend and the writes stay, in order. */
static void test_split_takes_the_dom0_owned_top_directories(void)
{
	struct xs_permissions dom[2] = { { 0, XS_PERM_NONE }, { 7, XS_PERM_READ } };
	struct xs_permissions own[1] = { { 7, XS_PERM_NONE } };
	struct xs_permissions fe[2] = { { 7, XS_PERM_NONE }, { 0, XS_PERM_READ } };
	static const char *const want_roots[] = {
		"/local/domain/7", "/vm/0f", "/local/domain/0/backend/vbd/7/51712", NULL,
	};
	static const char *const want_rest[] = {
		"/local/domain/7/name", "/local/domain/7/control", "/local/domain/7/xlite",
		"/local/domain/7/device", "/vm/0f/name", "/local/domain/0/backend/vbd/7/51712/state",
		"/local/domain/9/device/vbd/51712", "/other", NULL,
	};
	struct xsc_batch b, roots;

	xsc_batch_init(&b);
	xsc_batch_init(&roots);
	xsc_batch_mkdir(&b, "/local/domain/7", dom, 2);
	xsc_batch_write(&b, "/local/domain/7/name", "web");
	xsc_batch_mkdir(&b, "/local/domain/7/control", own, 1);
	xsc_batch_mkdir(&b, "/local/domain/7/xlite", dom, 1);
	xsc_batch_mkdir(&b, "/local/domain/7/device", NULL, 0);
	xsc_batch_mkdir(&b, "/vm/0f", dom, 2);
	xsc_batch_write(&b, "/vm/0f/name", "web");
	xsc_batch_mkdir(&b, "/local/domain/0/backend/vbd/7/51712", dom, 2);
	xsc_batch_write(&b, "/local/domain/0/backend/vbd/7/51712/state", "1");
	xsc_batch_mkdir(&b, "/local/domain/9/device/vbd/51712", fe, 2);
	xsc_batch_mkdir(&b, "/other", NULL, 0);
	xsc_batch_split_roots(&b, &roots);

	assert_paths(&roots, want_roots);
	/* Moved whole: the permissions went along. */
	g_assert_cmpuint(op_at(&roots, 0)->n_perms, ==, 2);
	g_assert_cmpuint(op_at(&roots, 0)->perms[1].id, ==, 7);
	assert_paths(&b, want_rest);
	g_assert_cmpstr(op_at(&b, 0)->value, ==, "web");
	xsc_batch_dispose(&b);
	xsc_batch_dispose(&roots);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/xsc/batch/adds-copy-their-arguments", test_adds_copy_their_arguments);
	g_test_add_func("/xsc/batch/request-count-is-ops-plus-transaction",
			test_request_count_is_ops_plus_transaction);
	g_test_add_func("/xsc/batch/first-error-is-sticky", test_first_error_is_sticky);
	g_test_add_func("/xsc/batch/bad-arguments-are-refused", test_bad_arguments_are_refused);
	g_test_add_func("/xsc/batch/commit-refuses-a-batch-with-an-error",
			test_commit_refuses_a_batch_with_an_error);
	g_test_add_func("/xsc/batch/parse-lines-of-each-kind", test_parse_lines_of_each_kind);
	g_test_add_func("/xsc/batch/parse-rejects-bad-lines-with-a-reason",
			test_parse_rejects_bad_lines_with_a_reason);
	g_test_add_func("/xsc/batch/print-then-parse-gives-the-same-batch",
			test_print_then_parse_gives_the_same_batch);
	g_test_add_func("/xsc/batch/split-takes-the-dom0-owned-top-directories",
			test_split_takes_the_dom0_owned_top_directories);
	return g_test_run();
}
