/* The network frontend against the test platform's netback-like loopback:
 * the handshake's xenstore nodes, frames both ways, full rings and flow
 * control, detach and reattach, and misbehaving or vanishing backends.
 * After every test: nothing granted, no port open, no watch left, and the
 * backend never found one of its mappings already released. */
#include <glib.h>
#include <string.h>

#include "pv-drivers/core/netfront.h"
#include "pv-drivers/platform/test/testplat.h"
#include "tests/unit/test-pvd-helpers.h"

#define DOMID 5
#define FE "/local/domain/5/device/vif/0"
#define BE "/local/domain/0/backend/vif/5/0"
#define TMO 5000

struct fx {
	struct pvd_test *t;
	struct pvd_platform *p;
	struct pvd_test_vif *v;
	struct pvd_netfront nf;
	GPtrArray *rx;			/* GBytes received, in order */
};

static void free_bytes(gpointer b)
{
	g_bytes_unref(b);
}

static void setup(struct fx *f, const struct pvd_test_vif_config *cfg)
{
	f->t = pvd_test_new(DOMID);
	f->p = pvd_test_platform(f->t);
	f->v = pvd_test_vif_add(f->t, 0, cfg);
	f->rx = g_ptr_array_new_with_free_func(free_bytes);
	g_assert_cmpint(pvd_netfront_init(&f->nf, f->p, 0), ==, 0);
}

static const struct pvd_test_vif_config good = { .mac = "00:16:3e:12:34:56" };

static void setup_attached(struct fx *f, const struct pvd_test_vif_config *cfg)
{
	setup(f, cfg);
	g_assert_cmpint(pvd_netfront_attach(&f->nf, TMO), ==, 0);
}

static void teardown(struct fx *f)
{
	pvd_netfront_dispose(&f->nf);
	pvd_assert_nothing_held(f->t);
	g_ptr_array_free(f->rx, TRUE);
	pvd_test_free(f->t);
}

/* Detach, and the device is handed back: our state Initialising, the
 * backend (once it has seen that) in InitWait. After a backend loss
 * (LOST), both ends stay Closed. */
static void detach_and_check(struct fx *f, bool lost)
{
	g_autofree char *state = NULL;

	g_assert_cmpint(pvd_netfront_detach(&f->nf, TMO), ==, 0);
	g_assert_cmpint(pvd_test_vif_state(f->v), ==, XenbusStateClosed);
	pvd_assert_nothing_held(f->t);
	state = pvd_test_xs_get(f->t, FE "/state");
	g_assert_cmpstr(state, ==, lost ? "6" : "1");
	f->p->ops->wait(f->p, 0);
	g_assert_cmpint(pvd_test_vif_state(f->v), ==,
			lost ? XenbusStateClosed : XenbusStateInitWait);
}

static void detach_cleanly(struct fx *f)
{
	detach_and_check(f, false);
}

static void collect(void *opaque, const uint8_t *frame, size_t len)
{
	struct fx *f = opaque;

	g_ptr_array_add(f->rx, g_bytes_new(frame, len));
}

/* Lets the backend run and the frontend react until nothing happens;
 * returns the first error of a poll, or 0. */
static int settle(struct fx *f)
{
	int rounds;

	for (rounds = 0; rounds < 100; rounds++) {
		int w = f->p->ops->wait(f->p, 0);
		int r;

		if (w == 0)
			return 0;
		if (w & PVD_WAKE_WATCH) {
			r = pvd_netfront_check(&f->nf);
			if (r < 0)
				return r;
		}
		r = pvd_netfront_poll(&f->nf, collect, f);
		if (r < 0)
			return r;
	}
	g_assert_not_reached();
	return 0;
}

static GBytes *frame(size_t len, unsigned int seq)
{
	uint8_t *b = g_malloc(len);
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(seq * 13 + i * 7);
	if (len >= 4)
		memcpy(b, &seq, 4);
	return g_bytes_new_take(b, len);
}

