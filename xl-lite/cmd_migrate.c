/* xlite migrate and migrate-receive: a running domain to another host
 * (libtool/save/migrate.h), over ssh or the -s command, as xl migrate. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/domain.h"
#include "libtool/memory/conf.h"
#include "libtool/save/migrate.h"
#include "libtool/util/json.h"
#include "xl-lite/xlite.h"

/* The transport gets this long to end once the receiver said its last. */
#define TRANSPORT_EXIT_MS 15000

struct mview {
	const char *name;
	bool tty, json, drawn;
	struct xlite_save_round round;
	bool live;
};

static double tenth(double v)
{
	return (double)(int64_t)(v * 10 + (v < 0 ? -0.5 : 0.5)) / 10;
}

static void mview_json(const struct mview *v, double mib, double rate, bool final)
{
	const struct xlite_json_member m[] = {
		XLITE_JSON_STR("event", "progress"), XLITE_JSON_STR("op", "migrate"),
		XLITE_JSON_STR("domain", v->name), XLITE_JSON_BOOL("live", v->live),
		XLITE_JSON_INT("round", v->round.iteration),
		XLITE_JSON_INT("dirty_pages", v->round.dirty_pages < 0 ? 0 : v->round.dirty_pages),
		XLITE_JSON_BOOL("suspended", v->round.last || !v->live),
		XLITE_JSON_DOUBLE("mib_done", tenth(mib)),
		XLITE_JSON_DOUBLE("mib_per_s", tenth(rate)),
		XLITE_JSON_BOOL("final", final),
	};

	xlite_cli_json_line(m, G_N_ELEMENTS(m));
}

/* Bytes sent so far (the stream's pump). */
static void on_bytes(const struct xlite_save_progress *p, void *opaque)
{
	struct mview *v = opaque;
	double mib = (double)p->done / 1048576.0;
	double rate = p->elapsed_s > 0 ? mib / p->elapsed_s : 0;

	if (v->json)
		mview_json(v, mib, rate, p->final);
	if (!v->tty)
		return;
	if (v->live)
		fprintf(stderr, "\rmigrate %s: round %u, %ld pages dirty%s, %.1f MiB sent, "
			"%.1f MiB/s ", v->name, v->round.iteration,
			v->round.dirty_pages < 0 ? 0 : v->round.dirty_pages,
			v->round.last ? " (suspended)" : "", mib, rate);
	else
		fprintf(stderr, "\rmigrate %s: cold (suspended), %.1f MiB sent, %.1f MiB/s ",
			v->name, mib, rate);
	if (p->final)
		fputc('\n', stderr);
	fflush(stderr);
	v->drawn = !p->final;
}

static void on_round(const struct xlite_save_round *r, void *opaque)
{
	struct mview *v = opaque;

	v->round = *r;
}

static void end_line(struct mview *v)
{
	if (v->drawn)
		fputc('\n', stderr);
	v->drawn = false;
}

/* Interrupts wait while the domain is suspended or half made; a peer that
 * went away is an error to report, not a death. */
static void hold_signals(void)
{
	sigset_t old;

	xlite_cli_hold_interrupts(&old);
	signal(SIGPIPE, SIG_IGN);
}

/* The transport's command, as xl's -s: "ssh HOST xlite migrate-receive";
 * with -s CMD, "CMD HOST xlite migrate-receive" run by sh; with -s "",
 * HOST itself run by sh (it says how to reach the receiver). */
static char **transport_argv(const char *ssh_cmd, const char *host)
{
	char **argv = g_new0(char *, 5);

	if (!ssh_cmd) {
		argv[0] = g_strdup("ssh");
		argv[1] = g_strdup(host);
		argv[2] = g_strdup("xlite migrate-receive");
		return argv;
	}
	argv[0] = g_strdup("/bin/sh");
	argv[1] = g_strdup("-c");
	argv[2] = *ssh_cmd ? g_strdup_printf("%s %s xlite migrate-receive", ssh_cmd, host)
			   : g_strdup(host);
	return argv;
}

/* Waits for the transport (it ends when the receiver did); kills it past
 * TRANSPORT_EXIT_MS. Its exit status, or -1. */
static int transport_wait(GPid pid)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)TRANSPORT_EXIT_MS * 1000;
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		if (g_get_monotonic_time() >= deadline) {
			kill(pid, SIGTERM);
			waitpid(pid, &status, 0);
			return -1;
		}
		g_usleep(20000);
	}
}

static void result_line(const struct mview *v, const char *host,
			const struct xlite_migrate_result *r)
{
	if (v->json) {
		g_autoptr(XliteJson) b = xlite_json_new();
		const struct xlite_json_member m[] = {
			XLITE_JSON_STR("event", "migrated"), XLITE_JSON_STR("domain", v->name),
			XLITE_JSON_STR("host", host), XLITE_JSON_BOOL("live", v->live),
			XLITE_JSON_INT("rounds", r->save.rounds),
			XLITE_JSON_INT("bytes", r->save.file_bytes),
			XLITE_JSON_DOUBLE("ms_down", tenth(r->ms_down)),
			XLITE_JSON_DOUBLE("ms_total", tenth(r->ms_total)),
		};

		xlite_json_begin_object(b);
		xlite_json_members(b, m, G_N_ELEMENTS(m));
		xlite_json_end_object(b);
		xlite_json_print(stdout, b, false);
		fputc('\n', stdout);
		return;
	}
	printf("migrated '%s' to %s (%s%s): %.1f MiB, downtime %.1f s, total %.1f s\n",
	       v->name, host, v->live ? "live" : "cold, suspended while it moved",
	       v->live ? (r->save.rounds == 1 ? ", 1 round" : "") : "",
	       (double)r->save.file_bytes / 1048576.0, r->ms_down / 1000.0,
	       r->ms_total / 1000.0);
	if (v->live && r->save.rounds != 1)
		printf("  %u rounds before the suspend\n", r->save.rounds);
}

