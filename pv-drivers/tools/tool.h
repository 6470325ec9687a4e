/* Shared by the guest tools' main(): what -h and an unknown option do. */
#ifndef PVD_TOOL_H
#define PVD_TOOL_H

#include <stdio.h>

/*
 * Called from the getopt switch for 'h' and for anything it does not know:
 * -h prints the usage on stdout and succeeds (0); anything else prints it on
 * stderr and is a usage error (2). Returns the exit status for main().
 */
static inline int pvd_tool_help_or_usage_error(void (*usage)(FILE *), int opt)
{
	if (opt == 'h') {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}

#endif
