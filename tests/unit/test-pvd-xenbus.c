/* The xenbus handshake as a pure transition function: every phase against
 * every backend state and every event, plus whole handshakes and a random
 * walk that checks the rules no sequence of events may break. */
#include <glib.h>

#include "pv-drivers/core/xenbus_fsm.h"

#define P PVD_XB_ACT_PUBLISH
#define R PVD_XB_ACT_READ_BACKEND
#define W PVD_XB_ACT_WRITE_STATE
#define X PVD_XB_ACT_RELEASE

#define UNKNOWN XenbusStateUnknown
#define INITIALISING XenbusStateInitialising
#define INITWAIT XenbusStateInitWait
#define INITIALISED XenbusStateInitialised
#define CONNECTED XenbusStateConnected
#define CLOSING XenbusStateClosing
#define CLOSED XenbusStateClosed
#define RECONFIGURING XenbusStateReconfiguring
#define RECONFIGURED XenbusStateReconfigured

/* A machine for a blkfront-like driver (connects on Initialised) put in
 * PHASE by the events a real handshake would bring. */
static struct pvd_xb_fsm in_phase(enum pvd_xb_phase phase, XenbusState connect_as)
{
	struct pvd_xb_fsm f;

	pvd_xb_fsm_init(&f, connect_as);
	switch (phase) {
	case PVD_XB_DETACHED:
		break;
	case PVD_XB_WAIT_INITWAIT:
		pvd_xb_step(&f, PVD_XB_EV_ATTACH, 0);
		break;
	case PVD_XB_RESETTING:
		pvd_xb_step(&f, PVD_XB_EV_ATTACH, 0);
		pvd_xb_step(&f, PVD_XB_EV_BACKEND, CONNECTED);
		break;
	case PVD_XB_WAIT_CONNECT:
		pvd_xb_step(&f, PVD_XB_EV_ATTACH, 0);
		pvd_xb_step(&f, PVD_XB_EV_BACKEND, INITWAIT);
		break;
	case PVD_XB_CONNECTED:
		pvd_xb_step(&f, PVD_XB_EV_ATTACH, 0);
		pvd_xb_step(&f, PVD_XB_EV_BACKEND, INITWAIT);
		pvd_xb_step(&f, PVD_XB_EV_BACKEND, CONNECTED);
		break;
	case PVD_XB_CLOSING:
		pvd_xb_step(&f, PVD_XB_EV_ATTACH, 0);
		pvd_xb_step(&f, PVD_XB_EV_BACKEND, INITWAIT);
		pvd_xb_step(&f, PVD_XB_EV_BACKEND, CONNECTED);
		pvd_xb_step(&f, PVD_XB_EV_DETACH, 0);
		break;
	}
	g_assert_cmpint(f.phase, ==, phase);
	g_assert_cmpint(f.error, ==, 0);
	return f;
}

struct row {
	enum pvd_xb_phase from;
	int backend;
	enum pvd_xb_phase to;
	XenbusState front;
	unsigned int acts;
	int error;
};

static void check_rows(const struct row *rows, size_t n, XenbusState connect_as)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct pvd_xb_fsm f = in_phase(rows[i].from, connect_as);
		XenbusState before = f.front;
		unsigned int acts = pvd_xb_step(&f, PVD_XB_EV_BACKEND, rows[i].backend);

		if (f.phase != rows[i].to || f.front != rows[i].front ||
		    acts != rows[i].acts || f.error != rows[i].error)
			g_test_message("row %zu: phase %d, backend %s", i, rows[i].from,
				       pvd_xb_state_name(rows[i].backend));
		g_assert_cmpint(f.phase, ==, rows[i].to);
		g_assert_cmpint(f.front, ==, rows[i].front);
		g_assert_cmpuint(acts, ==, rows[i].acts);
		g_assert_cmpint(f.error, ==, rows[i].error);
		if (!(acts & W))
			g_assert_cmpint(f.front, ==, before);
		g_assert_true(f.published == (f.phase == PVD_XB_WAIT_CONNECT ||
					      f.phase == PVD_XB_CONNECTED ||
					      f.phase == PVD_XB_CLOSING));
	}
}