static void test_attach_publishes_rings_and_features(void)
{
	static const char *const want[][2] = {
		{ "request-rx-copy", "1" }, { "feature-rx-notify", "1" },
		{ "feature-sg", "0" }, { "feature-gso-tcpv4", "0" },
		{ "feature-no-csum-offload", "1" }, { "state", "4" },
	};
	struct fx f;
	size_t i;

	setup_attached(&f, &good);
	for (i = 0; i < G_N_ELEMENTS(want); i++) {
		g_autofree char *path = g_strdup_printf("%s/%s", FE, want[i][0]);
		g_autofree char *v = pvd_test_xs_get(f.t, path);

		g_assert_cmpstr(v, ==, want[i][1]);
	}
	{
		g_autofree char *tx = pvd_test_xs_get(f.t, FE "/tx-ring-ref");
		g_autofree char *rx = pvd_test_xs_get(f.t, FE "/rx-ring-ref");
		g_autofree char *ev = pvd_test_xs_get(f.t, FE "/event-channel");

		g_assert_cmpuint(g_ascii_strtoull(tx, NULL, 10), ==, f.nf.tx_ref);
		g_assert_cmpuint(g_ascii_strtoull(rx, NULL, 10), ==, f.nf.rx_ref);
		g_assert_cmpuint(g_ascii_strtoull(ev, NULL, 10), ==, f.nf.port);
	}
	g_assert_cmpmem(f.nf.mac, 6, ((const uint8_t[]){ 0, 0x16, 0x3e, 0x12, 0x34, 0x56 }), 6);
	g_assert_cmpint(pvd_test_vif_state(f.v), ==, XenbusStateConnected);
	detach_cleanly(&f);
	teardown(&f);
}

static void test_frames_flow_both_ways(void)
{
	static const size_t sizes[] = { 14, 60, 64, 1514, 1518, 4000, 4096 };
	uint8_t buf[PVD_PAGE_SIZE];
	struct fx f;
	size_t i;

	setup_attached(&f, &good);
	for (i = 0; i < G_N_ELEMENTS(sizes); i++) {
		g_autoptr(GBytes) out = frame(sizes[i], (unsigned int)i);
		g_autoptr(GBytes) in = frame(sizes[i], (unsigned int)i + 100);
		size_t n;

		g_assert_cmpint(pvd_netfront_send(&f.nf, g_bytes_get_data(out, NULL),
						  sizes[i]), ==, 0);
		pvd_test_vif_inject(f.v, g_bytes_get_data(in, NULL), sizes[i]);
		g_assert_cmpint(settle(&f), ==, 0);
		n = pvd_test_vif_take(f.v, buf, sizeof(buf));
		g_assert_cmpmem(buf, n, g_bytes_get_data(out, NULL), sizes[i]);
		g_assert_cmpuint(f.rx->len, ==, i + 1);
		g_assert_true(g_bytes_equal(g_ptr_array_index(f.rx, i), in));
	}
	g_assert_cmpuint(f.nf.stats.tx_frames, ==, G_N_ELEMENTS(sizes));
	g_assert_cmpuint(f.nf.stats.rx_frames, ==, G_N_ELEMENTS(sizes));
	g_assert_cmpuint(pvd_test_vif_tx_rejected(f.v), ==, 0);
	detach_cleanly(&f);
	teardown(&f);
}

static void test_frame_size_limits(void)
{
	uint8_t buf[PVD_PAGE_SIZE + 1] = { 0 };
	struct fx f;

	setup_attached(&f, &good);
	g_assert_cmpint(pvd_netfront_send(&f.nf, buf, 13), ==, -EMSGSIZE);
	g_assert_cmpint(pvd_netfront_send(&f.nf, buf, PVD_PAGE_SIZE + 1), ==, -EMSGSIZE);
	g_assert_nonnull(strstr(f.p->err.msg, "frame of"));
	g_assert_cmpint(settle(&f), ==, 0);
	g_assert_cmpuint(pvd_test_vif_take(f.v, buf, sizeof(buf)), ==, 0);
	detach_cleanly(&f);
	teardown(&f);
}

