/* Shared rings: the producer-index check every consumer makes, and both
 * frontends carrying data across the 2^32 wrap of the ring indices. */
#include <glib.h>
#include <string.h>

#include "pv-drivers/core/blkfront.h"
#include "pv-drivers/core/netfront.h"
#include "pv-drivers/platform/test/testplat.h"

#define TMO 5000

static void test_response_index_check(void)
{
	/* cons, requests made up to req_prod: at most req_prod - cons answers */
	g_assert_true(pvd_ring_rsp_prod_ok(10, 10, 10));
	g_assert_true(pvd_ring_rsp_prod_ok(12, 10, 12));
	g_assert_false(pvd_ring_rsp_prod_ok(13, 10, 12));
	g_assert_false(pvd_ring_rsp_prod_ok(9, 10, 12));	/* behind us */
	/* across the wrap */
	g_assert_true(pvd_ring_rsp_prod_ok(0x5, 0xfffffff0u, 0x10));
	g_assert_true(pvd_ring_rsp_prod_ok(0x10, 0xfffffff0u, 0x10));
	g_assert_false(pvd_ring_rsp_prod_ok(0x11, 0xfffffff0u, 0x10));
	g_assert_false(pvd_ring_rsp_prod_ok(0xffffffefu, 0xfffffff0u, 0x10));
	g_assert_true(pvd_ring_rsp_prod_ok(0xfffffff8u, 0xfffffff0u, 0x10));
}

static void fill(uint8_t *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 29 + seed + (i >> 9));
}

/* 128 requests starting 16 before the wrap. */
static void test_blkfront_crosses_the_index_wrap(void)
{
	const struct pvd_test_vbd_config cfg = { .sectors = 128 * 88 };
	const uint32_t start = 0xfffffff0u, count = 128 * 88;
	size_t len = (size_t)count * 512;
	g_autofree uint8_t *out = g_malloc(len), *in = g_malloc(len);
	struct pvd_test *t = pvd_test_new(5);
	struct pvd_test_vbd *v = pvd_test_vbd_add(t, 51712, &cfg);
	struct pvd_blkfront bf;

	pvd_blkfront_init(&bf, pvd_test_platform(t), 51712);
	g_assert_cmpint(pvd_blkfront_attach(&bf, TMO), ==, 0);
	pvd_test_vbd_shift_ring(v, start);
	bf.ring.req_prod_pvt = bf.ring.rsp_cons = start;
	fill(out, len, 1);
	g_assert_cmpint(pvd_blkfront_write(&bf, 0, count, out), ==, 0);
	g_assert_cmpint(pvd_blkfront_read(&bf, 0, count, in), ==, 0);
	g_assert_cmpmem(in, len, out, len);
	g_assert_cmpmem(pvd_test_vbd_disk(v), len, out, len);
	g_assert_cmpuint(bf.ring.rsp_cons, ==, start + 256);	/* wrapped: 240 */
	g_assert_cmpuint(bf.ring.rsp_cons, <, 0x1000);
	g_assert_cmpint(pvd_blkfront_detach(&bf, TMO), ==, 0);
	pvd_blkfront_dispose(&bf);
	g_assert_cmpuint(pvd_test_grants_active(t), ==, 0);
	g_assert_cmpuint(pvd_test_stale_maps(t), ==, 0);
	pvd_test_free(t);
}

struct rx_log {
	unsigned int n;
	bool in_order;
};

static void check_rx(void *opaque, const uint8_t *frame, size_t len)
{
	struct rx_log *log = opaque;
	uint32_t seq;

	g_assert_cmpuint(len, ==, 100);
	memcpy(&seq, frame, 4);
	if (seq != log->n)
		log->in_order = false;
	log->n++;
}

/* 600 frames each way starting one rx ring's worth before the wrap. */
static void test_netfront_crosses_the_index_wrap(void)
{
	const struct pvd_test_vif_config cfg = { 0 };
	const uint32_t start = 0xffffff00u;
	struct pvd_test *t = pvd_test_new(5);
	struct pvd_platform *p = pvd_test_platform(t);
	struct pvd_test_vif *v = pvd_test_vif_add(t, 0, &cfg);
	struct rx_log log = { 0, true };
	struct pvd_netfront nf;
	uint8_t frame[100] = { 0 }, got[PVD_PAGE_SIZE];
	uint32_t i, taken = 0;

	pvd_netfront_init(&nf, p, 0);
	g_assert_cmpint(pvd_netfront_attach(&nf, TMO), ==, 0);
	pvd_test_vif_shift_rings(v, start);
	nf.tx.req_prod_pvt = nf.tx.rsp_cons = start;
	nf.rx.rsp_cons = start;
	nf.rx.req_prod_pvt = start + (RING_IDX)PVD_NET_RX_SLOTS;
	for (i = 0; i < 600; i++) {
		memcpy(frame, &i, 4);
		while (!pvd_netfront_can_send(&nf)) {
			p->ops->wait(p, 0);
			g_assert_cmpint(pvd_netfront_poll(&nf, check_rx, &log), >=, 0);
		}
		g_assert_cmpint(pvd_netfront_send(&nf, frame, sizeof(frame)), ==, 0);
		pvd_test_vif_inject(v, frame, sizeof(frame));
		if (i % 5 == 0) {
			p->ops->wait(p, 0);
			g_assert_cmpint(pvd_netfront_poll(&nf, check_rx, &log), >=, 0);
		}
		while (pvd_test_vif_take(v, got, sizeof(got)) == sizeof(frame)) {
			uint32_t seq;

			memcpy(&seq, got, 4);
			g_assert_cmpuint(seq, ==, taken);
			taken++;
		}
	}
	while (p->ops->wait(p, 0) != 0)
		g_assert_cmpint(pvd_netfront_poll(&nf, check_rx, &log), >=, 0);
	while (pvd_test_vif_take(v, got, sizeof(got)) == sizeof(frame))
		taken++;
	g_assert_cmpuint(log.n, ==, 600);
	g_assert_true(log.in_order);
	g_assert_cmpuint(taken, ==, 600);
	g_assert_cmpuint(nf.rx.rsp_cons, <, 0x1000);
	g_assert_cmpuint(nf.tx.rsp_cons, <, 0x1000);
	g_assert_cmpint(pvd_netfront_detach(&nf, TMO), ==, 0);
	pvd_netfront_dispose(&nf);
	g_assert_cmpuint(pvd_test_grants_active(t), ==, 0);
	g_assert_cmpuint(pvd_test_stale_maps(t), ==, 0);
	pvd_test_free(t);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pvd/ring/response-index-check", test_response_index_check);
	g_test_add_func("/pvd/ring/blkfront-crosses-the-index-wrap",
			test_blkfront_crosses_the_index_wrap);
	g_test_add_func("/pvd/ring/netfront-crosses-the-index-wrap",
			test_netfront_crosses_the_index_wrap);
	return g_test_run();
}