/* Every phase x every backend state, for a driver that asks the backend
 * to connect with Initialised (blkback). */
static void test_every_backend_state_in_every_phase(void)
{
	static const struct row rows[] = {
		/* Attaching: wait for InitWait; a stale connection is reset. */
		{ PVD_XB_WAIT_INITWAIT, UNKNOWN, PVD_XB_WAIT_INITWAIT, INITIALISING, 0, 0 },
		{ PVD_XB_WAIT_INITWAIT, INITIALISING, PVD_XB_WAIT_INITWAIT, INITIALISING, 0, 0 },
		{ PVD_XB_WAIT_INITWAIT, INITWAIT, PVD_XB_WAIT_CONNECT, INITIALISED, P | W, 0 },
		{ PVD_XB_WAIT_INITWAIT, INITIALISED, PVD_XB_WAIT_INITWAIT, INITIALISING, 0, 0 },
		{ PVD_XB_WAIT_INITWAIT, CONNECTED, PVD_XB_RESETTING, CLOSING, W, 0 },
		{ PVD_XB_WAIT_INITWAIT, CLOSING, PVD_XB_RESETTING, CLOSED, W, 0 },
		{ PVD_XB_WAIT_INITWAIT, CLOSED, PVD_XB_WAIT_INITWAIT, INITIALISING, 0, 0 },
		{ PVD_XB_WAIT_INITWAIT, RECONFIGURING, PVD_XB_WAIT_INITWAIT, INITIALISING, 0, 0 },
		{ PVD_XB_WAIT_INITWAIT, RECONFIGURED, PVD_XB_WAIT_INITWAIT, INITIALISING, 0, 0 },
		/* Resetting a stale connection (we said Closing). */
		{ PVD_XB_RESETTING, UNKNOWN, PVD_XB_WAIT_INITWAIT, INITIALISING, W, 0 },
		{ PVD_XB_RESETTING, INITIALISING, PVD_XB_WAIT_INITWAIT, INITIALISING, W, 0 },
		{ PVD_XB_RESETTING, INITWAIT, PVD_XB_WAIT_CONNECT, INITIALISED, P | W, 0 },
		{ PVD_XB_RESETTING, INITIALISED, PVD_XB_RESETTING, CLOSING, 0, 0 },
		{ PVD_XB_RESETTING, CONNECTED, PVD_XB_RESETTING, CLOSING, 0, 0 },
		{ PVD_XB_RESETTING, CLOSING, PVD_XB_RESETTING, CLOSED, W, 0 },
		{ PVD_XB_RESETTING, CLOSED, PVD_XB_WAIT_INITWAIT, INITIALISING, W, 0 },
		{ PVD_XB_RESETTING, RECONFIGURING, PVD_XB_RESETTING, CLOSING, 0, 0 },
		{ PVD_XB_RESETTING, RECONFIGURED, PVD_XB_RESETTING, CLOSING, 0, 0 },
		/* Published, waiting for Connected. */
		{ PVD_XB_WAIT_CONNECT, UNKNOWN, PVD_XB_DETACHED, CLOSED, W | X, -ECONNREFUSED },
		{ PVD_XB_WAIT_CONNECT, INITIALISING, PVD_XB_WAIT_CONNECT, INITIALISED, 0, 0 },
		{ PVD_XB_WAIT_CONNECT, INITWAIT, PVD_XB_WAIT_CONNECT, INITIALISED, 0, 0 },
		{ PVD_XB_WAIT_CONNECT, INITIALISED, PVD_XB_WAIT_CONNECT, INITIALISED, 0, 0 },
		{ PVD_XB_WAIT_CONNECT, CONNECTED, PVD_XB_CONNECTED, CONNECTED, R | W, 0 },
		{ PVD_XB_WAIT_CONNECT, CLOSING, PVD_XB_CLOSING, CLOSED, W, -ECONNREFUSED },
		{ PVD_XB_WAIT_CONNECT, CLOSED, PVD_XB_DETACHED, CLOSED, W | X, -ECONNREFUSED },
		{ PVD_XB_WAIT_CONNECT, RECONFIGURING, PVD_XB_WAIT_CONNECT, INITIALISED, 0, 0 },
		{ PVD_XB_WAIT_CONNECT, RECONFIGURED, PVD_XB_WAIT_CONNECT, INITIALISED, 0, 0 },
		/* Connected: any sign of the backend leaving ends it. */
		{ PVD_XB_CONNECTED, UNKNOWN, PVD_XB_DETACHED, CLOSED, W | X, -ECONNRESET },
		{ PVD_XB_CONNECTED, INITIALISING, PVD_XB_DETACHED, CLOSED, W | X, -ECONNRESET },
		{ PVD_XB_CONNECTED, INITWAIT, PVD_XB_DETACHED, CLOSED, W | X, -ECONNRESET },
		{ PVD_XB_CONNECTED, INITIALISED, PVD_XB_CONNECTED, CONNECTED, 0, 0 },
		{ PVD_XB_CONNECTED, CONNECTED, PVD_XB_CONNECTED, CONNECTED, 0, 0 },
		{ PVD_XB_CONNECTED, CLOSING, PVD_XB_CLOSING, CLOSED, W, -ECONNRESET },
		{ PVD_XB_CONNECTED, CLOSED, PVD_XB_DETACHED, CLOSED, W | X, -ECONNRESET },
		{ PVD_XB_CONNECTED, RECONFIGURING, PVD_XB_CONNECTED, CONNECTED, 0, 0 },
		{ PVD_XB_CONNECTED, RECONFIGURED, PVD_XB_CONNECTED, CONNECTED, 0, 0 },
		/* Closing: release only once the backend has let go. */
		{ PVD_XB_CLOSING, UNKNOWN, PVD_XB_DETACHED, CLOSED, W | X, 0 },
		{ PVD_XB_CLOSING, INITIALISING, PVD_XB_DETACHED, CLOSED, W | X, 0 },
		{ PVD_XB_CLOSING, INITWAIT, PVD_XB_DETACHED, CLOSED, W | X, 0 },
		{ PVD_XB_CLOSING, INITIALISED, PVD_XB_CLOSING, CLOSING, 0, 0 },
		{ PVD_XB_CLOSING, CONNECTED, PVD_XB_CLOSING, CLOSING, 0, 0 },
		{ PVD_XB_CLOSING, CLOSING, PVD_XB_CLOSING, CLOSED, W, 0 },
		/* ... and hands the device back as the toolstack left it. */
		{ PVD_XB_CLOSING, CLOSED, PVD_XB_DETACHED, INITIALISING, W | X, 0 },
		{ PVD_XB_CLOSING, RECONFIGURING, PVD_XB_CLOSING, CLOSING, 0, 0 },
		{ PVD_XB_CLOSING, RECONFIGURED, PVD_XB_CLOSING, CLOSING, 0, 0 },
	};
	int b;

	check_rows(rows, G_N_ELEMENTS(rows), INITIALISED);
	/* Detached: the backend's state changes nothing. */
	for (b = UNKNOWN; b <= RECONFIGURED; b++) {
		struct pvd_xb_fsm f = in_phase(PVD_XB_DETACHED, INITIALISED);

		g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND, b), ==, 0);
		g_assert_cmpint(f.phase, ==, PVD_XB_DETACHED);
	}
}

