/* xlite save and restore: a domain to a file and back (libtool/save/),
 * with progress on a terminal or as JSON lines. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/domain.h"
#include "libtool/memory/conf.h"
#include "libtool/save/save.h"
#include "libtool/util/json.h"
#include "libtool/util/number.h"
#include "xl-lite/xlite.h"

/* How progress is shown: a bar on a terminal (stderr), JSON lines on
 * stdout with --json, nothing otherwise. */
struct view {
	const char *op;			/* "save", "restore" */
	const char *name;
	bool tty, json;
	bool drawn;
};

static void progress_json(const struct view *v, double mib, double total, double rate,
			  double left, bool final)
{
	const struct xlite_json_member m[] = {
		XLITE_JSON_STR("event", "progress"), XLITE_JSON_STR("op", v->op),
		XLITE_JSON_STR("domain", v->name),
		XLITE_JSON_DOUBLE("mib_done", (double)(int64_t)(mib * 10) / 10),
		XLITE_JSON_DOUBLE("mib_total", (double)(int64_t)(total * 10) / 10),
		XLITE_JSON_DOUBLE("mib_per_s", (double)(int64_t)(rate * 10) / 10),
		XLITE_JSON_DOUBLE("seconds_left", (double)(int64_t)(left * 10) / 10),
		XLITE_JSON_BOOL("final", final),
	};

	xlite_cli_json_line(m, G_N_ELEMENTS(m));
}

static void show_progress(const struct xlite_save_progress *p, void *opaque)
{
	struct view *v = opaque;
	double mib = (double)p->done / 1048576.0, total = (double)p->total / 1048576.0;
	double rate = p->elapsed_s > 0 ? mib / p->elapsed_s : 0, left;
	char bar[25];
	int i, fill;

	if (total < mib || p->final)
		total = mib;	/* the total is the domain's memory: an estimate */
	left = rate > 0 ? (total - mib) / rate : 0;
	if (v->json)
		progress_json(v, mib, total, rate, left, p->final);
	if (!v->tty)
		return;
	fill = total > 0 ? (int)(24 * mib / total) : 0;
	for (i = 0; i < 24; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[24] = '\0';
	fprintf(stderr, "\r%s %s [%s] %7.1f/%.1f MiB %6.1f MiB/s %d:%02d %s", v->op, v->name,
		bar, mib, total, rate, (int)(p->final ? p->elapsed_s : left) / 60,
		(int)(p->final ? p->elapsed_s : left) % 60, p->final ? "total\n" : "left ");
	fflush(stderr);
	v->drawn = !p->final;
}

/* A bar left half drawn ends its line before a message. */
static void end_bar(struct view *v)
{
	if (v->drawn)
		fputc('\n', stderr);
	v->drawn = false;
}

/* While a domain is suspended or half made, an interrupt waits until the
 * command is done: the domain is never left suspended or half restored. */
void xlite_cli_json_line(const struct xlite_json_member *m, size_t n)
{
	g_autoptr(XliteJson) b = xlite_json_new();

	xlite_json_begin_object(b);
	xlite_json_members(b, m, n);
	xlite_json_end_object(b);
	xlite_json_print(stdout, b, false);
	fputc('\n', stdout);
	fflush(stdout);
}

void xlite_cli_hold_interrupts(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, old);
	/* Past a file size limit a write fails (EFBIG), it does not kill. */
	signal(SIGXFSZ, SIG_IGN);
}

static void result_json(const char *event, const char *name, uint32_t domid,
			const char *file, const struct xlite_json_member *extra, size_t n)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	const struct xlite_json_member m[] = {
		XLITE_JSON_STR("event", event), XLITE_JSON_STR("domain", name),
		XLITE_JSON_INT("domid", domid), XLITE_JSON_STR("file", file),
	};

	xlite_json_begin_object(b);
	xlite_json_members(b, m, G_N_ELEMENTS(m));
	xlite_json_members(b, extra, n);
	xlite_json_end_object(b);
	xlite_json_print(stdout, b, false);
	fputc('\n', stdout);
}

#ifdef XLITE_TEST_HOOKS
/* XLITE_TEST_SAVE_STOP=BYTES:FILE: the stream stops after BYTES until FILE
 * (made then) is removed, so a lab test can act in the middle of a save. */
static void test_stop(struct xlite_save_opts *o)
{
	const char *spec = getenv("XLITE_TEST_SAVE_STOP");
	const char *colon = spec ? strchr(spec, ':') : NULL;
	g_autofree char *num = colon ? g_strndup(spec, (gsize)(colon - spec)) : NULL;
	uint64_t at;

	if (num && xlite_number_parse(num, 1, UINT64_MAX, &at) == 0) {
		o->test_stop_at = at;
		o->test_stop_file = colon + 1;
	}
}
#endif

static double tenths(double ms)
{
	return (double)(int64_t)(ms * 10 + 0.5) / 10;
}

