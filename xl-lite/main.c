/* xlite: entry point; dispatch through the command table. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "xl-lite/xlite.h"

/* PREFIX before each line of the message: a failure and the failures of
 * its rollback come as one message, a line each. */
static void say_lines(const char *prefix, const char *fmt, va_list ap)
{
	char *msg = g_strdup_vprintf(fmt, ap);
	char **lines = g_strsplit(msg, "\n", 0);
	unsigned int i;

	for (i = 0; lines[i]; i++)
		fprintf(stderr, "%s%s\n", prefix, lines[i]);
	g_strfreev(lines);
	g_free(msg);
}

void xlite_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_lines("xlite: ", fmt, ap);
	va_end(ap);
}

void xlite_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_lines("xlite: warning: ", fmt, ap);
	va_end(ap);
}

int xlite_usage(const struct xlite_cmd *cmd)
{
	fprintf(stderr, "usage: xlite %s %s\n", cmd->name, cmd->args);
	return XLITE_EXIT_USAGE;
}

static void print_commands(FILE *f)
{
	unsigned int i;

	fputs("usage: xlite [--version] COMMAND [ARGS]\n\ncommands:\n", f);
	for (i = 0; i < xlite_n_cmds; i++)
		fprintf(f, "  %-16s %s\n", xlite_cmds[i].name, xlite_cmds[i].summary);
	fputs("\n`xlite help COMMAND` shows a command's arguments.\n", f);
}

int xlite_cmd_help(struct xlite_cli *cli, int argc, char **argv)
{
	const struct xlite_cmd *cmd;

	(void)cli;
	if (argc < 2) {
		print_commands(stdout);
		return XLITE_EXIT_OK;
	}
	cmd = xlite_cmd_find(argv[1]);
	if (!cmd) {
		xlite_err("unknown command '%s'", argv[1]);
		return XLITE_EXIT_USAGE;
	}
	printf("usage: xlite %s %s\n\n%s\n", cmd->name, cmd->args, cmd->summary);
	if (cmd->help)
		printf("\n%s\n", cmd->help);
	return XLITE_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct xlite_cli cli = { .progname = "xlite" };
	const struct xlite_cmd *cmd;

	if (argc < 2) {
		print_commands(stderr);
		return XLITE_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("xlite %s\n", PACKAGE_VERSION);
		return XLITE_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return xlite_cmd_help(&cli, 1, argv + 1);
	cmd = xlite_cmd_find(argv[1]);
	if (!cmd) {
		xlite_err("unknown command '%s' (try `xlite help`)", argv[1]);
		return XLITE_EXIT_USAGE;
	}
	return cmd->fn(&cli, argc - 1, argv + 1);
}
