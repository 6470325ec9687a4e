/* xsc_read_many against a fake xenstored on a socketpair that answers
 * only once the client has stopped sending: the reads of a burst go out
 * together (one exchange per 128), missing nodes come back as NULL, and
 * a broken stream fails the whole call. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xenstore-client/xsc-wire.h"

struct fake {
	int fd;
	bool garble;		/* answer the first read as a write */
	unsigned int requests, exchanges, most_in_one;
};

static bool more_input_soon(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 200) > 0;
}

/* The value of PATH: its last component upper-cased; "missing" nodes are
 * ENOENT. */
static void answer(struct fake *f, GByteArray *out, const struct xsd_sockmsg *h,
		   const uint8_t *body)
{
	const char *path = (const char *)body;
	g_autofree char *v = NULL;

	g_assert_cmpuint(h->type, ==, XS_READ);
	g_assert_cmpuint(h->tx_id, ==, 0);
	g_assert_cmpuint(strnlen(path, h->len), ==, h->len - 1);
	if (strstr(path, "missing")) {
		xsc_wire_append(out, XS_ERROR, h->req_id, 0, "ENOENT", 7);
		return;
	}
	v = g_ascii_strup(strrchr(path, '/') + 1, -1);
	xsc_wire_append(out, f->garble && f->requests == 1 ? XS_WRITE : XS_READ, h->req_id, 0,
			v, strlen(v));
}

static gpointer fake_main(gpointer opaque)
{
	struct fake *f = opaque;
	GByteArray *in = g_byte_array_new(), *out = g_byte_array_new();
	unsigned int pending = 0;
	struct xsd_sockmsg h;
	const uint8_t *body;
	uint8_t tmp[8192];
	size_t mlen;
	ssize_t n;

	for (;;) {
		if (pending && !more_input_soon(f->fd)) {
			/* the client waits: it sent all it will before reading */
			f->exchanges++;
			f->most_in_one = MAX(f->most_in_one, pending);
			if (write(f->fd, out->data, out->len) != (ssize_t)out->len)
				break;
			g_byte_array_set_size(out, 0);
			pending = 0;
		}
		n = read(f->fd, tmp, sizeof(tmp));
		if (n <= 0)
			break;
		g_byte_array_append(in, tmp, (guint)n);
		while (xsc_wire_next(in->data, in->len, &h, &body, &mlen) == 1) {
			f->requests++;
			pending++;
			answer(f, out, &h, body);
			g_byte_array_remove_range(in, 0, (guint)mlen);
		}
	}
	close(f->fd);
	g_byte_array_free(in, TRUE);
	g_byte_array_free(out, TRUE);
	return NULL;
}

static char not_a_real_handle;

/* Reads N paths (every third one missing) through a fresh fake. */
static int run(struct fake *f, unsigned int n, char ***values, bool garble)
{
	struct xsc_ctx ctx = XSC_CTX_INIT;
	GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
	GThread *thread;
	unsigned int i;
	int sv[2], rc;

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
	memset(f, 0, sizeof(*f));
	f->fd = sv[1];
	f->garble = garble;
	ctx.xsh = (struct xs_handle *)(void *)&not_a_real_handle;	/* never used */
	ctx.wire_fd = sv[0];
	for (i = 0; i < n; i++)
		g_ptr_array_add(paths, g_strdup_printf("/local/domain/%u/%s", i,
						       i % 3 == 2 ? "missing" : "name"));
	thread = g_thread_new("fake-xenstored", fake_main, f);
	*values = g_new0(char *, n ? n : 1);
	rc = xsc_read_many(&ctx, (const char *const *)paths->pdata, n, *values);
	if (ctx.wire_fd >= 0)
		close(ctx.wire_fd);
	g_thread_join(thread);
	g_ptr_array_free(paths, TRUE);
	return rc;
}

/* Every value is the node's (NAME), or NULL for the missing ones; freed. */
static void check_values(char **v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (i % 3 == 2)
			g_assert_null(v[i]);
		else
			g_assert_cmpstr(v[i], ==, "NAME");
		g_free(v[i]);
	}
	g_free(v);
}

static void test_one_exchange_for_a_small_burst(void)
{
	struct fake f;
	char **v;

	g_assert_cmpint(run(&f, 20, &v, false), ==, 0);
	g_assert_cmpuint(f.requests, ==, 20);
	g_assert_cmpuint(f.exchanges, ==, 1);
	check_values(v, 20);
}

static void test_bursts_of_128(void)
{
	struct fake f;
	char **v;

	g_assert_cmpint(run(&f, 300, &v, false), ==, 0);
	g_assert_cmpuint(f.requests, ==, 300);
	g_assert_cmpuint(f.exchanges, ==, 3);
	g_assert_cmpuint(f.most_in_one, ==, 128);
	check_values(v, 300);
}

static void test_wrong_reply_type_fails_all(void)
{
	struct fake f;
	char **v;
	unsigned int i;

	g_assert_cmpint(run(&f, 5, &v, true), ==, -EBADMSG);
	for (i = 0; i < 5; i++)
		g_assert_null(v[i]);
	g_free(v);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/xsc/read-many/one-exchange-missing-null",
			test_one_exchange_for_a_small_burst);
	g_test_add_func("/xsc/read-many/bursts-of-128", test_bursts_of_128);
	g_test_add_func("/xsc/read-many/wrong-reply-type-fails-all",
			test_wrong_reply_type_fails_all);
	return g_test_run();
}
