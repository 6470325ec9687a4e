/* The block frontend against the test platform's blkback-like loopback:
 * the handshake's xenstore nodes, reads, writes, flushes, detach and
 * reattach, and what it does when the backend misbehaves or goes away.
 * After every test: nothing granted, no port open, no watch left, and the
 * backend never found one of its mappings already released. */
#include <glib.h>
#include <string.h>

#include "pv-drivers/core/blkfront.h"
#include "pv-drivers/platform/test/testplat.h"
#include "tests/unit/test-pvd-helpers.h"

#define DOMID 5
#define VDEV 51712
#define FE "/local/domain/5/device/vbd/51712"
#define TMO 5000

struct fx {
	struct pvd_test *t;
	struct pvd_platform *p;
	struct pvd_test_vbd *v;
	struct pvd_blkfront bf;
};

static void setup(struct fx *f, const struct pvd_test_vbd_config *cfg)
{
	f->t = pvd_test_new(DOMID);
	f->p = pvd_test_platform(f->t);
	f->v = pvd_test_vbd_add(f->t, VDEV, cfg);
	g_assert_cmpint(pvd_blkfront_init(&f->bf, f->p, VDEV), ==, 0);
}

static void setup_attached(struct fx *f, const struct pvd_test_vbd_config *cfg)
{
	setup(f, cfg);
	g_assert_cmpint(pvd_blkfront_attach(&f->bf, TMO), ==, 0);
}

static void teardown(struct fx *f)
{
	pvd_blkfront_dispose(&f->bf);
	pvd_assert_nothing_held(f->t);
	pvd_test_free(f->t);
}

/* Detach, and the device is handed back: our state Initialising, and the
 * backend, once it has seen that, waiting in InitWait for a frontend. */
static void detach_cleanly(struct fx *f)
{
	g_autofree char *state = NULL;

	g_assert_cmpint(pvd_blkfront_detach(&f->bf, TMO), ==, 0);
	g_assert_cmpint(pvd_test_vbd_state(f->v), ==, XenbusStateClosed);
	pvd_assert_nothing_held(f->t);
	state = pvd_test_xs_get(f->t, FE "/state");
	g_assert_cmpstr(state, ==, "1");
	f->p->ops->wait(f->p, 0);
	g_assert_cmpint(pvd_test_vbd_state(f->v), ==, XenbusStateInitWait);
}

/* Detach after the backend went away: no hand-back, the device stays
 * Closed on both ends. */
static void detach_after_loss(struct fx *f)
{
	g_autofree char *state = NULL;

	g_assert_cmpint(pvd_blkfront_detach(&f->bf, TMO), ==, 0);
	pvd_assert_nothing_held(f->t);
	state = pvd_test_xs_get(f->t, FE "/state");
	g_assert_cmpstr(state, ==, "6");
	f->p->ops->wait(f->p, 0);
	g_assert_cmpint(pvd_test_vbd_state(f->v), ==, XenbusStateClosed);
}

static char *fe_node(struct fx *f, const char *name)
{
	g_autofree char *path = g_strdup_printf("%s/%s", FE, name);

	return pvd_test_xs_get(f->t, path);
}

static void fill(uint8_t *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 31 + seed * 7 + (i >> 9));
}

static const struct pvd_test_vbd_config disk_1m = { .sectors = 2048, .flush = true };

static void test_attach_publishes_ring_and_reads_disk_details(void)
{
	struct fx f;
	g_autofree char *ring = NULL, *port = NULL, *proto = NULL, *state = NULL;
	const struct pvd_blk_info *in;

	setup_attached(&f, &disk_1m);
	ring = fe_node(&f, "ring-ref");
	port = fe_node(&f, "event-channel");
	proto = fe_node(&f, "protocol");
	state = fe_node(&f, "state");
	g_assert_nonnull(ring);
	g_assert_cmpuint(g_ascii_strtoull(ring, NULL, 10), ==, f.bf.ring_ref);
	g_assert_cmpuint(g_ascii_strtoull(port, NULL, 10), ==, f.bf.port);
	g_assert_cmpstr(proto, ==, "x86_64-abi");
	{
		g_autofree char *persistent = fe_node(&f, "feature-persistent");

		g_assert_cmpstr(persistent, ==, "1");
	}
	g_assert_cmpstr(state, ==, "4");
	g_assert_cmpint(pvd_test_vbd_state(f.v), ==, XenbusStateConnected);
	in = pvd_blkfront_info(&f.bf);
	g_assert_cmpuint(in->sectors, ==, 2048);
	g_assert_cmpuint(in->sector_size, ==, 512);
	g_assert_cmpuint(in->physical_sector_size, ==, 512);
	g_assert_true(in->flush);
	g_assert_false(in->readonly);
	g_assert_cmpuint(f.bf.xb.backend_id, ==, 0);
	g_assert_cmpstr(f.bf.xb.backend, ==, pvd_test_vbd_backend(f.v));
	detach_cleanly(&f);
	teardown(&f);
}

