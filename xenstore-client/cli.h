/* xlite-xenstore: one command, one function, one row in cli-cmdtable.c. */
#ifndef XSC_CLI_H
#define XSC_CLI_H

#include <getopt.h>

#include "xenstore-client/xsc.h"

enum {
	XSCLI_EXIT_OK = 0,
	XSCLI_EXIT_FAIL = 1,	/* the operation failed, or xenstore unreachable */
	XSCLI_EXIT_USAGE = 2,	/* bad flags or arguments */
};

struct xscli_cmd {
	const char *name;
	int (*fn)(const struct xscli_cmd *cmd, int argc, char **argv);
	const char *args;	/* "[-p] [PATH]" */
	const char *summary;	/* one line for `help` */
	const char *help;	/* more for `help CMD`, may be NULL */
};

extern const struct xscli_cmd xscli_cmds[];
extern const unsigned int xscli_n_cmds;

const struct xscli_cmd *xscli_cmd_find(const char *name);
/* Prints "usage: xlite-xenstore CMD ARGS" to stderr; returns XSCLI_EXIT_USAGE. */
int xscli_usage(const struct xscli_cmd *cmd);
/* Prints "xlite-xenstore: " + message to stderr. */
void xscli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Opens ctx, or says why xenstore is not reachable. 0 or XSCLI_EXIT_FAIL;
 * ctx must be closed either way. */
int xscli_open(struct xsc_ctx *ctx, unsigned int flags);
/* Checks every path argument; prints the first problem. 0 or XSCLI_EXIT_USAGE. */
int xscli_check_paths(char *const *paths, int n);
/* getopt_long over argv[0..argc) (argv[0] is the command name), options
 * before operands only. Returns the option, -1 at the end, '?' on error
 * (after printing the usage). */
int xscli_getopt(const struct xscli_cmd *cmd, int argc, char **argv, const char *opts,
		 const struct option *longopts);
/* Index of the first operand after xscli_getopt returned -1. */
int xscli_optind(void);
const char *xscli_optarg(void);

int xscli_cmd_help(const struct xscli_cmd *cmd, int argc, char **argv);
int xscli_cmd_read(const struct xscli_cmd *cmd, int argc, char **argv);
int xscli_cmd_write(const struct xscli_cmd *cmd, int argc, char **argv);
int xscli_cmd_ls(const struct xscli_cmd *cmd, int argc, char **argv);
int xscli_cmd_rm(const struct xscli_cmd *cmd, int argc, char **argv);
int xscli_cmd_chmod(const struct xscli_cmd *cmd, int argc, char **argv);
int xscli_cmd_watch(const struct xscli_cmd *cmd, int argc, char **argv);
int xscli_cmd_dump(const struct xscli_cmd *cmd, int argc, char **argv);
int xscli_cmd_batch(const struct xscli_cmd *cmd, int argc, char **argv);

#endif