/* netback connects only when the frontend says Connected. */
static void test_net_style_driver_says_connected_at_once(void)
{
	static const struct row rows[] = {
		{ PVD_XB_WAIT_INITWAIT, INITWAIT, PVD_XB_WAIT_CONNECT, CONNECTED, P | W, 0 },
		{ PVD_XB_WAIT_CONNECT, INITWAIT, PVD_XB_WAIT_CONNECT, CONNECTED, 0, 0 },
		{ PVD_XB_WAIT_CONNECT, CONNECTED, PVD_XB_CONNECTED, CONNECTED, R, 0 },
		{ PVD_XB_WAIT_CONNECT, CLOSING, PVD_XB_CLOSING, CLOSED, W, -ECONNREFUSED },
	};

	check_rows(rows, G_N_ELEMENTS(rows), CONNECTED);
}

struct ev_row {
	enum pvd_xb_phase from;
	enum pvd_xb_event ev;
	int arg;
	enum pvd_xb_phase to;
	XenbusState front;
	unsigned int acts;
	int error;
};

static void check_ev_rows(const struct ev_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct pvd_xb_fsm f = in_phase(rows[i].from, INITIALISED);
		unsigned int acts = pvd_xb_step(&f, rows[i].ev, rows[i].arg);

		if (f.phase != rows[i].to || acts != rows[i].acts ||
		    f.error != rows[i].error)
			g_test_message("row %zu: phase %d, event %d", i, rows[i].from,
				       rows[i].ev);
		g_assert_cmpint(f.phase, ==, rows[i].to);
		if (rows[i].from != PVD_XB_DETACHED)
			g_assert_cmpint(f.front, ==, rows[i].front);
		g_assert_cmpuint(acts, ==, rows[i].acts);
		g_assert_cmpint(f.error, ==, rows[i].error);
	}
}

