/* xlited: entry point. Reads xlite.conf's [daemon] section, loads (or
 * makes) its certificate and token, serves the API on one GLib main loop
 * until SIGTERM or SIGINT. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>

#include "xlited/peers.h"
#include "xlited/sample.h"
#include "libtool/apply/apply.h"
#include "xlited/xlited.h"

static void usage(FILE *f)
{
	fputs("usage: xlited [--foreground] [--config FILE] [--print-token]\n"
	      "  -f, --foreground   stay attached, log to stderr (systemd runs it so);\n"
	      "                     without it xlited detaches once it listens\n"
	      "  -c, --config FILE  the host's settings (default " XLITE_HOSTCONF_FILE ")\n"
	      "  --print-token      make the credentials if needed, print the API token, exit\n"
	      "  -V, --version\n", f);
}

static gboolean on_signal(gpointer data)
{
	struct xlited *d = data;

	g_message("stopping");
	g_main_loop_quit(d->loop);
	return G_SOURCE_CONTINUE;
}

static void on_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	(void)domain;
	(void)data;
	fprintf(stderr, "xlited: %s%s\n", level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL |
						   G_LOG_LEVEL_ERROR) ? "warning: " : "", msg);
	fflush(stderr);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "print-token", no_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlited d;
	bool foreground = false, print_token = false;
	char *err = NULL;
	int c, rc = 1;

	memset(&d, 0, sizeof(d));
	d.conf_file = XLITE_HOSTCONF_FILE;
	d.daemon_lock = -1;
	while ((c = getopt_long(argc, argv, "fc:Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'f': foreground = true; break;
		case 'c': d.conf_file = optarg; break;
		case 't': print_token = true; break;
		case 'V': printf("xlited %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	g_log_set_default_handler(on_log, NULL);
	xlite_hostconf_init(&d.conf);
	if (xlite_hostconf_load(&d.conf, d.conf_file, &err) < 0) {
		fprintf(stderr, "xlited: %s\n", err);
		goto out;
	}
	if (xlited_creds_load(&d, d.conf.state_dir, &err) < 0) {
		fprintf(stderr, "xlited: %s\n", err);
		goto out;
	}
	if (print_token) {
		printf("%s\n", d.token);
		rc = 0;
		goto out;
	}
	d.peers = g_ptr_array_new_with_free_func(xlited_peer_free);
	if (xlited_peers_load(d.peers, d.conf_file, &err) < 0) {
		fprintf(stderr, "xlited: %s\n", err);
		goto out;
	}
	d.www_dir = g_strdup(d.conf.www_dir[0] ? d.conf.www_dir : XLITE_DATADIR "/www");
	/* One daemon per host; the CLI's monitors see it by this lock. */
	if (xlite_daemon_lock(XLITE_LOCK_DIR, &d.daemon_lock, &err) < 0) {
		fprintf(stderr, "xlited: %s\n", err);
		goto out;
	}
	d.loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGTERM, on_signal, &d);
	g_unix_signal_add(SIGINT, on_signal, &d);
	d.event_log = xlited_event_log_new();
	if (xlited_http_start(&d, &err) < 0) {
		fprintf(stderr, "xlited: %s\n", err);
		goto stop;
	}
	/* Listening: a port in use was said above, with exit status 1. No
	 * thread runs yet (the pool starts them on first use). */
	if (!foreground && daemon(0, 0) < 0) {
		fprintf(stderr, "xlited: cannot detach: %s\n", g_strerror(errno));
		goto stop;
	}
	if (xlited_events_start(&d, &err) < 0 || xlited_supervise_start(&d, &err) < 0 ||
	    xlited_balancer_start(&d, &err) < 0) {
		g_warning("%s", err);
		goto stop;
	}
	if (xlited_sampler_start(&d, d.conf.sample_interval, &err) < 0) {
		g_warning("%s", err);
		goto stop;
	}
	g_message("listening on https://%s%s%s:%u/ (certificate SHA-256 %s)",
		  strchr(d.conf.listen, ':') ? "[" : "", d.conf.listen,
		  strchr(d.conf.listen, ':') ? "]" : "", d.conf.port, d.fingerprint);
	g_main_loop_run(d.loop);
	rc = 0;
stop:
	g_atomic_int_set(&d.stopping, 1);
	xlited_sampler_stop(&d);
	xlited_balancer_stop(&d);
	xlited_supervise_stop(&d);
	xlited_events_stop(&d);
	xlited_http_stop(&d);
	xlited_nodecache_free(d.nodecache);	/* no thread left that reads it */
	xlited_event_log_free(d.event_log);
	if (d.sse)
		g_ptr_array_free(d.sse, TRUE);
	g_main_loop_unref(d.loop);
out:
	g_free(err);
	xlited_creds_dispose(&d);
	g_free(d.www_dir);
	if (d.peers)
		g_ptr_array_free(d.peers, TRUE);
	xlite_name_unlock(&d.daemon_lock);
	return rc;
}