static void test_write_then_read_round_trips_at_every_size(void)
{
	static const struct {
		uint64_t sector;
		uint32_t count;
	} cases[] = {
		{ 0, 1 }, { 5, 7 }, { 100, 8 }, { 200, 88 }, { 300, 89 },
		{ 400, 176 }, { 700, 1000 }, { 2047, 1 }, { 0, 2048 },
	};
	struct fx f;
	size_t i;

	setup_attached(&f, &disk_1m);
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		size_t len = (size_t)cases[i].count * 512;
		g_autofree uint8_t *out = g_malloc(len), *in = g_malloc0(len);

		fill(out, len, (unsigned int)i);
		g_assert_cmpint(pvd_blkfront_write(&f.bf, cases[i].sector,
						   cases[i].count, out), ==, 0);
		g_assert_cmpmem(pvd_test_vbd_disk(f.v) + cases[i].sector * 512, len,
				out, len);
		g_assert_cmpint(pvd_blkfront_read(&f.bf, cases[i].sector,
						  cases[i].count, in), ==, 0);
		g_assert_cmpmem(in, len, out, len);
	}
	detach_cleanly(&f);
	teardown(&f);
}

/* A transfer larger than the ring keeps every slot busy and is cut into
 * requests of at most 11 pages. */
static void test_large_io_fills_the_ring(void)
{
	const struct pvd_test_vbd_config cfg = { .sectors = 32 * 88 * 3 };
	uint32_t count = 32 * 88 * 3;
	size_t len = (size_t)count * 512;
	g_autofree uint8_t *out = g_malloc(len), *in = g_malloc(len);
	struct fx f;

	setup_attached(&f, &cfg);
	fill(out, len, 9);
	g_assert_cmpint(pvd_blkfront_write(&f.bf, 0, count, out), ==, 0);
	g_assert_cmpuint(pvd_test_vbd_requests(f.v), ==, 96);
	g_assert_cmpuint(pvd_test_vbd_max_inflight(f.v), ==, PVD_BLK_SLOTS);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, count, in), ==, 0);
	g_assert_cmpmem(in, len, out, len);
	/* Notifications are held off while the backend is still busy. */
	g_assert_cmpuint(f.bf.notifies, <, f.bf.requests);
	detach_cleanly(&f);
	teardown(&f);
}

static void test_flush_reaches_the_backend_only_when_offered(void)
{
	const struct pvd_test_vbd_config noflush = { .sectors = 64 };
	struct fx f;

	setup_attached(&f, &disk_1m);
	g_assert_cmpint(pvd_blkfront_flush(&f.bf), ==, 0);
	g_assert_cmpuint(pvd_test_vbd_flushes(f.v), ==, 1);
	detach_cleanly(&f);
	teardown(&f);

	setup_attached(&f, &noflush);
	g_assert_false(pvd_blkfront_info(&f.bf)->flush);
	g_assert_cmpint(pvd_blkfront_flush(&f.bf), ==, -EOPNOTSUPP);
	g_assert_nonnull(strstr(f.p->err.msg, "feature-flush-cache"));
	g_assert_cmpuint(pvd_test_vbd_requests(f.v), ==, 0);
	detach_cleanly(&f);
	teardown(&f);
}