/* The backend's state node disappears (toolstack removed the device, or
 * the backend domain died). */
static void test_backend_going_away_in_every_phase(void)
{
	static const struct ev_row rows[] = {
		{ PVD_XB_DETACHED, PVD_XB_EV_BACKEND_GONE, 0, PVD_XB_DETACHED, UNKNOWN, 0, 0 },
		{ PVD_XB_WAIT_INITWAIT, PVD_XB_EV_BACKEND_GONE, 0, PVD_XB_DETACHED, INITIALISING, 0, -ENODEV },
		{ PVD_XB_RESETTING, PVD_XB_EV_BACKEND_GONE, 0, PVD_XB_DETACHED, CLOSING, 0, -ENODEV },
		{ PVD_XB_WAIT_CONNECT, PVD_XB_EV_BACKEND_GONE, 0, PVD_XB_DETACHED, CLOSED, W | X, -ENODEV },
		{ PVD_XB_CONNECTED, PVD_XB_EV_BACKEND_GONE, 0, PVD_XB_DETACHED, CLOSED, W | X, -ENODEV },
		{ PVD_XB_CLOSING, PVD_XB_EV_BACKEND_GONE, 0, PVD_XB_DETACHED, CLOSED, W | X, 0 },
	};

	check_ev_rows(rows, G_N_ELEMENTS(rows));
}

/* A state value that is no XenbusState is a broken backend. */
static void test_unreadable_backend_state_in_every_phase(void)
{
	static const struct ev_row rows[] = {
		{ PVD_XB_WAIT_INITWAIT, PVD_XB_EV_BACKEND_BAD, 0, PVD_XB_DETACHED, INITIALISING, 0, -EPROTO },
		{ PVD_XB_RESETTING, PVD_XB_EV_BACKEND_BAD, 0, PVD_XB_DETACHED, CLOSING, 0, -EPROTO },
		{ PVD_XB_WAIT_CONNECT, PVD_XB_EV_BACKEND_BAD, 0, PVD_XB_CLOSING, CLOSING, W, -EPROTO },
		{ PVD_XB_CONNECTED, PVD_XB_EV_BACKEND_BAD, 0, PVD_XB_CLOSING, CLOSING, W, -EPROTO },
		{ PVD_XB_CLOSING, PVD_XB_EV_BACKEND_BAD, 0, PVD_XB_DETACHED, CLOSED, W | X, -EPROTO },
		/* Out-of-range numbers given as a state are treated the same. */
		{ PVD_XB_CONNECTED, PVD_XB_EV_BACKEND, 9, PVD_XB_CLOSING, CLOSING, W, -EPROTO },
		{ PVD_XB_CONNECTED, PVD_XB_EV_BACKEND, -1, PVD_XB_CLOSING, CLOSING, W, -EPROTO },
	};

	check_ev_rows(rows, G_N_ELEMENTS(rows));
}

