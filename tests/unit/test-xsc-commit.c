/* Pipelined batch commits against a fake xenstored on a socketpair:
 * transaction framing, EAGAIN retries with backoff, failures mid-burst,
 * hostile replies, batches applied outside a transaction. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xenstore-client/xsc-wire.h"

enum fake_mode {
	FAKE_OK,
	FAKE_EAGAIN_ONCE,	/* first commit: EAGAIN */
	FAKE_EAGAIN_ALWAYS,
	FAKE_EAGAIN_TWELVE,	/* the first twelve commits: EAGAIN */
	FAKE_EIO_AT_END,	/* every commit: EIO */
	FAKE_DENY_SECOND_OP,	/* the second op of each burst: EACCES */
	FAKE_RM_ENOENT,		/* every rm: ENOENT */
	FAKE_OVERSIZED,		/* first op answered with a 5000-byte length */
	FAKE_EOF_AFTER_START,
	FAKE_WATCH_NOISE,	/* a watch event before every reply */
	FAKE_BYTE_BY_BYTE,	/* replies dribbled one byte per write */
	FAKE_HOLD,		/* replies held back until the client stops sending */
};

struct fake {
	int fd;
	enum fake_mode mode;
	bool records;		/* SOCK_SEQPACKET: check one message per write */
	unsigned int n_start, n_end, ops_in_burst;
	unsigned int bad_records;
	GString *log;		/* "START;" "WRITE 17 /a=v;" "END 17 T;" ... */
	GByteArray *held;	/* FAKE_HOLD: replies not sent yet */
	unsigned int n_held, max_held;
	gint64 end_reply_us;	/* when the last commit was answered */
	gint64 min_gap_us[16];	/* [i]: end reply i sent to start i + 1 received */
};

static void send_bytes(struct fake *f, const GByteArray *m)
{
	guint i;

	if (f->mode == FAKE_HOLD) {
		g_byte_array_append(f->held, m->data, m->len);
		f->n_held++;
		return;
	}
	if (f->mode == FAKE_BYTE_BY_BYTE) {
		for (i = 0; i < m->len; i++)
			g_assert_cmpint(write(f->fd, m->data + i, 1), ==, 1);
		return;
	}
	g_assert_cmpint(write(f->fd, m->data, m->len), ==, (ssize_t)m->len);
}

static void reply(struct fake *f, uint32_t type, uint32_t req_id, const char *body, size_t len)
{
	GByteArray *m = g_byte_array_new();

	if (f->mode == FAKE_WATCH_NOISE) {
		xsc_wire_append(m, XS_WATCH_EVENT, 0, 0, "/w\0tok", 7);
		send_bytes(f, m);
		g_byte_array_set_size(m, 0);
	}
	xsc_wire_append(m, type, req_id, 0, body, len);
	send_bytes(f, m);
	g_byte_array_free(m, TRUE);
}

static void log_request(struct fake *f, const struct xsd_sockmsg *h, const uint8_t *body)
{
	size_t plen = strnlen((const char *)body, h->len);

	switch (h->type) {
	case XS_TRANSACTION_START:
		g_string_append(f->log, "START;");
		return;
	case XS_TRANSACTION_END:
		g_string_append_printf(f->log, "END %u %c;", h->tx_id, h->len ? body[0] : '?');
		return;
	default:
		g_string_append_printf(f->log, "%s %u %.*s", xsc_wire_type_name(h->type), h->tx_id,
				       (int)plen, body);
		if (h->type == XS_WRITE)
			g_string_append_printf(f->log, "=%.*s", (int)(h->len - plen - 1), body + plen + 1);
		g_string_append_c(f->log, ';');
	}
}