static void test_readonly_disk_refuses_writes_before_sending(void)
{
	const struct pvd_test_vbd_config ro = { .sectors = 64, .readonly = true };
	uint8_t buf[512] = { 0 };
	struct fx f;

	setup_attached(&f, &ro);
	g_assert_true(pvd_blkfront_info(&f.bf)->readonly);
	g_assert_cmpint(pvd_blkfront_write(&f.bf, 0, 1, buf), ==, -EROFS);
	g_assert_cmpuint(pvd_test_vbd_requests(f.v), ==, 0);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, 1, buf), ==, 0);
	detach_cleanly(&f);
	teardown(&f);
}

static void test_out_of_range_and_unaligned_io_is_refused(void)
{
	const struct pvd_test_vbd_config big = { .sectors = 64, .sector_size = 4096 };
	g_autofree uint8_t *buf = g_malloc0(64 * 512);
	struct fx f;

	setup_attached(&f, &disk_1m);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 2048, 1, buf), ==, -EINVAL);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 2040, 9, buf), ==, -EINVAL);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, UINT64_MAX, 2, buf), ==, -EINVAL);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, 0, buf), ==, -EINVAL);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, PVD_BLK_MAX_COUNT + 1, buf), ==, -EINVAL);
	g_assert_nonnull(strstr(f.p->err.msg, "sectors"));
	g_assert_cmpuint(pvd_test_vbd_requests(f.v), ==, 0);
	detach_cleanly(&f);
	teardown(&f);

	/* 4 KiB logical sectors: whole 8-sector units only. */
	setup_attached(&f, &big);
	g_assert_cmpuint(pvd_blkfront_info(&f.bf)->sector_size, ==, 4096);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 1, 8, buf), ==, -EINVAL);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 8, 7, buf), ==, -EINVAL);
	g_assert_nonnull(strstr(f.p->err.msg, "aligned"));
	fill(buf, 64 * 512, 3);
	g_assert_cmpint(pvd_blkfront_write(&f.bf, 8, 56, buf), ==, 0);
	g_assert_cmpmem(pvd_test_vbd_disk(f.v) + 8 * 512, 56 * 512, buf, 56 * 512);
	detach_cleanly(&f);
	teardown(&f);
}

static void test_detach_then_attach_again(void)
{
	uint8_t out[512], in[512];
	struct fx f;
	int round;

	setup(&f, &disk_1m);
	for (round = 0; round < 3; round++) {
		g_autofree char *state = NULL;

		g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, 0);
		fill(out, sizeof(out), (unsigned int)round);
		g_assert_cmpint(pvd_blkfront_write(&f.bf, 3, 1, out), ==, 0);
		g_assert_cmpint(pvd_blkfront_read(&f.bf, 3, 1, in), ==, 0);
		g_assert_cmpmem(in, 512, out, 512);
		detach_cleanly(&f);
		state = fe_node(&f, "state");
		g_assert_cmpstr(state, ==, "1");
	}
	teardown(&f);
}

/* A frontend died while connected; the next one closes the old
 * connection down before it offers its own ring. */
static void test_stale_connection_is_reset_by_the_next_frontend(void)
{
	struct pvd_blkfront dead;
	uint8_t out[512], in[512];
	struct fx f;

	setup(&f, &disk_1m);
	pvd_blkfront_init(&dead, f.p, VDEV);
	g_assert_cmpint(pvd_blkfront_attach(&dead, TMO), ==, 0);
	/* "dead" never detaches. */
	g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, 0);
	fill(out, sizeof(out), 4);
	g_assert_cmpint(pvd_blkfront_write(&f.bf, 9, 1, out), ==, 0);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 9, 1, in), ==, 0);
	g_assert_cmpmem(in, 512, out, 512);
	pvd_blkfront_dispose(&dead);	/* the process's pages go away */
	detach_cleanly(&f);
	teardown(&f);
}

static void test_transaction_conflicts_are_retried(void)
{
	struct fx f;

	setup(&f, &disk_1m);
	pvd_test_xs_fail_commits(f.t, 3);
	g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, 0);
	detach_cleanly(&f);
	pvd_test_xs_fail_commits(f.t, 1000);
	g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, -EAGAIN);
	g_assert_nonnull(strstr(f.p->err.msg, "transaction"));
	pvd_assert_nothing_held(f.t);
	teardown(&f);
}