static void test_detach_timeout_and_failure_in_every_phase(void)
{
	static const struct ev_row rows[] = {
		{ PVD_XB_DETACHED, PVD_XB_EV_DETACH, 0, PVD_XB_DETACHED, UNKNOWN, 0, 0 },
		{ PVD_XB_WAIT_INITWAIT, PVD_XB_EV_DETACH, 0, PVD_XB_DETACHED, INITIALISING, 0, 0 },
		{ PVD_XB_RESETTING, PVD_XB_EV_DETACH, 0, PVD_XB_DETACHED, CLOSED, W, 0 },
		{ PVD_XB_WAIT_CONNECT, PVD_XB_EV_DETACH, 0, PVD_XB_CLOSING, CLOSING, W, 0 },
		{ PVD_XB_CONNECTED, PVD_XB_EV_DETACH, 0, PVD_XB_CLOSING, CLOSING, W, 0 },
		{ PVD_XB_CLOSING, PVD_XB_EV_DETACH, 0, PVD_XB_CLOSING, CLOSING, 0, 0 },

		{ PVD_XB_DETACHED, PVD_XB_EV_TIMEOUT, 0, PVD_XB_DETACHED, UNKNOWN, 0, 0 },
		{ PVD_XB_WAIT_INITWAIT, PVD_XB_EV_TIMEOUT, 0, PVD_XB_DETACHED, INITIALISING, 0, -ETIMEDOUT },
		{ PVD_XB_RESETTING, PVD_XB_EV_TIMEOUT, 0, PVD_XB_DETACHED, CLOSING, 0, -ETIMEDOUT },
		{ PVD_XB_WAIT_CONNECT, PVD_XB_EV_TIMEOUT, 0, PVD_XB_CLOSING, CLOSING, W, -ETIMEDOUT },
		{ PVD_XB_CONNECTED, PVD_XB_EV_TIMEOUT, 0, PVD_XB_CONNECTED, CONNECTED, 0, 0 },
		{ PVD_XB_CLOSING, PVD_XB_EV_TIMEOUT, 0, PVD_XB_DETACHED, CLOSED, W | X, -ETIMEDOUT },

		{ PVD_XB_WAIT_INITWAIT, PVD_XB_EV_FAILED, -ENOSPC, PVD_XB_DETACHED, INITIALISING, 0, -ENOSPC },
		{ PVD_XB_RESETTING, PVD_XB_EV_FAILED, -ENOSPC, PVD_XB_DETACHED, CLOSING, 0, -ENOSPC },
		{ PVD_XB_WAIT_CONNECT, PVD_XB_EV_FAILED, -ENOSPC, PVD_XB_CLOSING, CLOSING, W, -ENOSPC },
		{ PVD_XB_CONNECTED, PVD_XB_EV_FAILED, -EPROTO, PVD_XB_CLOSING, CLOSING, W, -EPROTO },
		{ PVD_XB_CLOSING, PVD_XB_EV_FAILED, -EIO, PVD_XB_DETACHED, CLOSED, W | X, -EIO },
		{ PVD_XB_CONNECTED, PVD_XB_EV_FAILED, 5, PVD_XB_CLOSING, CLOSING, W, -EIO },

		/* Attaching twice does nothing. */
		{ PVD_XB_CONNECTED, PVD_XB_EV_ATTACH, 0, PVD_XB_CONNECTED, CONNECTED, 0, 0 },
		{ PVD_XB_DETACHED, PVD_XB_EV_ATTACH, 0, PVD_XB_WAIT_INITWAIT, INITIALISING, W, 0 },
	};

	check_ev_rows(rows, G_N_ELEMENTS(rows));
}

/* The first failure is the one reported, whatever follows. */
static void test_first_error_is_kept(void)
{
	struct pvd_xb_fsm f = in_phase(PVD_XB_CONNECTED, INITIALISED);

	pvd_xb_step(&f, PVD_XB_EV_BACKEND, CLOSING);
	g_assert_cmpint(f.error, ==, -ECONNRESET);
	pvd_xb_step(&f, PVD_XB_EV_TIMEOUT, 0);
	g_assert_cmpint(f.error, ==, -ECONNRESET);
	g_assert_cmpint(f.phase, ==, PVD_XB_DETACHED);
	/* A new attach starts clean. */
	pvd_xb_step(&f, PVD_XB_EV_ATTACH, 0);
	g_assert_cmpint(f.error, ==, 0);
}