/* Answers one request; false to hang up. */
static bool serve(struct fake *f, const struct xsd_sockmsg *h, const uint8_t *body)
{
	char id[16];

	log_request(f, h, body);
	switch (h->type) {
	case XS_TRANSACTION_START:
		if (f->n_start >= 1 && f->n_start <= G_N_ELEMENTS(f->min_gap_us))
			f->min_gap_us[f->n_start - 1] = g_get_monotonic_time() - f->end_reply_us;
		f->n_start++;
		f->ops_in_burst = 0;
		snprintf(id, sizeof(id), "%u", 16 + f->n_start);
		reply(f, XS_TRANSACTION_START, h->req_id, id, strlen(id) + 1);
		return f->mode != FAKE_EOF_AFTER_START;
	case XS_TRANSACTION_END:
		f->n_end++;
		/* Taken before the reply leaves: the client cannot start its
		 * pause earlier, so the gap to the next START bounds it below. */
		f->end_reply_us = g_get_monotonic_time();
		if ((f->mode == FAKE_EAGAIN_ONCE && f->n_end == 1) || f->mode == FAKE_EAGAIN_ALWAYS ||
		    (f->mode == FAKE_EAGAIN_TWELVE && f->n_end <= 12))
			reply(f, XS_ERROR, h->req_id, "EAGAIN", 7);
		else if (f->mode == FAKE_EIO_AT_END)
			reply(f, XS_ERROR, h->req_id, "EIO", 4);
		else
			reply(f, XS_TRANSACTION_END, h->req_id, "OK", 3);
		return true;
	default:
		f->ops_in_burst++;
		if (f->mode == FAKE_OVERSIZED) {
			struct xsd_sockmsg bad = { h->type, h->req_id, 0, 5000 };

			g_assert_cmpint(write(f->fd, &bad, sizeof(bad)), ==, (ssize_t)sizeof(bad));
			return false;
		}
		if (f->mode == FAKE_DENY_SECOND_OP && f->ops_in_burst == 2)
			reply(f, XS_ERROR, h->req_id, "EACCES", 7);
		else if (f->mode == FAKE_RM_ENOENT && h->type == XS_RM)
			reply(f, XS_ERROR, h->req_id, "ENOENT", 7);
		else
			reply(f, h->type, h->req_id, "OK", 3);
		return true;
	}
}

static bool more_input_soon(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 200) > 0;
}

static gpointer fake_main(gpointer opaque)
{
	struct fake *f = opaque;
	GByteArray *in = g_byte_array_new();
	uint8_t tmp[8192];
	struct xsd_sockmsg h;
	const uint8_t *body;
	size_t mlen;
	ssize_t n;
	bool more = true;

	for (;;) {
		if (f->n_held && !more_input_soon(f->fd)) {
			/* The client waits: it sent all it will before reading. */
			if (f->n_held > f->max_held)
				f->max_held = f->n_held;
			g_assert_cmpint(write(f->fd, f->held->data, f->held->len), ==,
					(ssize_t)f->held->len);
			g_byte_array_set_size(f->held, 0);
			f->n_held = 0;
		}
		if (!more || (n = read(f->fd, tmp, sizeof(tmp))) <= 0)
			break;
		if (f->records && (xsc_wire_next(tmp, (size_t)n, &h, &body, &mlen) != 1 ||
				   mlen != (size_t)n))
			f->bad_records++;
		g_byte_array_append(in, tmp, (guint)n);
		while (more && xsc_wire_next(in->data, in->len, &h, &body, &mlen) == 1) {
			more = serve(f, &h, body);
			g_byte_array_remove_range(in, 0, (guint)mlen);
		}
	}
	close(f->fd);
	g_byte_array_free(in, TRUE);
	g_byte_array_free(f->held, TRUE);
	return NULL;
}

struct rig {
	struct fake fake;
	GThread *thread;
	struct xsc_ctx ctx;
	struct xsc_batch batch;
};

static char not_a_real_handle;

static void rig_start(struct rig *r, enum fake_mode mode, bool records)
{
	int sv[2];

	g_assert_cmpint(socketpair(AF_UNIX, records ? SOCK_SEQPACKET : SOCK_STREAM, 0, sv), ==, 0);
	memset(r, 0, sizeof(*r));
	r->fake.fd = sv[1];
	r->fake.mode = mode;
	r->fake.records = records;
	r->fake.log = g_string_new(NULL);
	r->fake.held = g_byte_array_new();
	/* The wire path never touches libxenstore: a dummy handle will do. */
	r->ctx.xsh = (struct xs_handle *)(void *)&not_a_real_handle;
	r->ctx.wire_fd = sv[0];
	r->ctx.wire_is_dev = records;
	/* Short pauses: 200 us doubling to 2 ms (within the default budget). */
	r->ctx.retry = (struct xsc_retry){ .first_us = 200, .max_us = 2000 };
	r->thread = g_thread_new("fake-xenstored", fake_main, &r->fake);
	xsc_batch_init(&r->batch);
}

static void add_sample_ops(struct xsc_batch *b)
{
	struct xs_permissions perms[2] = { { 5, XS_PERM_NONE }, { 0, XS_PERM_READ } };

	xsc_batch_mkdir(b, "/d", perms, 2);
	xsc_batch_write(b, "/d/a", "1");
	xsc_batch_rm(b, "/old");
}

