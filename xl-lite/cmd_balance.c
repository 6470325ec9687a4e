/* xlite balance: one pass of the memory balancer (--once, -n to only say
 * what it would do) or the loop in the foreground (--watch). Each pass
 * reads the host, calls the pure policy (libtool/memory/balance.c) and
 * applies the targets it returns; every change and every contention is
 * logged with its reason. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/domain.h"
#include "libtool/hv/hv.h"
#include "libtool/memory/host.h"
#include "libtool/memory/memory.h"
#include "xl-lite/xlite.h"

static void stamp(void)
{
	time_t t = time(NULL);
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("%s ", buf);
}

static int pass(struct xlite_hv *hv, const struct xlite_memconf *mc, bool dry_run,
		bool quiet_steady, struct xlite_bal_history *history)
{
	struct xlite_mem_host h;
	struct xlite_bal_host bh = { 0 };
	struct xlite_bal_summary sum;
	struct xlite_bal_out *out = NULL;
	GString *shorts = g_string_new("");
	char *err = NULL;
	int lock_fd = -1;
	size_t i;
	int rc;

	xlite_mem_host_init(&h);
	/* A create making room waits for the memory it freed: a pass must not
	 * hand that memory back to the others meanwhile. */
	rc = dry_run ? 0 : xlite_memory_lock(XLITE_LOCK_DIR, &lock_fd, &err);
	if (rc == 0)
		rc = xlite_mem_host_read(hv, mc, &h, &err);
	if (rc < 0) {
		xlite_err("balance: %s", err);
		goto out;
	}
	if (history)	/* stale reports, and demands read while a balloon moves */
		xlite_bal_history_apply(history, h.doms, h.n);
	bh.capacity = h.capacity_kib;
	bh.headroom = mc->headroom_kib;
	bh.step_limit = mc->step_limit_kib;
	bh.hysteresis = mc->hysteresis_kib;
	out = g_new0(struct xlite_bal_out, h.n ? h.n : 1);
	xlite_balance(&bh, h.doms, h.n, out, &sum);
	for (i = 0; i < h.n; i++) {
		const struct xlite_bal_dom *d = &h.doms[i];
		g_autofree char *name = xlite_domain_name(hv, d->domid);
		bool change = out[i].target != d->target;
		char demand[32] = "none";

		if (out[i].is_short)
			g_string_append_printf(shorts, "%s%s %" PRIu64 " of %" PRIu64 " MiB",
					       shorts->len ? ", " : "", name ? name : "?",
					       out[i].target / 1024, out[i].want / 1024);
		if (!change && quiet_steady)
			continue;
		if (d->has_demand)
			g_snprintf(demand, sizeof(demand), "%" PRIu64 " MiB", d->demand / 1024);
		if (history)
			stamp();
		printf("%s %s: %" PRIu64 " -> %" PRIu64 " MiB (%s%s; demand %s, min %" PRIu64
		       ", max %" PRIu64 ")\n", change ? (dry_run ? "would set" : "set") : "keep",
		       name ? name : "?", d->target / 1024, out[i].target / 1024,
		       xlite_bal_reason_str(out[i].reason),
		       out[i].step_limited ? ", step-limited" : "", demand, d->min / 1024,
		       d->max / 1024);
		if (change && !dry_run) {
			g_autofree char *e = NULL;

			if (xlite_mem_apply_target(hv, d->domid, out[i].target, &e) < 0) {
				xlite_err("balance: %s: %s", name ? name : "?", e);
				rc = -1;
			}
		}
	}
	if (sum.shortfall) {
		if (history)
			stamp();
		printf("contention: guests want %" PRIu64 " MiB, can have %" PRIu64 " MiB: %" PRIu64
		       " MiB short, %zu guests below their want\n", sum.wanted / 1024,
		       sum.capacity / 1024, sum.shortfall / 1024, sum.n_short);
		if (shorts->len) {
			if (history)
				stamp();
			printf("contention: short: %s\n", shorts->str);
		}
	}
	fflush(stdout);
out:
	xlite_name_unlock(&lock_fd);
	g_free(out);
	g_free(err);
	g_string_free(shorts, TRUE);
	xlite_mem_host_dispose(&h);
	return rc;
}

int xlite_cmd_balance(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "watch", no_argument, NULL, 'w' },
		{ "interval", required_argument, NULL, 'i' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	struct xlite_memconf mc;
	struct xlite_bal_history *history = NULL;
	bool once = false, watch = false, dry_run = false;
	guint64 interval = 0;
	char *err = NULL;
	int c, rc = XLITE_EXIT_FAIL;

	(void)cli;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+n", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			once = true;
			break;
		case 'w':
			watch = true;
			break;
		case 'n':
			dry_run = true;
			break;
		case 'i':
			if (!g_ascii_string_to_unsigned(optarg, 10, 1, 3600, &interval, NULL)) {
				xlite_err("balance: interval '%s', expected seconds from 1 to 3600",
					  optarg);
				return XLITE_EXIT_USAGE;
			}
			break;
		default:
			return xlite_usage(xlite_cmd_find("balance"));
		}
	}
	if (optind != argc || once == watch || (interval && !watch))
		return xlite_usage(xlite_cmd_find("balance"));
	xlite_memconf_init(&mc);
	if (xlite_memconf_load(&mc, XLITE_MEMCONF_FILE, &err) < 0) {
		xlite_err("%s", err);
		g_free(err);
		return XLITE_EXIT_FAIL;
	}
	if (xlite_cli_hv_open(&hv, 0) < 0)
		return XLITE_EXIT_FAIL;
	if (once) {
		rc = pass(&hv, &mc, dry_run, false, NULL) < 0 ? XLITE_EXIT_FAIL : XLITE_EXIT_OK;
		goto out;
	}
	history = xlite_bal_history_new();
	for (;;) {	/* until killed: the daemon runs the same pass */
		pass(&hv, &mc, dry_run, true, history);
		g_usleep((gulong)(interval ? interval : mc.interval_s) * G_USEC_PER_SEC);
	}
out:
	xlite_bal_history_free(history);
	xlite_hv_dispose(&hv);
	return rc;
}