/* Attach, detach, attach again: what blkback and netback see. */
static void test_whole_handshake_twice(void)
{
	struct pvd_xb_fsm f;
	int round;

	pvd_xb_fsm_init(&f, INITIALISED);
	for (round = 0; round < 2; round++) {
		g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_ATTACH, 0), ==, W);
		g_assert_cmpint(f.front, ==, INITIALISING);
		/* After the first round the backend sits in Closed until our
		 * Initialising wakes it. */
		g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND,
					     round == 0 ? INITWAIT : CLOSED), ==,
				 round == 0 ? (P | W) : 0);
		if (round == 1)
			g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND, INITWAIT), ==, P | W);
		g_assert_cmpint(f.front, ==, INITIALISED);
		g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND, CONNECTED), ==, R | W);
		g_assert_cmpint(f.front, ==, CONNECTED);
		g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_DETACH, 0), ==, W);
		g_assert_cmpint(f.front, ==, CLOSING);
		g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND, CLOSING), ==, W);
		g_assert_cmpint(f.front, ==, CLOSED);
		g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND, CLOSED), ==, W | X);
		g_assert_cmpint(f.front, ==, INITIALISING);
		g_assert_cmpint(f.phase, ==, PVD_XB_DETACHED);
		g_assert_cmpint(f.error, ==, 0);
	}
}

/* When the backend is what went away, nothing is handed back: the device
 * stays Closed. */
static void test_no_hand_back_after_backend_loss(void)
{
	struct pvd_xb_fsm f = in_phase(PVD_XB_CONNECTED, INITIALISED);

	g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND, CLOSING), ==, W);
	g_assert_cmpint(f.front, ==, CLOSED);
	g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_DETACH, 0), ==, 0);
	g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND, CLOSED), ==, X);
	g_assert_cmpint(f.front, ==, CLOSED);
	g_assert_cmpint(f.error, ==, -ECONNRESET);
}

/* A stale Connected backend (a frontend died without closing) is closed
 * down before we publish anything. */
static void test_stale_connection_is_reset_before_publishing(void)
{
	struct pvd_xb_fsm f;

	pvd_xb_fsm_init(&f, INITIALISED);
	pvd_xb_step(&f, PVD_XB_EV_ATTACH, 0);
	g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND, CONNECTED), ==, W);
	g_assert_cmpint(f.front, ==, CLOSING);
	g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND, CLOSING), ==, W);
	g_assert_cmpint(f.front, ==, CLOSED);
	g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND, CLOSED), ==, W);
	g_assert_cmpint(f.front, ==, INITIALISING);
	g_assert_false(f.published);
	g_assert_cmpuint(pvd_xb_step(&f, PVD_XB_EV_BACKEND, INITWAIT), ==, P | W);
	g_assert_true(f.published);
}

/* Random walks: whatever the backend does, we never publish twice, never
 * release what we did not publish, release only after saying Closed, and
 * never release while the backend may still be using our pages (it was
 * last seen Connected, Initialised or Closing) unless we gave up on it. */