#define SAMPLE_BURST(tx) \
	"mkdir " #tx " /d;set permissions of " #tx " /d;write " #tx " /d/a=1;rm " #tx " /old;"

/* Runs mode to completion; returns the commit status and the fake's log. */
static int run_mode(enum fake_mode mode, bool records, char **log, struct rig *r)
{
	int rc;

	rig_start(r, mode, records);
	add_sample_ops(&r->batch);
	rc = xsc_batch_commit(&r->ctx, &r->batch);
	if (r->ctx.wire_fd >= 0)
		close(r->ctx.wire_fd);
	g_thread_join(r->thread);
	*log = g_strdup(r->fake.log->str);
	g_string_free(r->fake.log, TRUE);
	xsc_batch_dispose(&r->batch);
	return rc;
}

static void test_commit_is_start_burst_end(void)
{
	struct rig r;
	char *log;

	g_assert_cmpint(run_mode(FAKE_OK, false, &log, &r), ==, 0);
	g_assert_cmpstr(log, ==, "START;" SAMPLE_BURST(17) "END 17 T;");
	/* Counted as sent: start, four requests for three ops, end. */
	g_assert_cmpuint(r.ctx.n_requests, ==, 6);
	g_assert_cmpuint(r.ctx.n_retries, ==, 0);
	g_free(log);
}

static void test_eagain_on_commit_reruns_everything(void)
{
	struct rig r;
	char *log;

	g_assert_cmpint(run_mode(FAKE_EAGAIN_ONCE, false, &log, &r), ==, 0);
	g_assert_cmpstr(log, ==, "START;" SAMPLE_BURST(17) "END 17 T;"
				  "START;" SAMPLE_BURST(18) "END 18 T;");
	g_assert_cmpuint(r.ctx.n_retries, ==, 1);
	g_assert_cmpuint(r.ctx.n_requests, ==, 12);
	g_free(log);
}

/* Each pause is at least half its delay: 100, 200, 400, 800 us, then 1 ms
 * (half the 2 ms cap) for the rest. */
static gint64 least_pause_us(unsigned int i)
{
	return i < 4 ? 100 << i : 1000;
}

static void test_many_eagains_are_retried_with_growing_pauses_and_succeed(void)
{
	struct rig r;
	gint64 least = 0, t0 = g_get_monotonic_time();
	unsigned int i;
	char *log;

	g_assert_cmpint(run_mode(FAKE_EAGAIN_TWELVE, false, &log, &r), ==, 0);
	g_assert_cmpuint(r.fake.n_start, ==, 13);
	g_assert_cmpuint(r.ctx.n_retries, ==, 12);
	g_assert_nonnull(g_strrstr(log, "START;" SAMPLE_BURST(29) "END 29 T;"));
	for (i = 0; i < 12; i++) {
		/* The fake saw the client wait before each rerun. */
		g_assert_cmpint(r.fake.min_gap_us[i], >=, least_pause_us(i));
		least += least_pause_us(i);
	}
	g_assert_cmpuint(r.ctx.retry_wait_us, >=, (unsigned long)least);
	g_assert_cmpint(g_get_monotonic_time() - t0, >=, least);
	g_free(log);
}

static void test_endless_eagain_gives_up_when_the_time_budget_is_spent(void)
{
	struct rig r;
	gint64 t0;
	int rc;

	rig_start(&r, FAKE_EAGAIN_ALWAYS, false);
	r.ctx.retry.budget_ms = 300;
	add_sample_ops(&r.batch);
	t0 = g_get_monotonic_time();
	rc = xsc_batch_commit(&r.ctx, &r.batch);
	g_assert_cmpint(g_get_monotonic_time() - t0, >=, 300 * 1000);
	close(r.ctx.wire_fd);
	g_thread_join(r.thread);
	g_assert_cmpint(rc, ==, -EAGAIN);
	/* Not before the budget is spent; pauses were at most 2 ms. */
	g_assert_cmpuint(r.fake.n_start, >=, 2);
	g_assert_cmpuint(r.ctx.n_retries, ==, r.fake.n_start - 1);
	g_assert_nonnull(strstr(xsc_errmsg(&r.ctx), "still conflicting after"));
	g_string_free(r.fake.log, TRUE);
	xsc_batch_dispose(&r.batch);
}