int xlite_cmd_save(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "checkpoint", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	struct xlite_save_opts o = { 0 };
	struct xlite_save_result res;
	struct view v = { .op = "save" };
	g_autofree char *name = NULL;
	char *err = NULL;
	sigset_t old;
	uint32_t domid;
	int c, rc = XLITE_EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+cj", lopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.checkpoint = true; break;
		case 'j': v.json = true; break;
		default: return xlite_usage(xlite_cmd_find("save"));
		}
	}
	if (optind != argc - 2)
		return xlite_usage(xlite_cmd_find("save"));
	cli->json = v.json;
	v.tty = isatty(STDERR_FILENO);
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (xlite_cli_resolve(&hv, argv[optind], &domid) < 0)
		goto out;
	name = xlite_domain_name(&hv, domid);
	v.name = name ? name : argv[optind];
	o.progress = show_progress;
	o.progress_opaque = &v;
#ifdef XLITE_TEST_HOOKS
	test_stop(&o);
#endif
	xlite_cli_hold_interrupts(&old);
	if (xlite_save_file(&hv, domid, argv[optind + 1], &o, &res, &err) < 0) {
		end_bar(&v);
		xlite_err("cannot save domain '%s': %s", v.name, err);
		goto out;
	}
	if (v.json) {
		const struct xlite_json_member m[] = {
			XLITE_JSON_BOOL("running", o.checkpoint),
			XLITE_JSON_INT("bytes", res.file_bytes),
			XLITE_JSON_DOUBLE("ms_total", tenths(res.ms_total)),
			XLITE_JSON_DOUBLE("ms_suspend", tenths(res.ms_suspend)),
			XLITE_JSON_DOUBLE("ms_down", tenths(res.ms_down)),
		};

		result_json("saved", v.name, domid, argv[optind + 1], m, G_N_ELEMENTS(m));
	} else if (v.tty) {
		fprintf(stderr, "xlite: saved domain '%s' to %s (%.1f MiB in %.1f s)%s\n",
			v.name, argv[optind + 1], (double)res.file_bytes / 1048576.0,
			res.ms_total / 1000.0, o.checkpoint ? "; it runs on" : "");
	}
	rc = XLITE_EXIT_OK;
out:
	g_free(err);
	xlite_hv_dispose(&hv);
	return rc;
}

int xlite_cmd_restore(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "paused", no_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	struct xlite_restore_opts o;
	struct xlite_memconf memconf;
	struct xlite_apply_result res;
	struct xlite_plan plan;
	struct view v = { .op = "restore" };
	const char *file;
	char *err = NULL, *note = NULL;
	sigset_t old;
	int c, rc = XLITE_EXIT_FAIL;

	memset(&o, 0, sizeof(o));
	xlite_plan_init(&plan);
	xlite_apply_result_init(&res);
	optind = 1;
	while ((c = getopt_long(argc, argv, "+pj", lopts, NULL)) != -1) {
		switch (c) {
		case 'p': o.apply.paused = true; break;
		case 'j': v.json = true; break;
		default:
			rc = xlite_usage(xlite_cmd_find("restore"));
			goto out;
		}
	}
	if (optind != argc - 1 && optind != argc - 2) {
		rc = xlite_usage(xlite_cmd_find("restore"));
		goto out;
	}
	file = argv[optind];
	o.new_name = optind + 1 < argc ? argv[optind + 1] : NULL;
	cli->json = v.json;
	v.tty = isatty(STDERR_FILENO);
	v.name = o.new_name ? o.new_name : file;
	o.progress = show_progress;
	o.progress_opaque = &v;
	xlite_memconf_init(&memconf);
	if (xlite_memconf_load(&memconf, XLITE_MEMCONF_FILE, &err) < 0) {
		xlite_err("%s", err);
		goto out;
	}
	o.apply.memconf = &memconf;
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	xlite_cli_hold_interrupts(&old);
	rc = xlite_restore_file(&hv, file, &o, &plan, &res, &note, &err);
	/* The domain is whole (or gone): interrupts again, and the monitor
	 * must not inherit them held. */
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc < 0) {
		rc = XLITE_EXIT_FAIL;
		end_bar(&v);
		xlite_err("cannot restore %s: %s", file, err);
		goto out;
	}
	if (note)
		xlite_warn("%s", note);
	o.apply.restore = NULL;
	if (xlite_cli_start_monitor(&hv, &plan, &o.apply, &res) < 0)
		xlite_warn("no monitor for domain '%s': on_poweroff/on_reboot/on_crash "
			   "will not be handled", plan.name);
	if (v.json) {
		const struct xlite_json_member m[] = {
			XLITE_JSON_STR("uuid", plan.uuid), XLITE_JSON_BOOL("paused", o.apply.paused),
			XLITE_JSON_DOUBLE("ms_total", tenths(res.ms_total)),
		};

		result_json("restored", plan.name, res.domid, file, m, G_N_ELEMENTS(m));
	} else if (v.tty) {
		fprintf(stderr, "xlite: restored domain '%s' (id %u)%s\n", plan.name, res.domid,
			o.apply.paused ? ", paused" : "");
	}
	rc = XLITE_EXIT_OK;
out:
	g_free(note);
	g_free(err);
	xlite_apply_result_dispose(&res);
	xlite_hv_dispose(&hv);
	xlite_plan_dispose(&plan);
	return rc;
}