static void test_random_walks_keep_the_rules(void)
{
	GRand *rnd = g_rand_new_with_seed(20240611);
	int walk, step;

	for (walk = 0; walk < 2000; walk++) {
		struct pvd_xb_fsm f;
		bool published = false;

		pvd_xb_fsm_init(&f, g_rand_boolean(rnd) ? INITIALISED : CONNECTED);
		for (step = 0; step < 40; step++) {
			int k = g_rand_int_range(rnd, 0, 16);
			enum pvd_xb_event ev;
			int arg = 0;
			unsigned int acts;
			bool gave_up;

			if (k < 9) {
				ev = PVD_XB_EV_BACKEND;
				arg = k;
			} else {
				static const enum pvd_xb_event others[] = {
					PVD_XB_EV_ATTACH, PVD_XB_EV_ATTACH,
					PVD_XB_EV_BACKEND_GONE, PVD_XB_EV_BACKEND_BAD,
					PVD_XB_EV_DETACH, PVD_XB_EV_FAILED,
					PVD_XB_EV_TIMEOUT,
				};
				ev = others[k - 9];
				arg = ev == PVD_XB_EV_FAILED ? -EIO : 0;
			}
			gave_up = ev == PVD_XB_EV_TIMEOUT || ev == PVD_XB_EV_FAILED ||
				ev == PVD_XB_EV_BACKEND_BAD || ev == PVD_XB_EV_BACKEND_GONE;
			acts = pvd_xb_step(&f, ev, arg);
			if (acts & PVD_XB_ACT_PUBLISH) {
				g_assert_false(published);
				published = true;
			}
			if (acts & PVD_XB_ACT_RELEASE) {
				g_assert_true(published);
				/* Closed, or handed back after a clean close. */
				g_assert_true(f.front == CLOSED ||
					      (f.front == INITIALISING &&
					       f.backend == CLOSED && f.error == 0));
				if (!gave_up)
					g_assert_true(f.backend != CONNECTED &&
						      f.backend != INITIALISED &&
						      f.backend != CLOSING);
				published = false;
			}
			if (acts & PVD_XB_ACT_READ_BACKEND)
				g_assert_cmpint(f.phase, ==, PVD_XB_CONNECTED);
			g_assert_true(f.published == published);
			if (f.phase == PVD_XB_DETACHED)
				g_assert_false(published);
		}
	}
	g_rand_free(rnd);
}

static void test_state_names_and_parsing(void)
{
	XenbusState s;

	g_assert_cmpstr(pvd_xb_state_name(INITWAIT), ==, "InitWait");
	g_assert_cmpstr(pvd_xb_state_name(RECONFIGURED), ==, "Reconfigured");
	g_assert_cmpstr(pvd_xb_state_name(9), ==, "invalid");
	g_assert_cmpstr(pvd_xb_state_name(-1), ==, "invalid");
	g_assert_cmpint(pvd_xb_parse_state("4", &s), ==, 0);
	g_assert_cmpint(s, ==, CONNECTED);
	g_assert_cmpint(pvd_xb_parse_state("9", &s), ==, -EINVAL);
	g_assert_cmpint(pvd_xb_parse_state("connected", &s), ==, -EINVAL);
	g_assert_cmpint(pvd_xb_parse_state("", &s), ==, -EINVAL);
	g_assert_cmpint(pvd_xb_parse_state("4 ", &s), ==, -EINVAL);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pvd/xenbus/every-backend-state-in-every-phase",
			test_every_backend_state_in_every_phase);
	g_test_add_func("/pvd/xenbus/net-style-driver-says-connected-at-once",
			test_net_style_driver_says_connected_at_once);
	g_test_add_func("/pvd/xenbus/backend-going-away-in-every-phase",
			test_backend_going_away_in_every_phase);
	g_test_add_func("/pvd/xenbus/unreadable-backend-state-in-every-phase",
			test_unreadable_backend_state_in_every_phase);
	g_test_add_func("/pvd/xenbus/detach-timeout-and-failure-in-every-phase",
			test_detach_timeout_and_failure_in_every_phase);
	g_test_add_func("/pvd/xenbus/first-error-is-kept", test_first_error_is_kept);
	g_test_add_func("/pvd/xenbus/whole-handshake-twice", test_whole_handshake_twice);
	g_test_add_func("/pvd/xenbus/no-hand-back-after-backend-loss",
			test_no_hand_back_after_backend_loss);
	g_test_add_func("/pvd/xenbus/stale-connection-is-reset-before-publishing",
			test_stale_connection_is_reset_before_publishing);
	g_test_add_func("/pvd/xenbus/random-walks-keep-the-rules",
			test_random_walks_keep_the_rules);
	g_test_add_func("/pvd/xenbus/state-names-and-parsing", test_state_names_and_parsing);
	return g_test_run();
}
