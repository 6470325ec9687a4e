/* xlite-xenstore: entry point, shared helpers, help. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xenstore-client/cli.h"

#define PROG "xlite-xenstore"

void xscli_err(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int xscli_usage(const struct xscli_cmd *cmd)
{
	fprintf(stderr, "usage: " PROG " %s %s\n", cmd->name, cmd->args);
	return XSCLI_EXIT_USAGE;
}

int xscli_open(struct xsc_ctx *ctx, unsigned int flags)
{
	if (xsc_open(ctx, flags) < 0) {
		xscli_err("%s", xsc_errmsg(ctx));
		return XSCLI_EXIT_FAIL;
	}
	return XSCLI_EXIT_OK;
}

int xscli_check_paths(char *const *paths, int n)
{
	struct xsc_err err = { "" };
	int i;

	for (i = 0; i < n; i++) {
		if (xsc_path_validate(paths[i], &err) < 0) {
			xscli_err("%s", err.msg);
			return XSCLI_EXIT_USAGE;
		}
	}
	return XSCLI_EXIT_OK;
}

int xscli_getopt(const struct xscli_cmd *cmd, int argc, char **argv, const char *opts,
		 const struct option *longopts)
{
	char spec[64];
	int c;

	/* '+': options stop at the first operand (a VALUE may start with '-');
	 * ':': report a missing argument as ':' so we print our own usage. */
	snprintf(spec, sizeof(spec), "+:%s", opts);
	c = getopt_long(argc, argv, spec, longopts, NULL);
	if (c == '?' || c == ':') {
		if (c == ':')
			xscli_err("%s: option needs an argument", cmd->name);
		else if (optopt)
			xscli_err("%s: unknown option '-%c'", cmd->name, optopt);
		else
			xscli_err("%s: unknown option '%s'", cmd->name, argv[optind - 1]);
		xscli_usage(cmd);
		return '?';
	}
	return c;
}

int xscli_optind(void)
{
	return optind;
}

const char *xscli_optarg(void)
{
	return optarg;
}

static void print_commands(FILE *f)
{
	unsigned int i;

	fputs("usage: " PROG " [--version] COMMAND [ARGS]\n\ncommands:\n", f);
	for (i = 0; i < xscli_n_cmds; i++)
		fprintf(f, "  %-8s %s\n", xscli_cmds[i].name, xscli_cmds[i].summary);
	fputs("\n`" PROG " help COMMAND` shows a command's arguments.\n"
	      "Exit status: 0 ok, 1 the operation failed, 2 bad usage.\n", f);
}

int xscli_cmd_help(const struct xscli_cmd *self, int argc, char **argv)
{
	const struct xscli_cmd *cmd;

	if (argc > 2)
		return xscli_usage(self);
	if (argc < 2) {
		print_commands(stdout);
		return XSCLI_EXIT_OK;
	}
	cmd = xscli_cmd_find(argv[1]);
	if (!cmd) {
		xscli_err("unknown command '%s'", argv[1]);
		return XSCLI_EXIT_USAGE;
	}
	printf("usage: " PROG " %s %s\n\n%s\n", cmd->name, cmd->args, cmd->summary);
	if (cmd->help)
		printf("\n%s\n", cmd->help);
	return XSCLI_EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct xscli_cmd *cmd;

	if (argc < 2) {
		print_commands(stderr);
		return XSCLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf(PROG " (xlite) %s\n", PACKAGE_VERSION);
		return XSCLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_commands(stdout);
		return XSCLI_EXIT_OK;
	}
	cmd = xscli_cmd_find(argv[1]);
	if (!cmd) {
		xscli_err("unknown command '%s' (try `" PROG " help`)", argv[1]);
		return XSCLI_EXIT_USAGE;
	}
	return cmd->fn(cmd, argc - 1, argv + 1);
}