/* More frames than rx buffers: the backend fills every posted buffer,
 * waits, and goes on when the frontend gives them back. */
static void test_full_rx_ring_waits_for_returned_buffers(void)
{
	const unsigned int n = PVD_NET_RX_SLOTS + 44;
	struct fx f;
	unsigned int i;

	setup_attached(&f, &good);
	for (i = 0; i < n; i++) {
		g_autoptr(GBytes) b = frame(100, i);

		pvd_test_vif_inject(f.v, g_bytes_get_data(b, NULL), 100);
	}
	g_assert_cmpint(f.p->ops->wait(f.p, 0), ==, PVD_WAKE_EVTCHN);
	g_assert_cmpuint(pvd_test_vif_queued_to_guest(f.v), ==, 44);
	g_assert_cmpint(pvd_netfront_poll(&f.nf, collect, &f), ==, PVD_NET_RX_SLOTS);
	g_assert_cmpint(settle(&f), ==, 0);
	g_assert_cmpuint(pvd_test_vif_queued_to_guest(f.v), ==, 0);
	g_assert_cmpuint(f.rx->len, ==, n);
	for (i = 0; i < n; i++) {
		g_autoptr(GBytes) b = frame(100, i);

		g_assert_true(g_bytes_equal(g_ptr_array_index(f.rx, i), b));
	}
	detach_cleanly(&f);
	teardown(&f);
}

/* Every tx buffer in flight: the next send waits for the backend. */
static void test_tx_flow_control(void)
{
	uint8_t buf[PVD_PAGE_SIZE];
	struct fx f;
	unsigned int i, got = 0;

	setup_attached(&f, &good);
	for (i = 0; i < PVD_NET_TX_BUFS; i++) {
		g_autoptr(GBytes) b = frame(60, i);

		g_assert_true(pvd_netfront_can_send(&f.nf));
		g_assert_cmpint(pvd_netfront_send(&f.nf, g_bytes_get_data(b, NULL), 60), ==, 0);
	}
	g_assert_false(pvd_netfront_can_send(&f.nf));
	g_assert_cmpint(pvd_netfront_send(&f.nf, buf, 60), ==, -EAGAIN);
	g_assert_cmpint(settle(&f), ==, 0);
	g_assert_true(pvd_netfront_can_send(&f.nf));
	while (pvd_test_vif_take(f.v, buf, sizeof(buf)) == 60) {
		g_autoptr(GBytes) b = frame(60, got);

		g_assert_cmpmem(buf, 60, g_bytes_get_data(b, NULL), 60);
		got++;
	}
	g_assert_cmpuint(got, ==, PVD_NET_TX_BUFS);
	detach_cleanly(&f);
	teardown(&f);
}

static void test_many_frames_both_ways(void)
{
	const unsigned int n = 1500;
	uint8_t buf[PVD_PAGE_SIZE];
	struct fx f;
	unsigned int i, got = 0;

	setup_attached(&f, &good);
	for (i = 0; i < n; i++) {
		size_t len = 14 + (i * 37) % 1500;
		g_autoptr(GBytes) out = frame(len, i);
		g_autoptr(GBytes) in = frame(len, i + n);

		while (!pvd_netfront_can_send(&f.nf))
			g_assert_cmpint(settle(&f), ==, 0);
		g_assert_cmpint(pvd_netfront_send(&f.nf, g_bytes_get_data(out, NULL), len), ==, 0);
		pvd_test_vif_inject(f.v, g_bytes_get_data(in, NULL), len);
		if (i % 7 == 0)
			g_assert_cmpint(settle(&f), ==, 0);
	}
	g_assert_cmpint(settle(&f), ==, 0);
	for (i = 0; i < n; i++) {
		size_t len = 14 + (i * 37) % 1500;
		g_autoptr(GBytes) out = frame(len, i);
		g_autoptr(GBytes) in = frame(len, i + n);

		g_assert_cmpuint(pvd_test_vif_take(f.v, buf, sizeof(buf)), ==, len);
		g_assert_cmpmem(buf, len, g_bytes_get_data(out, NULL), len);
		g_assert_true(g_bytes_equal(g_ptr_array_index(f.rx, i), in));
		got++;
	}
	g_assert_cmpuint(f.rx->len, ==, n);
	g_assert_cmpuint(got, ==, n);
	detach_cleanly(&f);
	teardown(&f);
}