static void test_grant_or_port_failure_fails_cleanly(void)
{
	struct fx f;

	setup(&f, &disk_1m);
	pvd_test_fail_grants(f.t, 1);
	g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, -ENOSPC);
	g_assert_nonnull(strstr(f.p->err.msg, "grant"));
	pvd_assert_nothing_held(f.t);
	pvd_test_fail_evtchn(f.t, 1);
	g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, -ENOSPC);
	g_assert_nonnull(strstr(f.p->err.msg, "event channel"));
	pvd_assert_nothing_held(f.t);
	/* And the device still works afterwards. */
	g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, 0);
	detach_cleanly(&f);
	teardown(&f);
}

static void test_backend_never_ready_times_out(void)
{
	const struct pvd_test_vbd_config cfg = { .sectors = 8,
		.misbehave = PVD_TEST_NEVER_READY };
	uint64_t t0;
	struct fx f;

	setup(&f, &cfg);
	t0 = pvd_test_now(f.t);
	g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, -ETIMEDOUT);
	g_assert_cmpuint(pvd_test_now(f.t) - t0, >=, TMO);
	g_assert_nonnull(strstr(f.p->err.msg, "Initialising"));
	pvd_assert_nothing_held(f.t);
	teardown(&f);
}

static void test_backend_refusing_is_reported(void)
{
	const struct pvd_test_vbd_config cfg = { .sectors = 8,
		.misbehave = PVD_TEST_REFUSE };
	struct fx f;

	setup(&f, &cfg);
	g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, -ECONNREFUSED);
	g_assert_nonnull(strstr(f.p->err.msg, "refused"));
	g_assert_cmpint(pvd_test_vbd_state(f.v), ==, XenbusStateClosed);
	pvd_assert_nothing_held(f.t);
	teardown(&f);
}

static void test_missing_device_is_reported(void)
{
	struct fx f;

	setup(&f, &disk_1m);
	pvd_blkfront_init(&f.bf, f.p, 51728);
	g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, -ENODEV);
	g_assert_nonnull(strstr(f.p->err.msg, "device/vbd/51728"));
	pvd_assert_nothing_held(f.t);
	teardown(&f);
}

/* Bad ids, duplicate answers, a producer index past our requests, a wrong
 * operation, an unknown status: an error, never a crash, and the device
 * stays unusable until detached. */
static void test_misbehaving_backend_is_an_error_not_a_crash(void)
{
	static const enum pvd_test_misbehave kinds[] = {
		PVD_TEST_BAD_ID, PVD_TEST_DUP_ID, PVD_TEST_BAD_PROD,
		PVD_TEST_BAD_OP, PVD_TEST_BAD_STATUS,
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autofree uint8_t *buf = g_malloc0(200 * 512);
		struct fx f;

		setup_attached(&f, &disk_1m);
		pvd_test_vbd_misbehave(f.v, kinds[i]);
		g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, 200, buf), ==, -EPROTO);
		g_assert_nonnull(strstr(f.p->err.msg, "backend"));
		g_test_message("misbehaviour %d: %s", kinds[i], f.p->err.msg);
		pvd_test_vbd_misbehave(f.v, PVD_TEST_GOOD);
		g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, 1, buf), ==, -EPROTO);
		g_assert_nonnull(strstr(f.p->err.msg, "detach"));
		detach_cleanly(&f);
		teardown(&f);
	}
}

static void test_io_error_is_reported_and_not_fatal(void)
{
	uint8_t buf[4 * 512];
	struct fx f;

	setup_attached(&f, &disk_1m);
	pvd_test_vbd_misbehave(f.v, PVD_TEST_IO_ERROR);
	g_assert_cmpint(pvd_blkfront_write(&f.bf, 0, 4, buf), ==, -EIO);
	g_assert_nonnull(strstr(f.p->err.msg, "I/O error"));
	pvd_test_vbd_misbehave(f.v, PVD_TEST_GOOD);
	g_assert_cmpint(pvd_blkfront_write(&f.bf, 0, 4, buf), ==, 0);
	detach_cleanly(&f);
	teardown(&f);
}

