/* xlite-guest-agent: reports the guest's memory to its own xenstore area
 * (data/meminfo_*, see pv-drivers/core/agent.h) every few seconds, for
 * dom0's memory balancer. Exits cleanly on SIGTERM or SIGINT. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pv-drivers/core/agent.h"
#include "pv-drivers/platform/linux-user/linux.h"
#include "pv-drivers/platform/linux-user/meminfo.h"
#include "pv-drivers/tools/tool.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: xlite-guest-agent [-i SECONDS] [-n COUNT] [-m FILE]\n"
		"  -i: seconds between reports (default 5)\n"
		"  -n: stop after COUNT reports (default: run until SIGTERM)\n"
		"  -m: meminfo file (default /proc/meminfo)\n"
		"  writes data/meminfo_{total,free,available,swap_total,swap_free,seq}"
		" (KiB)\n");
}

/* Sleeps SECONDS unless a blocked signal of SET arrives first: true then. */
static bool signalled(const sigset_t *set, uint64_t seconds)
{
	struct timespec ts = { .tv_sec = (time_t)seconds, .tv_nsec = 0 };

	for (;;) {
		int s = sigtimedwait(set, NULL, &ts);

		if (s > 0)
			return true;
		if (errno == EAGAIN)
			return false;
		/* EINTR from another signal: wait again (slightly longer). */
	}
}

int main(int argc, char **argv)
{
	const char *meminfo = "/proc/meminfo";
	uint64_t interval = 5, count = 0, seq = 0;
	struct pvd_linux lx;
	sigset_t set;
	int opt, rc = 0;

	while ((opt = getopt(argc, argv, "i:n:m:h")) != -1) {
		switch (opt) {
		case 'i':
			if (pvd_parse_u64(optarg, 86400, &interval) < 0 || interval == 0) {
				usage(stderr);
				return 2;
			}
			break;
		case 'n':
			if (pvd_parse_u64(optarg, UINT32_MAX, &count) < 0) {
				usage(stderr);
				return 2;
			}
			break;
		case 'm':
			meminfo = optarg;
			break;
		case 'h':
		default:
			return pvd_tool_help_or_usage_error(usage, opt);
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	if (pvd_linux_open(&lx, PVD_LINUX_XENSTORE) < 0) {
		fprintf(stderr, "xlite-guest-agent: %s\n", lx.plat.err.msg);
		pvd_linux_close(&lx);
		return 1;
	}
	for (;;) {
		struct pvd_meminfo m;

		seq++;
		if (pvd_meminfo_read(meminfo, &m, &lx.plat.err) < 0 ||
		    pvd_agent_publish(&lx.plat, &m, seq) < 0) {
			/* Keep reporting: xenstore or /proc may recover. */
			fprintf(stderr, "xlite-guest-agent: report %llu: %s\n",
				(unsigned long long)seq, lx.plat.err.msg);
			pvd_err_clear(&lx.plat.err);
			rc = 1;
		}
		if (count != 0 && seq >= count)
			break;
		if (signalled(&set, interval)) {
			rc = 0;
			break;
		}
	}
	pvd_linux_close(&lx);
	return rc;
}
