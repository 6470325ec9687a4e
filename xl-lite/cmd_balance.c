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
#include "libtool/memory/pass.h"
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
	struct xlite_bal_pass p;
	GString *shorts = g_string_new("");
	char *err = NULL;
	size_t i;
	int rc;

	xlite_bal_pass_init(&p);
	rc = xlite_bal_pass_run(hv, mc, dry_run, history, XLITE_LOCK_DIR, &p, &err);
	if (rc < 0) {
		xlite_err("balance: %s", err);
		goto out;
	}
	for (i = 0; i < p.n; i++) {
		const struct xlite_bal_decision *dc = &p.decisions[i];
		const struct xlite_bal_dom *d = &dc->dom;
		const char *name = dc->name ? dc->name : "?";
		char demand[32] = "none";

		if (dc->out.is_short)
			g_string_append_printf(shorts, "%s%s %" PRIu64 " of %" PRIu64 " MiB",
					       shorts->len ? ", " : "", name,
					       dc->out.target / 1024, dc->out.want / 1024);
		if (!dc->changed && quiet_steady)
			continue;
		if (d->has_demand)
			g_snprintf(demand, sizeof(demand), "%" PRIu64 " MiB", d->demand / 1024);
		if (history)
			stamp();
		printf("%s %s: %" PRIu64 " -> %" PRIu64 " MiB (%s%s; demand %s, min %" PRIu64
		       ", max %" PRIu64 ")\n", dc->changed ? (dry_run ? "would set" : "set") : "keep",
		       name, d->target / 1024, dc->out.target / 1024,
		       xlite_bal_reason_str(dc->out.reason),
		       dc->out.step_limited ? ", step-limited" : "", demand, d->min / 1024,
		       d->max / 1024);
		if (dc->apply_err) {
			xlite_err("balance: %s: %s", name, dc->apply_err);
			rc = -1;
		}
	}
	if (p.sum.shortfall) {
		if (history)
			stamp();
		printf("contention: guests want %" PRIu64 " MiB, can have %" PRIu64 " MiB: %" PRIu64
		       " MiB short, %zu guests below their want\n", p.sum.wanted / 1024,
		       p.sum.capacity / 1024, p.sum.shortfall / 1024, p.sum.n_short);
		if (shorts->len) {
			if (history)
				stamp();
			printf("contention: short: %s\n", shorts->str);
		}
	}
	fflush(stdout);
out:
	g_free(err);
	g_string_free(shorts, TRUE);
	xlite_bal_pass_dispose(&p);
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