static void test_silent_backend_times_out(void)
{
	uint8_t buf[512];
	struct fx f;

	setup_attached(&f, &disk_1m);
	f.bf.io_timeout_ms = 2000;
	pvd_test_vbd_misbehave(f.v, PVD_TEST_SILENT);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, 1, buf), ==, -ETIMEDOUT);
	g_assert_nonnull(strstr(f.p->err.msg, "no answer"));
	detach_cleanly(&f);
	teardown(&f);
}

static void test_backend_closing_during_io_ends_it(void)
{
	uint8_t buf[512];
	struct fx f;

	setup_attached(&f, &disk_1m);
	pvd_test_vbd_misbehave(f.v, PVD_TEST_CLOSE_ON_IO);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, 1, buf), ==, -ECONNRESET);
	g_assert_nonnull(strstr(f.p->err.msg, "left Connected"));
	detach_after_loss(&f);
	teardown(&f);
}

static void test_unplug_is_noticed_and_closed_down(void)
{
	uint8_t buf[512];
	struct fx f;

	setup_attached(&f, &disk_1m);
	pvd_test_vbd_unplug(f.v);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, 1, buf), ==, -ECONNRESET);
	detach_after_loss(&f);
	teardown(&f);
}

static void test_backend_vanishing_is_noticed(void)
{
	uint8_t buf[512];
	struct fx f;

	setup_attached(&f, &disk_1m);
	pvd_test_xs_rm(f.t, pvd_test_vbd_backend(f.v));
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, 1, buf), ==, -ENODEV);
	g_assert_nonnull(strstr(f.p->err.msg, "disappeared"));
	g_assert_cmpint(pvd_blkfront_detach(&f.bf, TMO), ==, 0);
	teardown(&f);

	/* Attaching again without a detach watches the state once (found by
	 * tests/fuzz/fuzz-pvd-ring: a second watch stayed behind for good). */
	setup_attached(&f, &disk_1m);
	pvd_test_xs_rm(f.t, pvd_test_vbd_backend(f.v));
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, 1, buf), ==, -ENODEV);
	g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, -ENODEV);
	g_assert_cmpuint(pvd_test_xs_watches(f.t), ==, 0);
	teardown(&f);
}

/* Values a backend writes are checked before they are used. */
static void test_bad_backend_values_fail_the_attach(void)
{
	static const struct {
		const char *node, *value, *says;
		int err;
	} cases[] = {
		{ "sectors", "banana", "sectors", -EPROTO },
		{ "sectors", "", "sectors", -EPROTO },
		{ "sectors", "-5", "sectors", -EPROTO },
		{ "sectors", "18446744073709551615", "sectors", -EPROTO },
		{ "sectors", "36028797018963968", "sectors", -EPROTO },
		{ "sector-size", "1000", "sector-size", -EPROTO },
		{ "sector-size", "0", "sector-size", -EPROTO },
		{ "sector-size", "8192", "sector-size", -EPROTO },
		{ "physical-sector-size", "256", "physical-sector-size", -EPROTO },
		{ "info", "x", "info", -EPROTO },
		{ "feature-flush-cache", "yes", "feature-flush-cache", -EPROTO },
		{ "state", "banana", "not a XenbusState", -EPROTO },
		{ "state", "42", "not a XenbusState", -EPROTO },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct pvd_test_vbd_config cfg = disk_1m;
		struct fx f;

		cfg.override_node = cases[i].node;
		cfg.override_value = cases[i].value;
		setup(&f, &cfg);
		g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, cases[i].err);
		g_test_message("%s=%s: %s", cases[i].node, cases[i].value, f.p->err.msg);
		g_assert_nonnull(strstr(f.p->err.msg, cases[i].says));
		pvd_assert_nothing_held(f.t);
		teardown(&f);
	}
}

/* The frontend's own node is guest-writable: its backend path and id
 * are checked too. */