int xlite_cmd_migrate(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "live", no_argument, NULL, 'l' },
		{ "cold", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	struct xlite_migrate_opts o;
	struct xlite_migrate_result res;
	struct mview v;
	g_autofree char *name = NULL, *xml = NULL, *refusal = NULL;
	g_auto(GStrv) targv = NULL;
	const char *ssh_cmd = NULL, *config = NULL, *host;
	GError *gerr = NULL;
	char *err = NULL;
	GPid pid = 0;
	int to_fd = -1, from_fd = -1, c, want = 0, rc = XLITE_EXIT_FAIL, trc;
	uint32_t domid;

	memset(&o, 0, sizeof(o));
	memset(&v, 0, sizeof(v));
	optind = 1;
	while ((c = getopt_long(argc, argv, "+s:C:j", lopts, NULL)) != -1) {
		switch (c) {
		case 'l': want = 1; break;
		case 'c': want = -1; break;
		case 's': ssh_cmd = optarg; break;
		case 'C': config = optarg; break;
		case 'j': v.json = true; break;
		default: return xlite_usage(xlite_cmd_find("migrate"));
		}
	}
	if (optind != argc - 2)
		return xlite_usage(xlite_cmd_find("migrate"));
	host = argv[optind + 1];
	cli->json = v.json;
	v.tty = isatty(STDERR_FILENO);
	if (config && !g_file_get_contents(config, &xml, NULL, &gerr)) {
		xlite_err("%s", gerr->message);
		g_error_free(gerr);
		return XLITE_EXIT_USAGE;
	}
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (xlite_cli_resolve(&hv, argv[optind], &domid) < 0)
		goto out;
	name = xlite_domain_name(&hv, domid);
	v.name = name ? name : argv[optind];
	refusal = xlite_migrate_live_refusal(&hv, domid);
	if (want > 0 && refusal) {
		xlite_err("cannot migrate domain '%s' live: %s", v.name, refusal);
		goto out;
	}
	v.live = o.live = want >= 0 && !refusal;
	if (want == 0 && refusal && v.tty)
		fprintf(stderr, "xlite: moving '%s' cold (suspended while it moves): %s\n", v.name,
			refusal);
	o.xml = xml;
	o.progress = on_bytes;
	o.round = on_round;
	o.progress_opaque = &v;
	targv = transport_argv(ssh_cmd, host);
	if (!g_spawn_async_with_pipes(NULL, targv, NULL,
				      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH, NULL,
				      NULL, &pid, &to_fd, &from_fd, NULL, &gerr)) {
		xlite_err("cannot start the transport '%s': %s", targv[0], gerr->message);
		g_error_free(gerr);
		goto out;
	}
	hold_signals();
	if (xlite_migrate_send(&hv, domid, to_fd, from_fd, &o, &res, &err) < 0) {
		end_line(&v);
		xlite_err("cannot migrate domain '%s' to %s: %s", v.name, host, err);
		if (res.source_left)
			xlite_err("domain '%s' runs on here as before", v.name);
		goto out;
	}
	end_line(&v);
	result_line(&v, host, &res);
	rc = XLITE_EXIT_OK;
out:
	if (to_fd >= 0)
		close(to_fd);
	if (from_fd >= 0)
		close(from_fd);
	if (pid > 0) {
		trc = transport_wait(pid);
		if (trc != 0 && rc == XLITE_EXIT_OK)
			xlite_warn("the transport '%s' ended with status %d", targv[0], trc);
		g_spawn_close_pid(pid);
	}
	g_free(err);
	xlite_hv_dispose(&hv);
	return rc;
}

int xlite_cmd_migrate_receive(struct xlite_cli *cli, int argc, char **argv)
{
	struct xlite_hv hv = { 0 };
	struct xlite_migrate_recv_opts o;
	struct xlite_memconf memconf;
	struct xlite_apply_result res;
	struct xlite_plan plan;
	char *err = NULL;
	int rc = XLITE_EXIT_FAIL;

	(void)cli;
	(void)argv;
	if (argc != 1)
		return xlite_usage(xlite_cmd_find("migrate-receive"));
	memset(&o, 0, sizeof(o));
	xlite_plan_init(&plan);
	xlite_apply_result_init(&res);
	xlite_memconf_init(&memconf);
	hold_signals();
	if (xlite_memconf_load(&memconf, XLITE_MEMCONF_FILE, &err) < 0) {
		xlite_err("%s", err);
		goto out;
	}
	o.apply.memconf = &memconf;
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (xlite_migrate_receive(&hv, STDIN_FILENO, STDOUT_FILENO, &o, &plan, &res, &err) < 0) {
		xlite_err("migrate-receive: %s", err);
		goto out;
	}
	o.apply.paused = false;
	if (xlite_cli_start_monitor(&hv, &plan, &o.apply, &res) < 0)
		xlite_warn("no monitor for domain '%s': on_poweroff/on_reboot/on_crash "
			   "will not be handled", plan.name);
	rc = XLITE_EXIT_OK;
out:
	g_free(err);
	xlite_apply_result_dispose(&res);
	xlite_hv_dispose(&hv);
	xlite_plan_dispose(&plan);
	return rc;
}