static void test_misbehaving_backend_is_an_error_not_a_crash(void)
{
	static const struct {
		enum pvd_test_misbehave m;
		bool rx;		/* shows on the rx path, else tx */
	} kinds[] = {
		{ PVD_TEST_BAD_ID, false }, { PVD_TEST_DUP_ID, false },
		{ PVD_TEST_BAD_PROD, false }, { PVD_TEST_BAD_ID, true },
		{ PVD_TEST_RX_BAD_SIZE, true }, { PVD_TEST_RX_BAD_OFFSET, true },
		{ PVD_TEST_RX_MORE_DATA, true },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autoptr(GBytes) b = frame(200, 1);
		struct fx f;

		setup_attached(&f, &good);
		pvd_test_vif_misbehave(f.v, kinds[i].m);
		if (kinds[i].rx)
			pvd_test_vif_inject(f.v, g_bytes_get_data(b, NULL), 200);
		else
			g_assert_cmpint(pvd_netfront_send(&f.nf, g_bytes_get_data(b, NULL),
							  200), ==, 0);
		g_assert_cmpint(settle(&f), ==, -EPROTO);
		g_test_message("misbehaviour %d: %s", kinds[i].m, f.p->err.msg);
		g_assert_nonnull(strstr(f.p->err.msg, "backend"));
		g_assert_cmpuint(f.rx->len, ==, 0);
		g_assert_cmpint(pvd_netfront_send(&f.nf, g_bytes_get_data(b, NULL), 200),
				==, -EPROTO);
		g_assert_false(pvd_netfront_can_send(&f.nf));
		detach_cleanly(&f);
		teardown(&f);
	}
}

static void test_rx_error_status_is_counted_not_fatal(void)
{
	g_autoptr(GBytes) b = frame(80, 3);
	struct fx f;

	setup_attached(&f, &good);
	pvd_test_vif_misbehave(f.v, PVD_TEST_RX_ERROR);
	pvd_test_vif_inject(f.v, g_bytes_get_data(b, NULL), 80);
	g_assert_cmpint(settle(&f), ==, 0);
	g_assert_cmpuint(f.rx->len, ==, 0);
	g_assert_cmpuint(f.nf.stats.rx_errors, ==, 1);
	pvd_test_vif_misbehave(f.v, PVD_TEST_GOOD);
	pvd_test_vif_inject(f.v, g_bytes_get_data(b, NULL), 80);
	g_assert_cmpint(settle(&f), ==, 0);
	g_assert_cmpuint(f.rx->len, ==, 1);
	detach_cleanly(&f);
	teardown(&f);
}

