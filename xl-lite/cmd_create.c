/* xlite create: domain XML -> config -> plan -> running domain, then a
 * small monitor process for the lifecycle actions, as xl does. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/kcache.h"
#include "libtool/memory/conf.h"
#include "libtool/parse/config.h"
#include "libtool/hv/hv.h"
#include "libtool/apply/monitor.h"
#include "libtool/plan/plan.h"
#include "libtool/util/hostconf.h"
#include "libtool/util/json.h"
#include "xl-lite/xlite.h"

#define MONITOR_LOG_DIR "/var/log/xen"

struct create_args {
	bool dry_run, paused, console, verbose, quiet, json;
	const char *file;
	const char *xml;	/* start: the definition's XML (LEN bytes), named FILE */
	size_t xml_len;
};

static void on_warning(const char *msg, void *opaque)
{
	(void)opaque;
	xlite_warn("%s", msg);
}

static void monitor_log(const char *msg, void *opaque)
{
	GDateTime *now = g_date_time_new_now_local();
	char *ts = g_date_time_format(now, "%F %T");

	(void)opaque;
	fprintf(stderr, "%s xlite-monitor[%d]: %s\n", ts, (int)getpid(), msg);
	fflush(stderr);
	g_free(ts);
	g_date_time_unref(now);
}

/* The monitor's own process: detached from the terminal and the caller's
 * session, its output in a log file, with handles of its own. */
static void monitor_child(const struct xlite_plan *plan, const struct xlite_apply_opts *opts,
			  const struct xlite_apply_result *res)
{
	struct xlite_hv hv = { 0 };
	struct xlite_monitor m;
	char *log, *err = NULL;
	int fd, rc;

	setsid();
	signal(SIGHUP, SIG_IGN);
	if (chdir("/") < 0)
		_exit(1);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	g_mkdir_with_parents(MONITOR_LOG_DIR, 0755);
	log = g_strdup_printf(MONITOR_LOG_DIR "/xlite-%s.log", plan->name);
	fd = xlite_monitor_log_open(log, &err);
	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	} else {
		/* Said on the caller's terminal, then stderr goes nowhere. */
		monitor_log(err, NULL);
		g_free(err);
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
	}
	g_free(log);
	if (xlite_hv_xen_open(&hv, 0) < 0) {
		monitor_log(xlite_hv_error(&hv), NULL);
		xlite_hv_dispose(&hv);
		_exit(1);
	}
	xlite_monitor_init(&m, &hv, plan, opts, res->domid, res->loops);
	m.log = monitor_log;
	m.give_way = true;
	monitor_log("watching", NULL);
	rc = xlite_monitor_run(&m);
	xlite_monitor_dispose(&m);
	xlite_hv_dispose(&hv);
	_exit(rc < 0 ? 1 : 0);
}

/* One fork, not waited for: the monitor runs in its own session and is
 * reparented to init when create exits (a second fork and a wait cost a
 * whole address-space copy and teardown in a PV dom0). While xlited runs
 * there is none: the daemon adopts the new domain (its watch sees it
 * come) and carries out its actions. */
int xlite_cli_start_monitor(struct xlite_hv *parent_hv, const struct xlite_plan *plan,
			    const struct xlite_apply_opts *opts,
			    const struct xlite_apply_result *res)
{
	pid_t pid;

	if (xlite_daemon_running(opts->lock_dir ? opts->lock_dir : XLITE_LOCK_DIR))
		return 1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* The parent's Xen handles are not the child's to use. */
		xlite_hv_dispose(parent_hv);
		monitor_child(plan, opts, res);
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct create_args *a)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "paused", no_argument, NULL, 'p' },
		{ "console", no_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	optind = 1;
	while ((c = getopt_long(argc, argv, "+npcvqj", opts, NULL)) != -1) {
		switch (c) {
		case 'n': a->dry_run = true; break;
		case 'p': a->paused = true; break;
		case 'c': a->console = true; break;
		case 'v': a->verbose = true; break;
		case 'q': a->quiet = true; break;
		case 'j': a->json = true; break;
		default: return -EINVAL;
		}
	}
	if (optind != argc - 1)
		return -EINVAL;
	a->file = argv[optind];
	return 0;
}