static void test_other_commit_failure_is_reported_at_once(void)
{
	struct rig r;
	char *log;

	g_assert_cmpint(run_mode(FAKE_EIO_AT_END, false, &log, &r), ==, -EIO);
	g_assert_cmpuint(r.fake.n_start, ==, 1);
	g_assert_cmpuint(r.ctx.n_retries, ==, 0);
	g_assert_cmpuint(r.ctx.retry_wait_us, ==, 0);
	g_assert_cmpstr(xsc_errmsg(&r.ctx), ==, "cannot commit a xenstore transaction: "
			"Input/output error");
	g_free(log);
}

/* xsc_batch_apply of the sample ops against MODE; the fake's log in *log. */
static int run_apply(enum fake_mode mode, char **log, struct rig *r)
{
	int rc;

	rig_start(r, mode, false);
	add_sample_ops(&r->batch);
	rc = xsc_batch_apply(&r->ctx, &r->batch);
	close(r->ctx.wire_fd);
	g_thread_join(r->thread);
	*log = g_string_free(r->fake.log, FALSE);
	xsc_batch_dispose(&r->batch);
	return rc;
}

static void test_apply_sends_the_ops_outside_a_transaction(void)
{
	struct rig r;
	char *log;

	g_assert_cmpint(run_apply(FAKE_OK, &log, &r), ==, 0);
	g_assert_cmpstr(log, ==, SAMPLE_BURST(0));
	g_assert_cmpuint(r.ctx.n_requests, ==, 4);
	g_free(log);
}

static void test_apply_stops_at_a_failure_and_names_it(void)
{
	struct rig r;
	char *log;

	g_assert_cmpint(run_apply(FAKE_DENY_SECOND_OP, &log, &r), ==, -EACCES);
	g_assert_cmpstr(xsc_errmsg(&r.ctx), ==, "set permissions of /d: permission denied");
	g_assert_null(strstr(log, "START"));
	g_free(log);
}

static void test_failed_op_aborts_and_names_the_path(void)
{
	struct rig r;
	char *log;

	g_assert_cmpint(run_mode(FAKE_DENY_SECOND_OP, false, &log, &r), ==, -EACCES);
	/* Every reply of the burst is read, then the transaction is abandoned. */
	g_assert_cmpstr(log, ==, "START;" SAMPLE_BURST(17) "END 17 F;");
	g_assert_cmpstr(xsc_errmsg(&r.ctx), ==, "set permissions of /d: permission denied");
	g_free(log);
}

static void test_rm_of_a_missing_node_is_not_an_error(void)
{
	struct rig r;
	char *log;

	g_assert_cmpint(run_mode(FAKE_RM_ENOENT, false, &log, &r), ==, 0);
	g_assert_nonnull(g_strrstr(log, "END 17 T;"));
	g_free(log);
}

static void test_oversized_reply_breaks_the_connection(void)
{
	struct rig r;
	char *log;

	g_assert_cmpint(run_mode(FAKE_OVERSIZED, false, &log, &r), ==, -EBADMSG);
	g_assert_cmpint(r.ctx.wire_fd, ==, -1);
	g_assert_nonnull(strstr(xsc_errmsg(&r.ctx), "longer than"));
	g_assert_null(strstr(log, "END"));
	g_free(log);
}

static void test_hangup_is_reported_not_retried(void)
{
	struct rig r;
	char *log;
	int rc = run_mode(FAKE_EOF_AFTER_START, false, &log, &r);

	g_assert_true(rc == -ECONNRESET || rc == -EPIPE);
	g_assert_cmpint(r.ctx.wire_fd, ==, -1);
	g_assert_cmpuint(r.fake.n_start, ==, 1);
	g_free(log);
}

static void test_watch_events_between_replies_are_skipped(void)
{
	struct rig r;
	char *log;

	g_assert_cmpint(run_mode(FAKE_WATCH_NOISE, false, &log, &r), ==, 0);
	g_assert_cmpstr(log, ==, "START;" SAMPLE_BURST(17) "END 17 T;");
	g_free(log);
}

static void test_replies_split_into_single_bytes_are_reassembled(void)
{
	struct rig r;
	char *log;

	g_assert_cmpint(run_mode(FAKE_BYTE_BY_BYTE, false, &log, &r), ==, 0);
	g_assert_cmpstr(log, ==, "START;" SAMPLE_BURST(17) "END 17 T;");
	g_free(log);
}

static void test_xenbus_device_gets_one_message_per_write(void)
{
	struct rig r;
	char *log;

	g_assert_cmpint(run_mode(FAKE_OK, true, &log, &r), ==, 0);
	g_assert_cmpstr(log, ==, "START;" SAMPLE_BURST(17) "END 17 T;");
	g_assert_cmpuint(r.fake.bad_records, ==, 0);
	g_free(log);
}

