/* xlite-netfront: xlite's network frontend as a guest daemon. Attaches to
 * a vif the toolstack gave this guest (through dom0's netback) and moves
 * frames between it and a TAP interface, so the guest gets a network
 * interface through our frontend. Runs until SIGTERM/SIGINT, then detaches
 * cleanly. The guest kernel's own netfront must not be bound to the vif
 * (the lab's guest boots with lab.nofront=net). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "pv-drivers/core/netfront.h"
#include "pv-drivers/platform/linux-user/linux.h"
#include "pv-drivers/platform/linux-user/tap.h"
#include "pv-drivers/tools/tool.h"

#define TAP_BUF 65536u

struct ctx {
	struct pvd_linux lx;
	struct pvd_netfront nf;
	int tap;
	uint64_t tap_dropped;		/* TAP full, frames for the guest lost */
	uint64_t oversize;		/* frames from TAP that do not fit a page */
};

static void trace(void *opaque, const char *line)
{
	(void)opaque;
	fprintf(stderr, "xlite-netfront: %s\n", line);
}

static int failed(struct ctx *c, const char *what)
{
	fprintf(stderr, "xlite-netfront: %s: %s\n", what, c->lx.plat.err.msg);
	return 1;
}

static void to_tap(void *opaque, const uint8_t *frame, size_t len)
{
	struct ctx *c = opaque;

	if (write(c->tap, frame, len) < 0)
		c->tap_dropped++;
}

/* Frames from TAP to the backend while it has room. */
static int from_tap(struct ctx *c, uint8_t *buf)
{
	while (pvd_netfront_can_send(&c->nf)) {
		ssize_t n = read(c->tap, buf, TAP_BUF);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0) {
			fprintf(stderr, "xlite-netfront: reading TAP: %s\n", strerror(errno));
			return -errno;
		}
		if ((size_t)n < PVD_NET_MIN_FRAME || (size_t)n > PVD_NET_MAX_FRAME) {
			c->oversize++;
			continue;
		}
		if (pvd_netfront_send(&c->nf, buf, (size_t)n) < 0)
			return failed(c, "send") != 0 ? -EIO : 0;
	}
	return 0;
}

static int run(struct ctx *c, int sfd)
{
	uint8_t *buf = malloc(TAP_BUF);
	int rc = 0;

	if (buf == NULL)
		return 1;
	for (;;) {
		struct pollfd pf[4] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = pvd_linux_evtchn_fd(&c->lx), .events = POLLIN },
			{ .fd = pvd_linux_xs_fd(&c->lx), .events = POLLIN },
			{ .fd = c->tap, .events = pvd_netfront_can_send(&c->nf) ? POLLIN : 0 },
		};
		int w, r;

		if (poll(pf, 4, -1) < 0 && errno != EINTR) {
			fprintf(stderr, "xlite-netfront: poll: %s\n", strerror(errno));
			rc = 1;
			break;
		}
		if (pf[0].revents & POLLIN)
			break;
		w = c->lx.plat.ops->wait(&c->lx.plat, 0);
		if (w < 0) {
			rc = failed(c, "wait");
			break;
		}
		if ((w & PVD_WAKE_WATCH) && pvd_netfront_check(&c->nf) < 0) {
			rc = failed(c, "backend");
			break;
		}
		r = pvd_netfront_poll(&c->nf, to_tap, c);
		if (r < 0) {
			rc = failed(c, "receive");
			break;
		}
		if (from_tap(c, buf) < 0) {
			rc = 1;
			break;
		}
	}
	free(buf);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: xlite-netfront [-v] [-i TAPNAME] [-t SECONDS] [-b] DEV\n"
		"  DEV: the vif's device id (0 for the first, as in device/vif/0)\n"
		"  -i: TAP interface to create (default xnf0)\n"
		"  -t: handshake timeout (default 30)\n"
		"  -b: go to the background once connected\n"
		"  -v: trace the handshake on stderr\n"
		"  runs until SIGTERM or SIGINT, then detaches\n");
}

/* -b: the child attaches and says how it went through a pipe, so the
 * caller's exit status tells whether the interface is up. */
