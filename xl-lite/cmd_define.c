/* Defined (persistent) domains: xlite define, undefine, start, autostart.
 * The definitions are files under xlite.conf's state directory
 * (libtool/apply/defined.c); these commands work on them directly, with
 * or without xlited. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/defined.h"
#include "libtool/util/hostconf.h"
#include "xl-lite/xlite.h"

static void on_warning(const char *msg, void *opaque)
{
	(void)opaque;
	xlite_warn("%s", msg);
}

char *xlite_cli_defined_dir(void)
{
	struct xlite_hostconf hc;
	char *err = NULL;

	xlite_hostconf_init(&hc);
	if (xlite_hostconf_load(&hc, XLITE_HOSTCONF_FILE, &err) < 0) {
		xlite_err("%s", err);
		g_free(err);
		return NULL;
	}
	return xlite_defined_dir(hc.state_dir);
}

/* Exit status of a library error: bad input 2, else 1. */
static int fail(int rc, char *err)
{
	xlite_err("%s", err);
	g_free(err);
	return rc == -EINVAL ? XLITE_EXIT_USAGE : XLITE_EXIT_FAIL;
}

int xlite_cmd_define(struct xlite_cli *cli, int argc, char **argv)
{
	g_autofree char *dir = NULL, *xml = NULL;
	g_autoptr(GError) gerr = NULL;
	struct xlite_defined def = { 0 };
	char *err = NULL;
	gsize len = 0;
	bool replaced;
	int rc;

	(void)cli;
	if (argc != 2 || argv[1][0] == '-')
		return xlite_usage(xlite_cmd_find("define"));
	if (!g_file_get_contents(argv[1], &xml, &len, &gerr)) {
		xlite_err("%s", gerr->message);
		return XLITE_EXIT_FAIL;
	}
	dir = xlite_cli_defined_dir();
	if (!dir)
		return XLITE_EXIT_FAIL;
	rc = xlite_define(dir, xml, len, argv[1], on_warning, NULL, &def, &replaced, &err);
	if (rc < 0)
		return fail(rc, err);
	printf("domain '%s' %s from %s (uuid %s)\n", def.name, replaced ? "redefined" : "defined",
	       argv[1], def.uuid);
	g_free(def.name);
	return XLITE_EXIT_OK;
}

int xlite_cmd_undefine(struct xlite_cli *cli, int argc, char **argv)
{
	g_autofree char *dir = NULL;
	char *err = NULL;
	int rc;

	(void)cli;
	if (argc != 2 || argv[1][0] == '-')
		return xlite_usage(xlite_cmd_find("undefine"));
	dir = xlite_cli_defined_dir();
	if (!dir)
		return XLITE_EXIT_FAIL;
	rc = xlite_undefine(dir, argv[1], &err);
	if (rc < 0)
		return fail(rc, err);
	printf("domain '%s' undefined\n", argv[1]);
	return XLITE_EXIT_OK;
}

int xlite_cmd_start(struct xlite_cli *cli, int argc, char **argv)
{
	g_autofree char *dir = NULL, *xml = NULL, *source = NULL;
	char *err = NULL;
	size_t len = 0;
	int rc;

	if (argc != 2 || argv[1][0] == '-')
		return xlite_usage(xlite_cmd_find("start"));
	dir = xlite_cli_defined_dir();
	if (!dir)
		return XLITE_EXIT_FAIL;
	rc = xlite_defined_read(dir, argv[1], &xml, &len, &err);
	if (rc < 0)
		return fail(rc, err);
	source = g_strdup_printf("%s/%s.xml", dir, argv[1]);
	return xlite_cli_create_xml(cli, xml, len, source);
}

int xlite_cmd_autostart(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "disable", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	g_autofree char *dir = NULL;
	bool on = true;
	char *err = NULL;
	int c, rc;

	(void)cli;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c != 'd')
			return xlite_usage(xlite_cmd_find("autostart"));
		on = false;
	}
	if (optind != argc - 1)
		return xlite_usage(xlite_cmd_find("autostart"));
	dir = xlite_cli_defined_dir();
	if (!dir)
		return XLITE_EXIT_FAIL;
	rc = xlite_defined_set_autostart(dir, argv[optind], on, &err);
	if (rc < 0)
		return fail(rc, err);
	printf("domain '%s' %s\n", argv[optind], on ? "marked as autostarted" :
	       "unmarked as autostarted");
	return XLITE_EXIT_OK;
}
