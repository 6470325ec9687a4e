/* The command table: dispatch, usage and help come from these rows. */
#include <string.h>

#include "xl-lite/xlite.h"

const struct xlite_cmd xlite_cmds[] = {
	{ "help", xlite_cmd_help, "[CMD]", "show commands, or one command's help", NULL },
};

const unsigned int xlite_n_cmds = sizeof(xlite_cmds) / sizeof(xlite_cmds[0]);

const struct xlite_cmd *xlite_cmd_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < xlite_n_cmds; i++)
		if (strcmp(xlite_cmds[i].name, name) == 0)
			return &xlite_cmds[i];
	return NULL;
}