static int background(int *notify_fd)
{
	int p[2];
	pid_t pid;
	char ok;

	if (pipe(p) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &ok, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	setsid();
	*notify_fd = p[1];
	return 0;
}

int main(int argc, char **argv)
{
	const char *ifname = "xnf0";
	uint64_t timeout_s = 30, handle;
	bool bg = false, verbose = false;
	struct ctx c;
	sigset_t set;
	int opt, sfd = -1, notify_fd = -1, rc = 1;
	const char *dev;

	while ((opt = getopt(argc, argv, "i:t:bvh")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'i':
			ifname = optarg;
			break;
		case 't':
			if (pvd_parse_u64(optarg, 3600, &timeout_s) < 0) {
				usage(stderr);
				return 2;
			}
			break;
		case 'b':
			bg = true;
			break;
		case 'h':
		default:
			return pvd_tool_help_or_usage_error(usage, opt);
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return 2;
	}
	dev = argv[optind];
	if (strncmp(dev, "vif", 3) == 0)
		dev += 3;
	if (pvd_parse_u64(dev, UINT32_MAX, &handle) < 0) {
		fprintf(stderr, "xlite-netfront: '%s' is not a vif device id\n", argv[optind]);
		return 2;
	}
	if (pvd_linux_kernel_bound("vif", (uint32_t)handle)) {
		fprintf(stderr, "xlite-netfront: the guest kernel's netfront drives vif "
			"%llu; boot with lab.nofront=net or without xen-netfront\n",
			(unsigned long long)handle);
		return 1;
	}
	if (bg && background(&notify_fd) < 0) {
		fprintf(stderr, "xlite-netfront: cannot go to the background: %s\n",
			strerror(errno));
		return 1;
	}

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);

	memset(&c, 0, sizeof(c));
	c.tap = -1;
	if (sfd < 0) {
		fprintf(stderr, "xlite-netfront: signalfd: %s\n", strerror(errno));
		goto out;
	}
	if (pvd_linux_open(&c.lx, PVD_LINUX_ALL) < 0) {
		failed(&c, "opening Xen devices");
		goto out;
	}
	pvd_netfront_init(&c.nf, &c.lx.plat, (uint32_t)handle);
	if (verbose)
		c.nf.xb.trace = trace;
	if (pvd_netfront_attach(&c.nf, (uint32_t)timeout_s * 1000u) < 0) {
		failed(&c, c.nf.xb.node);
		goto out;
	}
	c.tap = pvd_tap_open(ifname, c.nf.mac, &c.lx.plat.err);
	if (c.tap < 0) {
		failed(&c, "TAP");
		goto out;
	}
	fprintf(stderr, "xlite-netfront: %s connected to %s; interface %s, MAC "
		"%02x:%02x:%02x:%02x:%02x:%02x\n", c.nf.xb.node, c.nf.xb.backend,
		ifname, c.nf.mac[0], c.nf.mac[1], c.nf.mac[2], c.nf.mac[3],
		c.nf.mac[4], c.nf.mac[5]);
	if (notify_fd >= 0) {
		(void)!write(notify_fd, "1", 1);
		close(notify_fd);
		notify_fd = -1;
	}
	rc = run(&c, sfd);
	fprintf(stderr, "xlite-netfront: %s: tx %llu frames (%llu errors), rx %llu "
		"frames (%llu errors), %llu lost to a full TAP, %llu too large\n",
		c.nf.xb.node, (unsigned long long)c.nf.stats.tx_frames,
		(unsigned long long)c.nf.stats.tx_errors,
		(unsigned long long)c.nf.stats.rx_frames,
		(unsigned long long)c.nf.stats.rx_errors,
		(unsigned long long)c.tap_dropped, (unsigned long long)c.oversize);
	if (pvd_netfront_detach(&c.nf, (uint32_t)timeout_s * 1000u) < 0) {
		failed(&c, "detach");
		rc = 1;
	}
out:
	pvd_netfront_dispose(&c.nf);
	if (c.tap >= 0)
		close(c.tap);
	if (sfd >= 0)
		close(sfd);
	pvd_linux_close(&c.lx);
	return rc;
}