static void test_a_long_batch_goes_in_several_bursts_of_one_transaction(void)
{
	struct rig r;
	GString *want = g_string_new("START;");
	unsigned int i;
	int rc;

	rig_start(&r, FAKE_OK, false);
	for (i = 0; i < 300; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/d/k%u", i);
		xsc_batch_writef(&r.batch, path, "%u", i);
		g_string_append_printf(want, "write 17 %s=%u;", path, i);
	}
	g_string_append(want, "END 17 T;");
	rc = xsc_batch_commit(&r.ctx, &r.batch);
	close(r.ctx.wire_fd);
	g_thread_join(r.thread);
	g_assert_cmpint(rc, ==, 0);
	g_assert_cmpstr(r.fake.log->str, ==, want->str);
	g_assert_cmpuint(r.ctx.n_requests, ==, 302);
	g_string_free(r.fake.log, TRUE);
	g_string_free(want, TRUE);
	xsc_batch_dispose(&r.batch);
}

static void test_requests_are_pipelined_in_bounded_bursts(void)
{
	struct rig r;
	unsigned int i;
	int rc;

	/* The fake answers only once the client stops sending: how many
	 * requests were in flight at once shows the pipelining. */
	rig_start(&r, FAKE_HOLD, false);
	for (i = 0; i < 300; i++)
		xsc_batch_writef(&r.batch, "/d/k", "%u", i);
	rc = xsc_batch_commit(&r.ctx, &r.batch);
	close(r.ctx.wire_fd);
	g_thread_join(r.thread);
	g_assert_cmpint(rc, ==, 0);
	g_assert_cmpuint(r.fake.max_held, >, 100);
	g_assert_cmpuint(r.fake.max_held, <=, 129);
	g_assert_nonnull(g_strrstr(r.fake.log->str, "write 17 /d/k=299;END 17 T;"));
	g_string_free(r.fake.log, TRUE);
	xsc_batch_dispose(&r.batch);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	signal(SIGPIPE, SIG_IGN);
	g_test_add_func("/xsc/commit/is-start-burst-end", test_commit_is_start_burst_end);
	g_test_add_func("/xsc/commit/eagain-on-commit-reruns-everything",
			test_eagain_on_commit_reruns_everything);
	g_test_add_func("/xsc/commit/many-eagains-are-retried-with-growing-pauses-and-succeed",
			test_many_eagains_are_retried_with_growing_pauses_and_succeed);
	g_test_add_func("/xsc/commit/endless-eagain-gives-up-when-the-time-budget-is-spent",
			test_endless_eagain_gives_up_when_the_time_budget_is_spent);
	g_test_add_func("/xsc/commit/other-commit-failure-is-reported-at-once",
			test_other_commit_failure_is_reported_at_once);
	g_test_add_func("/xsc/commit/apply-sends-the-ops-outside-a-transaction",
			test_apply_sends_the_ops_outside_a_transaction);
	g_test_add_func("/xsc/commit/apply-stops-at-a-failure-and-names-it",
			test_apply_stops_at_a_failure_and_names_it);
	g_test_add_func("/xsc/commit/failed-op-aborts-and-names-the-path",
			test_failed_op_aborts_and_names_the_path);
	g_test_add_func("/xsc/commit/rm-of-a-missing-node-is-not-an-error",
			test_rm_of_a_missing_node_is_not_an_error);
	g_test_add_func("/xsc/commit/oversized-reply-breaks-the-connection",
			test_oversized_reply_breaks_the_connection);
	g_test_add_func("/xsc/commit/hangup-is-reported-not-retried",
			test_hangup_is_reported_not_retried);
	g_test_add_func("/xsc/commit/watch-events-between-replies-are-skipped",
			test_watch_events_between_replies_are_skipped);
	g_test_add_func("/xsc/commit/replies-split-into-single-bytes-are-reassembled",
			test_replies_split_into_single_bytes_are_reassembled);
	g_test_add_func("/xsc/commit/xenbus-device-gets-one-message-per-write",
			test_xenbus_device_gets_one_message_per_write);
	g_test_add_func("/xsc/commit/a-long-batch-goes-in-several-bursts-of-one-transaction",
			test_a_long_batch_goes_in_several_bursts_of_one_transaction);
	g_test_add_func("/xsc/commit/requests-are-pipelined-in-bounded-bursts",
			test_requests_are_pipelined_in_bounded_bursts);
	return g_test_run();
}
