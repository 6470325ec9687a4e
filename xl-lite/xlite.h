/* xlite CLI: one command, one function, one row in cmdtable.c. */
#ifndef XLITE_CLI_H
#define XLITE_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses, stable for scripts. */
enum {
	XLITE_EXIT_OK = 0,
	XLITE_EXIT_FAIL = 1,	/* the operation failed (Xen, unknown domain, ...) */
	XLITE_EXIT_USAGE = 2,	/* bad flags or arguments, invalid XML */
};

struct xlite_cli {
	const char *progname;
	bool json;		/* set by a command's own --json flag */
};

struct xlite_cmd {
	const char *name;
	int (*fn)(struct xlite_cli *cli, int argc, char **argv);
	const char *args;	/* "[--json] [NAME|ID...]" */
	const char *summary;	/* one line for `xlite help` */
	const char *help;	/* full text for `xlite help CMD`, may be NULL */
};

extern const struct xlite_cmd xlite_cmds[];
extern const unsigned int xlite_n_cmds;

const struct xlite_cmd *xlite_cmd_find(const char *name);
/* Prints "usage: xlite CMD ARGS" to stderr and returns XLITE_EXIT_USAGE. */
int xlite_usage(const struct xlite_cmd *cmd);
/* Prints "xlite: " + message to stderr. */
void xlite_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void xlite_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Command functions: each lives in its own xl-lite/cmd_*.c file. */
int xlite_cmd_help(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_validate(struct xlite_cli *cli, int argc, char **argv);	/* cmd_validate.c */

/* Xen commands (cmd_hv.c): open the hypervisor, or print why not and
 * return < 0; resolve NAME|ID, or print "domain 'X' does not exist". */
struct xlite_hv;
int xlite_cli_hv_open(struct xlite_hv *hv, unsigned int flags);
/* RC, after printing HV's error when RC < 0 (a failed hypervisor op). */
int xlite_cli_hv_result(struct xlite_hv *hv, int rc);
int xlite_cli_resolve(struct xlite_hv *hv, const char *spec, uint32_t *domid);
int xlite_cmd_info(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_list(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_create(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_destroy(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_shutdown(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_reboot(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_pause(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_unpause(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_console(struct xlite_cli *cli, int argc, char **argv);
/* cmd_create.c: forks the domain's monitor (on_poweroff/on_reboot/on_crash),
 * for create and restore. */
struct xlite_plan;
struct xlite_apply_opts;
struct xlite_apply_result;
int xlite_cli_start_monitor(struct xlite_hv *parent_hv, const struct xlite_plan *plan,
			    const struct xlite_apply_opts *opts,
			    const struct xlite_apply_result *res);
/* cmd_create.c: create from XML in memory (start of a defined domain):
 * messages name SOURCE. The exit status. */
int xlite_cli_create_xml(struct xlite_cli *cli, const char *xml, size_t len, const char *source);

/* Defined domains (cmd_define.c): issue 12. */
int xlite_cmd_define(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_undefine(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_start(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_autostart(struct xlite_cli *cli, int argc, char **argv);
/* STATE_DIR/domains as xlite.conf says (g_free), or NULL after an error. */
char *xlite_cli_defined_dir(void);

/* Save and restore (cmd_save.c): issue 11. */
int xlite_cmd_save(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_restore(struct xlite_cli *cli, int argc, char **argv);
/* While a domain is suspended or half made, SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT wait (*OLD: the mask before); SIGXFSZ is ignored (cmd_save.c). */
void xlite_cli_hold_interrupts(sigset_t *old);
struct xlite_json_member;

/* One JSON object of members M on a line of its own on stdout, flushed
 * (progress lines for scripts: save, restore, migrate). */
void xlite_cli_json_line(const struct xlite_json_member *m, size_t n);
/* Migration (cmd_migrate.c): issue 11. */
int xlite_cmd_migrate(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_migrate_receive(struct xlite_cli *cli, int argc, char **argv);

/* Devices (cmd_block.c, cmd_network.c): hotplug and listing. */
int xlite_cmd_block_attach(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_block_detach(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_block_list(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_network_attach(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_network_detach(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_network_list(struct xlite_cli *cli, int argc, char **argv);

/* Resources (cmd_mem.c, cmd_vcpu.c, cmd_sched.c): issue 10. A setter of
 * one domain's value: opens Xen, resolves SPEC, runs SET; a refusal prints
 * "CMD SPEC refused: why". Returns the exit status. */
typedef int xlite_domain_setter(struct xlite_hv *hv, uint32_t domid, uint64_t value,
				char **err);
int xlite_cli_domain_set(const char *cmd, const char *spec, xlite_domain_setter *set,
			 uint64_t value);
int xlite_cmd_mem_set(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_mem_max(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_mem_min(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_vcpu_set(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_vcpu_pin(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_vcpu_list(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_sched_credit2(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_balance(struct xlite_cli *cli, int argc, char **argv);	/* cmd_balance.c */

/* Troubleshooting and the live table (issue 12): cmd_dmesg.c, cmd_top.c. */
int xlite_cmd_dmesg(struct xlite_cli *cli, int argc, char **argv);
int xlite_cmd_top(struct xlite_cli *cli, int argc, char **argv);

#endif