/* Milliseconds to a tenth, as the text says them. */
static double tenths(double ms)
{
	return (double)(int64_t)(ms * 10 + 0.5) / 10;
}

static void report(const struct create_args *a, const struct xlite_plan *plan,
		   const struct xlite_apply_result *res, double ms_monitor)
{
	if (a->json) {
		g_autoptr(XliteJson) b = xlite_json_new();
		const struct xlite_json_member head[] = {
			XLITE_JSON_STR("name", plan->name), XLITE_JSON_INT("domid", res->domid),
			XLITE_JSON_STR("uuid", plan->uuid), XLITE_JSON_BOOL("paused", a->paused),
			XLITE_JSON_INT("xenstore_requests", res->xs_requests),
			XLITE_JSON_BOOL("kernel_cache_hit", res->kcache_hit),
		};
		const struct xlite_json_member ms[] = {
			XLITE_JSON_DOUBLE("domain", tenths(res->ms_domain)),
			XLITE_JSON_DOUBLE("devices", tenths(res->ms_devices)),
			XLITE_JSON_DOUBLE("build", tenths(res->ms_build)),
			XLITE_JSON_DOUBLE("xenstore", tenths(res->ms_xenstore)),
			XLITE_JSON_DOUBLE("boot", tenths(res->ms_boot)),
			XLITE_JSON_DOUBLE("total", tenths(res->ms_total)),
			XLITE_JSON_DOUBLE("monitor", tenths(ms_monitor)),
		};

		xlite_json_begin_object(b);
		xlite_json_members(b, head, G_N_ELEMENTS(head));
		xlite_json_member_object(b, "ms", ms, G_N_ELEMENTS(ms));
		xlite_json_end_object(b);
		xlite_json_print(stdout, b, true);
		return;
	}
	if (!a->quiet) {
		g_autofree char *how = plan->boot != XLITE_BOOT_DISK ? g_strdup("") :
			g_strdup_printf(res->ms_boot > 0 ? ", its kernel started by %s from its disk" :
					", booting from its disk through %s",
					xlite_plan_boot_loader(plan));

		fprintf(stderr, "xlite: created domain '%s' (id %u)%s%s\n", plan->name, res->domid,
			a->paused ? ", paused" : "", how);
	}
	if (a->verbose)
		fprintf(stderr, "xlite: %.1f ms (domain %.1f, devices %.1f, build %.1f%s, "
			"xenstore %.1f incl. introduce %.1f), %lu xenstore requests; "
			"monitor started in %.1f ms\n", res->ms_total, res->ms_domain,
			res->ms_devices, res->ms_build, res->kcache_hit ? " cached kernel" : "",
			res->ms_xenstore, res->ms_introduce, res->xs_requests, ms_monitor);
}

/* An empty XLITE_KCACHE_DIR turns the kernel cache off (benchmarks). */
static const char *kcache_dir(void)
{
	const char *d = getenv("XLITE_KCACHE_DIR");

	if (!d)
		return XLITE_KCACHE_DIR;
	return *d ? d : NULL;
}

/* The kernel cache as xlite.conf bounds it; a directory that fails its
 * checks is not used (a warning, and the create goes on without it). */
static void kernel_cache(const struct xlite_hostconf *hc, struct xlite_apply_opts *opts)
{
	const char *dir = kcache_dir();
	char *why = NULL;

	opts->kcache_dir = xlite_kcache_choose(dir, hc->kcache_max, &why);
	if (why) {
		xlite_warn("not using the kernel cache: %s", why);
		g_free(why);
	}
	opts->kcache_max = hc->kcache_max;
}

static int create(struct xlite_cli *cli, const struct create_args *args);

int xlite_cmd_create(struct xlite_cli *cli, int argc, char **argv)
{
	struct create_args a;

	if (parse_args(argc, argv, &a) < 0)
		return xlite_usage(xlite_cmd_find("create"));
	return create(cli, &a);
}

int xlite_cli_create_xml(struct xlite_cli *cli, const char *xml, size_t len, const char *source)
{
	struct create_args a = { .file = source, .xml = xml, .xml_len = len };

	return create(cli, &a);
}

