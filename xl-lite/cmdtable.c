/* The command table: dispatch, usage and help come from these rows. */
#include <string.h>

#include "xl-lite/xlite.h"

const struct xlite_cmd xlite_cmds[] = {
	{ "help", xlite_cmd_help, "[CMD]", "show commands, or one command's help", NULL },
	{ "info", xlite_cmd_info, "[--json]", "show the host and hypervisor, as xl info",
	  "Prints xl info's facts under xl's names (xen_version, total_memory in MB,\n"
	  "nr_cpus, ...) plus dom0_memory, as \"key : value\" lines or one JSON object." },
	{ "list", xlite_cmd_list, "[--json] [NAME|ID...]", "list domains, as xl list",
	  "Columns Name, ID, Mem (MB), VCPUs, State, Time(s), as xl list. State letters:\n"
	  "r running, b blocked, p paused, s shut down, then the shutdown reason\n"
	  "(r reboot, s suspend, c crash, w watchdog), d dying.\n"
	  "Exit 1 when a NAME|ID does not exist." },
	{ "create", xlite_cmd_create, "[-n] [-p] [-c] [-v|-q] [--json] FILE.xml",
	  "create a domain from domain XML",
	  "Parses FILE.xml (libvirt domain XML), plans, and creates the domain: all of\n"
	  "it or, on any failure, nothing (no domain, xenstore node or loop device is\n"
	  "left). Returns once the domain runs; a small monitor process carries out\n"
	  "on_poweroff/on_reboot/on_crash.\n"
	  "  -n, --dry-run  print the plan (text, or JSON with --json); touch nothing\n"
	  "  -p, --paused   leave the domain paused\n"
	  "  -c, --console  attach to its console afterwards\n"
	  "  -v, --verbose  timings and xenstore requests on stderr\n"
	  "  --json         print the result (domid, timings) as JSON\n"
	  "Exit 2 for invalid XML (FILE:LINE: why), 1 when the create fails." },
	{ "destroy", xlite_cmd_destroy, "NAME|ID", "end a domain at once",
	  "Destroys the domain, then removes its xenstore directories (/local/domain/D,\n"
	  "/vm/UUID, backends) and releases its loop devices. xl's domains too." },
	{ "shutdown", xlite_cmd_shutdown, "[-w] [--timeout S] NAME|ID", "ask a domain to power off",
	  "Writes control/shutdown=poweroff. With -w, waits until the domain is gone\n"
	  "(its on_poweroff action carried out); --timeout S gives up after S seconds\n"
	  "(exit 1)." },
	{ "reboot", xlite_cmd_reboot, "[-w] [--timeout S] NAME|ID", "ask a domain to reboot",
	  "Writes control/shutdown=reboot; with on_reboot=restart the domain comes back\n"
	  "with a new id and the same name. -w waits for the old domain to go." },
	{ "pause", xlite_cmd_pause, "NAME|ID", "pause a domain's vcpus", NULL },
	{ "unpause", xlite_cmd_unpause, "NAME|ID", "resume a paused domain", NULL },
	{ "console", xlite_cmd_console, "[-t pv] NAME|ID", "attach to a domain's console",
	  "Connects the terminal to the domain's PV console (the pty xenconsoled\n"
	  "publishes). Ctrl-] leaves." },
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
