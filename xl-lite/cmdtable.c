/* The command table: dispatch, usage and help come from these rows. */
#include <string.h>

#include "xl-lite/xlite.h"

const struct xlite_cmd xlite_cmds[] = {
	{ "help", xlite_cmd_help, "[CMD]", "show commands, or one command's help", NULL },
	{ "validate", xlite_cmd_validate, "[--json] FILE...", "check domain XML files, change nothing",
	  "Parses and checks each FILE as `xlite create` would, without looking at the\n"
	  "files it names. Prints \"FILE: ok\", or the error as FILE:LINE: what is wrong;\n"
	  "warnings name what xlite ignores. Exit 0 when every FILE is valid, 2 if not." },
	{ "info", xlite_cmd_info, "[--json]", "show the host and hypervisor, as xl info",
	  "Prints xl info's facts under xl's names (xen_version, total_memory in MB,\n"
	  "nr_cpus, ...) plus dom0_memory, as \"key : value\" lines or one JSON object." },
	{ "list", xlite_cmd_list, "[-l] [--json] [NAME|ID...]", "list domains, as xl list",
	  "Columns Name, ID, Mem (MB), VCPUs, State, Time(s), as xl list. State letters:\n"
	  "r running, b blocked, p paused, s shut down, then the shutdown reason\n"
	  "(r reboot, s suspend, c crash, w watchdog), d dying.\n"
	  "-l adds the memory figures in MiB: Min (guaranteed), Target, Actual, Max,\n"
	  "Demand (what the guest agent reports in use, - without a report);\n"
	  "--json has them in KiB under \"memory\".\n"
	  "Defined domains that do not run (xlite define) come last: ID -, State\n"
	  "\"shut off\" (--json: \"domid\": null, \"defined\": true, \"autostart\").\n"
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
	{ "block-attach", xlite_cmd_block_attach, "[-n] NAME|ID DISKSPEC...|<disk>|FILE.xml",
	  "attach a virtual disk to a running domain",
	  "DISKSPEC is xl's (xl-disk-configuration(5)): /path/img,,xvdb,w or\n"
	  "phy:/dev/vg/lv,xvdc,r or target=/path,vdev=xvdb,access=ro; or give a libvirt\n"
	  "<disk> element (text or FILE.xml). A file gets a loop device (read-only for\n"
	  "r/ro/<readonly/>); blkback serves it, no hotplug script. The source must exist,\n"
	  "be a file (or block device), non-empty, and writable unless read-only; the\n"
	  "vdev must be free. On failure nothing is left. -n (--dry-run) makes those\n"
	  "checks and says what would be attached, touching nothing." },
	{ "block-detach", xlite_cmd_block_detach, "[-f] [-t SECONDS] NAME|ID VDEV",
	  "detach a virtual disk",
	  "VDEV is the name (xvdb) or number (51728). Asks the guest to let go (backend\n"
	  "Closing), waits up to SECONDS (default 10) for it, removes the nodes and\n"
	  "releases the loop device xlite made. -f removes it even when the guest does\n"
	  "not answer." },
	{ "block-list", xlite_cmd_block_list, "[--json] NAME|ID...", "list a domain's virtual disks",
	  "xl's columns (Vdev BE handle state evt-ch ring-ref BE-path), then Dev, Mode\n"
	  "and Params (the device blkback serves)." },
	{ "network-attach", xlite_cmd_network_attach,
	  "[-n] NAME|ID [bridge=BR] [mac=MAC] [WORD...]|<interface>|FILE.xml",
	  "attach a virtual network interface to a running domain",
	  "As xl: bridge defaults to xenbr0; without mac= the address is 00:16:3e:...\n"
	  "derived from the domain's uuid and the interface index. Or give a libvirt\n"
	  "<interface type='bridge'> element. xlite puts vifD.N on the bridge and brings\n"
	  "it up itself (rtnetlink), no hotplug script. -n (--dry-run) checks the domain\n"
	  "and the bridge and says which vif and MAC it would get, touching nothing.\n"
	  "xl's other words: ip=, vifname=, mtu=, rate= (netback's limit), trusted,\n"
	  "untrusted, model= (ignored: PV), script=vif-bridge or script=vif-route (a\n"
	  "routed vif on no bridge, as <interface type='ethernet'>: up, and a route to\n"
	  "each ip= through it); any other script is refused." },
	{ "network-detach", xlite_cmd_network_detach, "[-f] [-t SECONDS] NAME|ID DEVID|MAC",
	  "detach a virtual network interface",
	  "Asks the guest to let go, waits up to SECONDS (default 10), removes the\n"
	  "nodes; netback removes vifD.N and its bridge port. -f: even without the guest." },
	{ "network-list", xlite_cmd_network_list, "[--json] NAME|ID...",
	  "list a domain's virtual network interfaces",
	  "xl's columns (Idx BE Mac handle state evt-ch tx-/rx-ring-ref BE-path), then\n"
	  "the bridge." },
	/* Resources (issue 10): memory, vCPUs, scheduler. */
	{ "mem-set", xlite_cmd_mem_set, "NAME|ID SIZE", "set a domain's balloon target",
	  "SIZE as xl: 512 (MiB), 512m, 1g, 2048k. Refused (exit 1, nothing changed)\n"
	  "unless min <= target <= max; the message names the rule and the figures.\n"
	  "As libxl: Xen's limit becomes the target + 1 MiB, then memory/target is\n"
	  "written; the guest's balloon driver follows." },
	{ "mem-max", xlite_cmd_mem_max, "NAME|ID SIZE", "set a domain's maximum memory",
	  "Writes memory/static-max and Xen's limit (SIZE + 1 MiB), as xl mem-max;\n"
	  "refused unless min <= target <= max. A PV guest cannot grow beyond the\n"
	  "memory map it booted with." },
	{ "mem-min", xlite_cmd_mem_min, "NAME|ID SIZE", "set a domain's guaranteed minimum",
	  "The minimum (<memtune><min_guarantee>) is what the balancer never takes\n"
	  "away; kept in /local/domain/D/xlite/memory-min. Refused unless\n"
	  "min <= target <= max." },
	{ "vcpu-set", xlite_cmd_vcpu_set, "NAME|ID N", "set the number of online vCPUs",
	  "Writes cpu/I/availability online for I < N and offline up to the domain's\n"
	  "maximum (<vcpu>); the guest brings its CPUs up and down." },
	{ "vcpu-pin", xlite_cmd_vcpu_pin, "NAME|ID VCPU|all CPUS", "pin vCPUs to physical CPUs",
	  "Sets the hard affinity of VCPU (or every vCPU) to CPUS: all, or a set such\n"
	  "as 0-3,^2,6 (xl's and libvirt's syntax)." },
	{ "vcpu-list", xlite_cmd_vcpu_list, "[--json] [NAME|ID...]", "list vCPUs, as xl vcpu-list",
	  "Columns Name, ID, VCPU, CPU, State, Time(s), Affinity (Hard / Soft)." },
	{ "sched-credit2", xlite_cmd_sched_credit2, "[-d NAME|ID [-w WEIGHT] [-c CAP]]",
	  "show or set credit2 weight and cap",
	  "Without -w/-c, prints Name, ID, Weight, Cap for the domain (or all). WEIGHT\n"
	  "1-65535 (default 256); CAP in percent of one CPU, 0 = none. The domain XML\n"
	  "sets them at create with <cputune><shares> and <cap>." },
	{ "balance", xlite_cmd_balance, "--once [-n] | --watch [--interval S]",
	  "move memory to the guests that need it",
	  "Each pass reads every guest's min, target, actual, max and the demand its\n"
	  "xlite-guest-agent reports (data/meminfo_*), and sets targets: demand +\n"
	  "headroom within [min, max]; when memory is short the guests most above\n"
	  "their demand give first, never below their minimum; dom0 keeps its\n"
	  "reserve; a guest without an agent (or whose reports stopped) keeps its\n"
	  "target; other toolstacks' domains are left alone. Settings: [memory] in\n"
	  "/etc/xlite/xlite.conf. --once prints each decision and its reason (-n:\n"
	  "changes nothing); --watch loops in the foreground, logging each change and\n"
	  "each contention." },
	/* Save and restore (issue 11). */
	{ "save", xlite_cmd_save, "[-c] [--json] NAME|ID FILE", "save a domain to a file",
	  "Writes the domain's memory and state (libxenguest's stream) and its domain\n"
	  "XML to FILE, with a header and a checksum restore checks. The guest is asked\n"
	  "to suspend (control/shutdown=suspend; its kernel must be fully booted). The\n"
	  "file is written as FILE.tmp-XXXXXX, synced, then renamed; then the domain is\n"
	  "destroyed with its devices.\n"
	  "  -c, --checkpoint  leave the domain running (it resumes where it was)\n"
	  "  --json            progress and the result as JSON lines on stdout\n"
	  "On a terminal a progress bar (MiB done, rate, time left) goes to stderr.\n"
	  "On any failure (disk full, write error, the guest does not suspend) no\n"
	  "file is left and the domain runs on as it was. PV and PVH guests; a PV\n"
	  "guest with no p2m table (pvgrub before it booted a kernel) cannot be saved." },
	{ "restore", xlite_cmd_restore, "[-p] [--json] FILE [NEWNAME]",
	  "restore a domain saved with xlite save",
	  "Checks the whole file first (format version, lengths, checksum): a\n"
	  "truncated, corrupted or foreign file is refused, saying what is wrong, and\n"
	  "nothing is made. Then the domain is created as create does (its disks on\n"
	  "loop devices, vifs on their bridges, its monitor) with its memory and state\n"
	  "from the file, and resumes where it was saved. NEWNAME restores it under\n"
	  "another name (with a new uuid when the saved one is in use).\n"
	  "  -p, --paused  leave it paused\n"
	  "  --json        progress and the result as JSON lines on stdout\n"
	  "On failure nothing is left: no domain, xenstore node or loop device." },
	/* Migration (issue 11). */
	{ "migrate", xlite_cmd_migrate, "[--live|--cold] [-s CMD] [-C XML] [--json] NAME|ID HOST",
	  "move a running domain to another host",
	  "Runs `ssh HOST xlite migrate-receive` and sends it the domain's XML, then its\n"
	  "memory and state (the save format). The target refuses a name it already\n"
	  "runs, or memory it does not have, before any memory moves; it recreates the\n"
	  "domain with its devices (disks by the same path: shared storage; vifs on the\n"
	  "bridge of the same name), paused; the domain is destroyed here only once\n"
	  "the target says it runs there. Any failure leaves it running here and\n"
	  "nothing on the target.\n"
	  "  --live      memory sent while the guest runs, then a short suspend: PVH\n"
	  "              guests (HAP), PV guests only on a Xen with shadow paging\n"
	  "              (xlite info: live_migration); refused up front otherwise\n"
	  "  --cold      suspended while all of its memory moves (the default for a\n"
	  "              guest that cannot move live)\n"
	  "  -s CMD      CMD HOST xlite migrate-receive, run by sh, in place of ssh;\n"
	  "              with -s '', HOST itself is run by sh\n"
	  "  -C XML      the domain XML the target creates it from (default: its own)\n"
	  "  --json      progress and the result as JSON lines on stdout\n"
	  "On a terminal stderr shows the rounds, dirty pages, MiB sent and rate; the\n"
	  "downtime and the total time are printed at the end." },
	{ "migrate-receive", xlite_cmd_migrate_receive, "",
	  "the receiving end of xlite migrate (stdin, stdout)",
	  "Run by xlite migrate on the target host, over ssh or the -s command: reads\n"
	  "the stream on stdin, answers on stdout, messages on stderr." },
	/* Defined (persistent) domains (issue 12). */
	{ "define", xlite_cmd_define, "FILE.xml", "keep a domain's XML, to start it later",
	  "Checks FILE.xml as `create -n` does and stores it as\n"
	  "STATE/domains/NAME.xml (STATE: xlite.conf's state-dir, /var/lib/xlite),\n"
	  "written whole or not at all. NAME defined before: its XML is replaced. A\n"
	  "uuid used by another defined domain, or NAME defined with another uuid, is\n"
	  "refused. Without <uuid>, the earlier definition's (or a new one) is written\n"
	  "into the stored XML. No domain is created; `xlite list` shows it shut off.\n"
	  "Works without xlited. Exit 2 for invalid XML, 1 for a clash." },
	{ "undefine", xlite_cmd_undefine, "NAME", "forget a defined domain",
	  "Removes NAME's stored XML and its autostart mark. A running domain of that\n"
	  "name goes on." },
	{ "start", xlite_cmd_start, "NAME", "create a defined domain",
	  "Creates the domain from its stored XML, as `xlite create` does. Exit 1 when\n"
	  "NAME is not defined or a domain of that name runs." },
	{ "autostart", xlite_cmd_autostart, "[--disable] NAME",
	  "start a defined domain when xlited starts",
	  "Marks NAME (a link STATE/domains/autostart/NAME.xml); xlited starts each\n"
	  "marked domain that is not running when it starts. --disable removes the mark." },
	/* Troubleshooting and the live table (issue 12). */
	{ "dmesg", xlite_cmd_dmesg, "[-c]", "show the hypervisor's log, as xl dmesg",
	  "Prints Xen's console ring (its boot messages and what it logged since).\n"
	  "  -c, --clear  empty the ring once it is printed" },
	{ "top", xlite_cmd_top, "[-b] [-d SECONDS] [-n N] [-s KEY] [-r]",
	  "every domain in a live table, as xentop",
	  "Columns: NAME, ID, STATE (as xlite list), CPU(sec), CPU(%) (of one CPU,\n"
	  "since the last reading; - for the first), MIN(M) TARGET(M) ACTUAL(M) MAX(M)\n"
	  "(the memory figures of xlite list -l), VCPUS (online), NETS, NETTX(k) and\n"
	  "NETRX(k) (what the guest sent and received through its vifs), VBDS, VBD_RD,\n"
	  "VBD_WR (requests), VBD_RSECT, VBD_WSECT (512-byte sectors).\n"
	  "  -d, --delay SECONDS   between readings (default 3)\n"
	  "  -b, --batch           print each table, no terminal control (for scripts)\n"
	  "  -n, -i, --iterations N  stop after N readings\n"
	  "  -s, --sort KEY        id (default), name, cpu, mem, net or disk\n"
	  "  -r, --reverse         the other way round\n"
	  "Keys: q quits; s the next sort key; i, n, c, m, t, d sort by id, name, cpu,\n"
	  "mem, net, disk; r reverses. Exit 2 without a terminal unless -b." },
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