static int create(struct xlite_cli *cli, const struct create_args *args)
{
	struct create_args a = *args;
	struct xlite_config cfg;
	struct xlite_plan plan;
	struct xlite_hv hv = { 0 };
	struct xlite_apply_opts opts = { 0 };
	struct xlite_memconf memconf;
	struct xlite_hostconf hc;
	struct xlite_apply_result res;
	char *err = NULL, *out = NULL;
	gint64 t_fork, t_start = 0, t_open = 0, t_opened = 0;
	int rc = XLITE_EXIT_FAIL;

	xlite_config_init(&cfg);
	xlite_plan_init(&plan);
	xlite_apply_result_init(&res);
	cli->json = a.json;
	t_start = g_get_monotonic_time();
	if ((a.xml ? xlite_config_parse_memory(&cfg, a.xml, a.xml_len, a.file, on_warning, NULL,
					       &err)
		   : xlite_config_parse_file(&cfg, a.file, on_warning, NULL, &err)) < 0) {
		xlite_err("%s", err);
		rc = XLITE_EXIT_USAGE;
		goto out;
	}
	/* A raw type='file' disk on a block device is one (a note says so). */
	xlite_config_resolve_sources(&cfg, on_warning, NULL);
	if (xlite_plan_build(&plan, &cfg, &err) < 0) {
		xlite_err("%s", err);
		rc = XLITE_EXIT_USAGE;
		goto out;
	}
	xlite_hostconf_init(&hc);
	if (xlite_hostconf_load(&hc, XLITE_HOSTCONF_FILE, &err) < 0) {
		xlite_err("%s", err);
		goto out;
	}
	/* A guest booted from its disk runs the host's pvgrub2 (pvhgrub for
	 * a PVH guest). */
	xlite_plan_set_boot_image(&plan, plan.pvh ? hc.grub_pvh_image : hc.grub_image);
	if (a.dry_run) {
		out = a.json ? xlite_plan_to_json(&plan) : xlite_plan_to_text(&plan);
		fputs(out ? out : "", stdout);
		rc = out ? XLITE_EXIT_OK : XLITE_EXIT_FAIL;
		goto out;
	}
	if (xlite_config_check_files(&cfg, &err) < 0) {
		xlite_err("%s", err);
		goto out;
	}
	kernel_cache(&hc, &opts);
	/* With the console attached, the user sees pvgrub2 and its menu. */
	if (!a.console)
		opts.boot_timeout_ms = (int)hc.boot_timeout * 1000;
	t_open = g_get_monotonic_time();
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	t_opened = g_get_monotonic_time();
	opts.paused = a.paused;
	xlite_memconf_init(&memconf);
	if (xlite_memconf_load(&memconf, XLITE_MEMCONF_FILE, &err) < 0) {
		xlite_err("%s", err);
		goto out;
	}
	opts.memconf = &memconf;
	if (xlite_apply(&hv, &plan, &opts, &res, &err) < 0) {
		xlite_err("cannot create domain '%s': %s", plan.name, err);
		goto out;
	}
	t_fork = g_get_monotonic_time();
	if (xlite_cli_start_monitor(&hv, &plan, &opts, &res) < 0)
		xlite_warn("no monitor for domain '%s': on_poweroff/on_reboot/on_crash "
			   "will not be handled", plan.name);
	report(&a, &plan, &res, (double)(g_get_monotonic_time() - t_fork) / 1000.0);
	if (a.verbose)
		fprintf(stderr, "xlite: in create: parse and plan %.1f ms, open Xen %.1f ms, "
			"%.1f ms in all\n", (double)(t_open - t_start) / 1000.0,
			(double)(t_opened - t_open) / 1000.0,
			(double)(g_get_monotonic_time() - t_start) / 1000.0);
	rc = XLITE_EXIT_OK;
	if (a.console) {
		char id[16];
		char *cargv[] = { (char *)"console", id, NULL };

		snprintf(id, sizeof(id), "%u", res.domid);
		xlite_hv_dispose(&hv);
		rc = xlite_cmd_console(cli, 2, cargv);
	}
out:
	g_free(out);
	g_free(err);
	xlite_apply_result_dispose(&res);
	xlite_hv_dispose(&hv);
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
	return rc;
}
