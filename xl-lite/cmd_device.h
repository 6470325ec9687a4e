/* What the device commands (cmd_block.c, cmd_network.c) share. */
#ifndef XLITE_CMD_DEVICE_H
#define XLITE_CMD_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "libtool/device.h"
#include "xl-lite/xlite.h"

/* The device arguments after NAME as XML: 1 with *text and *name (g_free)
 * when ARGV[0] is an element ("<disk ...") or the one argument is FILE.xml;
 * 0 when they are xl's words; < 0 (printed) when FILE.xml cannot be read
 * or an element is split over several arguments. */
int xlite_cli_device_text(int argc, char **argv, char **text, char **name);
/* Takes DOMID's name lock (*fd, release with xlite_name_unlock); < 0 printed. */
int xlite_cli_device_lock(struct xlite_hv *hv, uint32_t domid, int *fd);
/* Opens the hypervisor, resolves SPEC (NAME|ID) to *domid and takes its
 * name lock (*lock_fd); < 0 printed. */
int xlite_cli_device_open(struct xlite_hv *hv, const char *spec, uint32_t *domid, int *lock_fd);
/* block-detach / network-detach: [-f|--force] [-t|--timeout SECONDS] NAME DEV;
 * 0 with optind at NAME, else the usage exit status (printed). */
int xlite_cli_detach_options(const struct xlite_cmd *cmd, int argc, char **argv, bool *force,
			     int *timeout_ms);
/* Unplugs the device; < 0 printed ("domain 'DOM_SPEC' has no WHAT DEV_SPEC"
 * when DOMID has no such device). */
int xlite_cli_device_unplug(struct xlite_hv *hv, uint32_t domid, enum xlite_device_kind kind,
			    unsigned int devid, int timeout_ms, bool force, const char *dom_spec,
			    const char *what, const char *dev_spec);
/* Prints a parser warning (xlite_device_xml_parse's callback). */
void xlite_cli_device_warning(const char *msg, void *opaque);
/* block-list / network-list: [--json] NAME|ID... */
int xlite_cli_device_list(struct xlite_cli *cli, int argc, char **argv,
			  enum xlite_device_kind kind, const char *cmdname);
/* One device as a JSON object. */
void xlite_cli_device_json(GString *out, uint32_t domid, const struct xlite_device_info *d);

#endif
