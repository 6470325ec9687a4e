/* The command table: dispatch, usage and help come from these rows. */
#include <string.h>

#include "xenstore-client/cli.h"

const struct xscli_cmd xscli_cmds[] = {
	{ "read", xscli_cmd_read, "[-R] PATH...",
	  "print the values of nodes",
	  "Values are quoted like xenstore-read (\\n, \\xHH, ...); -R prints them raw.\n"
	  "Several paths are read in one transaction." },
	{ "write", xscli_cmd_write, "[-R] PATH VALUE [PATH VALUE...]",
	  "write values, creating nodes as needed",
	  "VALUE escapes (\\n, \\t, \\\\, \\xHH, \\ooo) are decoded like xenstore-write;\n"
	  "-R writes VALUE as given. Several pairs are written in one transaction." },
	{ "ls", xscli_cmd_ls, "[-p] [PATH]",
	  "list a subtree like xenstore-ls (default /)",
	  "One line per node, `name = \"value\"`, indented by one space per level;\n"
	  "-p adds each node's permissions like xenstore-ls -p." },
	{ "rm", xscli_cmd_rm, "[-t] PATH...",
	  "remove nodes and everything below them",
	  "A path that does not exist is an error. -t also removes parents left\n"
	  "empty (no value, no children)." },
	{ "chmod", xscli_cmd_chmod, "[-r] [-u] PATH PERM...",
	  "set a node's permissions, e.g. n0 r5",
	  "PERM is a letter, n (none), r (read), w (write) or b (both), and a domain\n"
	  "id. The first names the owner, and its letter applies to every domain not\n"
	  "listed. -r also sets them on every node below, -u on every parent." },
	{ "watch", xscli_cmd_watch, "[-n COUNT] [-i] [-T SECONDS] PATH...",
	  "print the path of each change under PATH",
	  "The event xenstored fires when a watch is set is skipped unless -i.\n"
	  "-n exits after COUNT events; -T fails (exit 1) after SECONDS without\n"
	  "reaching COUNT." },
	{ "dump", xscli_cmd_dump, "[--json] [--no-perms] PATH",
	  "print a subtree as JSON, with values and permissions",
	  "{\"path\": P, \"value\": V, \"perms\": [\"n0\", ...], \"children\": [{\"name\": N, ...}]}" },
	{ "batch", xscli_cmd_batch, "[-n] [--stats] [--wire=auto|dev|none]",
	  "apply operations read from stdin in one transaction",
	  "One operation a line:\n"
	  "  mkdir PATH [PERMS]     (PERMS like n5,r0: set right after the mkdir)\n"
	  "  write PATH VALUE       (VALUE: the rest of the line, or \"quoted\" with\n"
	  "                          \\\" \\\\ \\n \\t \\r \\xHH)\n"
	  "  rm PATH                (a missing node is not an error)\n"
	  "  chmod PATH PERMS\n"
	  "Blank lines and # comments are skipped. All operations are applied or none;\n"
	  "the requests are pipelined over xenstored's socket (or /dev/xen/xenbus with\n"
	  "--wire=dev; one call at a time through libxenstore with --wire=none).\n"
	  "-n prints the parsed operations and touches nothing; --stats reports the\n"
	  "number of xenstore requests on stderr." },
	{ "help", xscli_cmd_help, "[COMMAND]",
	  "show commands, or one command's help", NULL },
};

const unsigned int xscli_n_cmds = sizeof(xscli_cmds) / sizeof(xscli_cmds[0]);

const struct xscli_cmd *xscli_cmd_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < xscli_n_cmds; i++)
		if (strcmp(xscli_cmds[i].name, name) == 0)
			return &xscli_cmds[i];
	return NULL;
}