static void test_attach_failures_leave_nothing_behind(void)
{
	const struct pvd_test_vif_config norxcopy = { .no_rx_copy = true };
	const struct pvd_test_vif_config refuse = { .misbehave = PVD_TEST_REFUSE };
	const struct pvd_test_vif_config never = { .misbehave = PVD_TEST_NEVER_READY };
	const struct pvd_test_vif_config badmac = { .mac = "00:16:3e:12:34" };
	const struct pvd_test_vif_config badstate = { .override_node = "state",
		.override_value = "x" };
	const struct {
		const struct pvd_test_vif_config *cfg;
		int err;
		const char *says;
	} cases[] = {
		{ &norxcopy, -EOPNOTSUPP, "feature-rx-copy" },
		{ &refuse, -ECONNREFUSED, "refused" },
		{ &never, -ETIMEDOUT, "Initialising" },
		{ &badmac, -EPROTO, "mac" },
		{ &badstate, -EPROTO, "XenbusState" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct fx f;

		setup(&f, cases[i].cfg);
		g_assert_cmpint(pvd_netfront_attach(&f.nf, TMO), ==, cases[i].err);
		g_assert_nonnull(strstr(f.p->err.msg, cases[i].says));
		pvd_assert_nothing_held(f.t);
		teardown(&f);
	}
}

static void test_detach_then_attach_again(void)
{
	uint8_t buf[PVD_PAGE_SIZE];
	struct fx f;
	int round;

	setup(&f, &good);
	for (round = 0; round < 3; round++) {
		g_autoptr(GBytes) b = frame(70, (unsigned int)round);

		g_assert_cmpint(pvd_netfront_attach(&f.nf, TMO), ==, 0);
		g_assert_cmpint(pvd_netfront_send(&f.nf, g_bytes_get_data(b, NULL), 70), ==, 0);
		pvd_test_vif_inject(f.v, g_bytes_get_data(b, NULL), 70);
		g_assert_cmpint(settle(&f), ==, 0);
		g_assert_cmpuint(pvd_test_vif_take(f.v, buf, sizeof(buf)), ==, 70);
		g_assert_cmpuint(f.rx->len, ==, (guint)round + 1);
		detach_cleanly(&f);
	}
	teardown(&f);
}

static void test_backend_leaving_is_noticed(void)
{
	struct fx f;

	setup_attached(&f, &good);
	pvd_test_xs_set(f.t, BE "/state", "5");
	g_assert_cmpint(settle(&f), ==, -ECONNRESET);
	g_assert_nonnull(strstr(f.p->err.msg, "left Connected"));
	detach_and_check(&f, true);
	teardown(&f);

	setup_attached(&f, &good);
	pvd_test_xs_rm(f.t, BE);
	g_assert_cmpint(settle(&f), ==, -ENODEV);
	g_assert_cmpint(pvd_netfront_detach(&f.nf, TMO), ==, 0);
	teardown(&f);
}

/* Found by tests/fuzz/fuzz-pvd-ring: a second check after the backend
 * left returned the error with an empty message. */
static void test_check_again_after_failure_says_why(void)
{
	struct fx f;

	setup_attached(&f, &good);
	pvd_test_xs_set(f.t, BE "/state", "5");
	g_assert_cmpint(settle(&f), ==, -ECONNRESET);
	g_assert_cmpint(pvd_netfront_check(&f.nf), ==, -ECONNRESET);
	g_assert_nonnull(strstr(f.p->err.msg, "left Connected"));
	detach_and_check(&f, true);
	teardown(&f);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pvd/netfront/attach-publishes-rings-and-features",
			test_attach_publishes_rings_and_features);
	g_test_add_func("/pvd/netfront/frames-flow-both-ways", test_frames_flow_both_ways);
	g_test_add_func("/pvd/netfront/frame-size-limits", test_frame_size_limits);
	g_test_add_func("/pvd/netfront/full-rx-ring-waits-for-returned-buffers",
			test_full_rx_ring_waits_for_returned_buffers);
	g_test_add_func("/pvd/netfront/tx-flow-control", test_tx_flow_control);
	g_test_add_func("/pvd/netfront/many-frames-both-ways", test_many_frames_both_ways);
	g_test_add_func("/pvd/netfront/misbehaving-backend-is-an-error-not-a-crash",
			test_misbehaving_backend_is_an_error_not_a_crash);
	g_test_add_func("/pvd/netfront/rx-error-status-is-counted-not-fatal",
			test_rx_error_status_is_counted_not_fatal);
	g_test_add_func("/pvd/netfront/attach-failures-leave-nothing-behind",
			test_attach_failures_leave_nothing_behind);
	g_test_add_func("/pvd/netfront/detach-then-attach-again", test_detach_then_attach_again);
	g_test_add_func("/pvd/netfront/backend-leaving-is-noticed", test_backend_leaving_is_noticed);
	g_test_add_func("/pvd/netfront/check-again-after-failure-says-why",
			test_check_again_after_failure_says_why);
	return g_test_run();
}
