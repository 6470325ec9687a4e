/* What the device commands (cmd_block.c, cmd_network.c) share: attach,
 * detach and list run here (cmd_device.c); a kind brings only what differs. */
#ifndef XLITE_CMD_DEVICE_H
#define XLITE_CMD_DEVICE_H

#include <stdint.h>

#include <glib.h>

#include "libtool/device/device.h"
#include "libtool/util/json.h"
#include "xl-lite/xlite.h"

struct xlite_hv;
struct xlite_config;

/* One device kind's part of KIND-attach, KIND-detach and KIND-list. */
struct xlite_cli_device_kind {
	enum xlite_device_kind kind;
	const char *prefix;	/* of the command names: "block" for block-attach */
	const char *what;	/* "domain 'D' has no WHAT DEV" */

	/* attach: NAME|ID then at least MIN_WORDS device arguments, a libvirt
	 * element (text or FILE.xml) or xl's words, which FROM_WORDS turns into
	 * CFG's one device as the XML parser would (0, or < 0 with *err, to
	 * free); ATTACH plugs CFG's device in (< 0 with the hv's error). */
	int min_words;
	int (*from_words)(int argc, char **argv, struct xlite_config *cfg, char **err);
	int (*attach)(struct xlite_hv *hv, uint32_t domid, const struct xlite_config *cfg);
	/* attach -n: ATTACH's checks alone, touching nothing; appends to OUT
	 * one line saying what ATTACH would do (< 0 with the hv's error). */
	int (*check)(struct xlite_hv *hv, uint32_t domid, const struct xlite_config *cfg,
		     GString *out);

	/* detach: DEV to its devid, by one of the two (the other NULL); < 0
	 * printed. DEVID_PARSE runs before Xen is opened (failure: a usage
	 * error), DEVID_FIND with DOMID resolved and locked. */
	int (*devid_parse)(const char *dev, unsigned int *devid);
	int (*devid_find)(struct xlite_hv *hv, uint32_t domid, const char *dev,
			  unsigned int *devid);

	/* list: the text header line, one text row, and the JSON members
	 * between the shared ones (evtchn, then backend). */
	const char *header;
	void (*row)(GString *out, uint32_t domid, const struct xlite_device_info *d);
	void (*json)(XliteJson *b, const struct xlite_device_info *d);
};

/* The commands, as cmdtable.c's functions but for kind K:
 * KIND-attach [-n|--dry-run] NAME|ID DEVICE-ARGS...,
 * KIND-detach [-f|--force] [-t|--timeout SECONDS] NAME|ID DEV,
 * KIND-list [--json] NAME|ID... */
int xlite_cli_device_attach(struct xlite_cli *cli, const struct xlite_cli_device_kind *k,
			    int argc, char **argv);
int xlite_cli_device_detach(struct xlite_cli *cli, const struct xlite_cli_device_kind *k,
			    int argc, char **argv);
int xlite_cli_device_list(struct xlite_cli *cli, const struct xlite_cli_device_kind *k,
			  int argc, char **argv);

#endif