static void test_bad_backend_path_or_id_is_refused(void)
{
	static const struct {
		const char *node, *value;
		int err;
	} cases[] = {
		{ "backend", "../../local/domain/0", -EPROTO },
		{ "backend", "/local/domain/0/backend//vbd", -EPROTO },
		{ "backend", "/local/domain/0/backend/vbd/", -EPROTO },
		{ "backend", "/local/domain/0/backend/vbd/5/51712 ", -EPROTO },
		{ "backend-id", "32752", -EPROTO },
		{ "backend-id", "zero", -EPROTO },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = g_strdup_printf("%s/%s", FE, cases[i].node);
		struct fx f;

		setup(&f, &disk_1m);
		pvd_test_xs_set(f.t, path, cases[i].value);
		g_assert_cmpint(pvd_blkfront_attach(&f.bf, TMO), ==, cases[i].err);
		g_assert_nonnull(strstr(f.p->err.msg, cases[i].node));
		pvd_assert_nothing_held(f.t);
		teardown(&f);
	}
}

static void test_io_before_attach_is_refused(void)
{
	uint8_t buf[512];
	struct fx f;

	setup(&f, &disk_1m);
	g_assert_cmpint(pvd_blkfront_read(&f.bf, 0, 1, buf), ==, -ENOTCONN);
	g_assert_cmpint(pvd_blkfront_flush(&f.bf), ==, -ENOTCONN);
	teardown(&f);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pvd/blkfront/attach-publishes-ring-and-reads-disk-details",
			test_attach_publishes_ring_and_reads_disk_details);
	g_test_add_func("/pvd/blkfront/write-then-read-round-trips-at-every-size",
			test_write_then_read_round_trips_at_every_size);
	g_test_add_func("/pvd/blkfront/large-io-fills-the-ring", test_large_io_fills_the_ring);
	g_test_add_func("/pvd/blkfront/flush-reaches-the-backend-only-when-offered",
			test_flush_reaches_the_backend_only_when_offered);
	g_test_add_func("/pvd/blkfront/readonly-disk-refuses-writes-before-sending",
			test_readonly_disk_refuses_writes_before_sending);
	g_test_add_func("/pvd/blkfront/out-of-range-and-unaligned-io-is-refused",
			test_out_of_range_and_unaligned_io_is_refused);
	g_test_add_func("/pvd/blkfront/detach-then-attach-again", test_detach_then_attach_again);
	g_test_add_func("/pvd/blkfront/stale-connection-is-reset-by-the-next-frontend",
			test_stale_connection_is_reset_by_the_next_frontend);
	g_test_add_func("/pvd/blkfront/transaction-conflicts-are-retried",
			test_transaction_conflicts_are_retried);
	g_test_add_func("/pvd/blkfront/grant-or-port-failure-fails-cleanly",
			test_grant_or_port_failure_fails_cleanly);
	g_test_add_func("/pvd/blkfront/backend-never-ready-times-out",
			test_backend_never_ready_times_out);
	g_test_add_func("/pvd/blkfront/backend-refusing-is-reported",
			test_backend_refusing_is_reported);
	g_test_add_func("/pvd/blkfront/missing-device-is-reported",
			test_missing_device_is_reported);
	g_test_add_func("/pvd/blkfront/misbehaving-backend-is-an-error-not-a-crash",
			test_misbehaving_backend_is_an_error_not_a_crash);
	g_test_add_func("/pvd/blkfront/io-error-is-reported-and-not-fatal",
			test_io_error_is_reported_and_not_fatal);
	g_test_add_func("/pvd/blkfront/silent-backend-times-out", test_silent_backend_times_out);
	g_test_add_func("/pvd/blkfront/backend-closing-during-io-ends-it",
			test_backend_closing_during_io_ends_it);
	g_test_add_func("/pvd/blkfront/unplug-is-noticed-and-closed-down",
			test_unplug_is_noticed_and_closed_down);
	g_test_add_func("/pvd/blkfront/backend-vanishing-is-noticed",
			test_backend_vanishing_is_noticed);
	g_test_add_func("/pvd/blkfront/bad-backend-values-fail-the-attach",
			test_bad_backend_values_fail_the_attach);
	g_test_add_func("/pvd/blkfront/bad-backend-path-or-id-is-refused",
			test_bad_backend_path_or_id_is_refused);
	g_test_add_func("/pvd/blkfront/io-before-attach-is-refused",
			test_io_before_attach_is_refused);
	return g_test_run();
}
