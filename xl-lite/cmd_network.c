/* xlite network-attach, network-detach, network-list: virtual network
 * interfaces of a running (or paused) domain, with xl's argument shapes;
 * xlite puts vifD.N on the bridge itself (rtnetlink), no hotplug script. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply.h"
#include "libtool/device.h"
#include "libtool/hv.h"
#include "libtool/mac.h"
#include "xl-lite/cmd_device.h"
#include "xl-lite/xlite.h"

/* The nic from the arguments after NAME: an XML <interface> element (text
 * or FILE.xml) or xl's KEY=VALUE words (none: bridge xenbr0). */
static int nic_from_args(int argc, char **argv, struct xlite_config *cfg,
			 struct xlite_nic *nic)
{
	char *text = NULL, *name = NULL, *err = NULL;
	int rc = 0;

	if (argc > 0)
		rc = xlite_cli_device_text(argc, argv, &text, &name);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		rc = xlite_device_xml_parse(text, strlen(text), name, XLITE_DEVICE_VIF, cfg,
					    xlite_cli_device_warning, NULL, &err);
		if (rc == 0)
			*nic = cfg->nics[0];	/* borrowed from CFG */
	} else {
		rc = xlite_nic_spec_parse((const char *const *)argv, (size_t)argc, nic, &err);
	}
	if (rc < 0)
		xlite_err("%s", err);
	free(err);
	g_free(text);
	g_free(name);
	return rc;
}

int xlite_cmd_network_attach(struct xlite_cli *cli, int argc, char **argv)
{
	const struct xlite_cmd *cmd = xlite_cmd_find("network-attach");
	struct xlite_hv hv = { 0 };
	struct xlite_config cfg;
	struct xlite_nic nic;
	bool from_words;
	unsigned int devid;
	uint32_t domid;
	int lock_fd = -1, rc = XLITE_EXIT_FAIL;

	(void)cli;
	optind = 1;
	if (getopt(argc, argv, "+") != -1 || argc - optind < 1)
		return xlite_usage(cmd);
	xlite_config_init(&cfg);
	memset(&nic, 0, sizeof(nic));
	if (nic_from_args(argc - optind - 1, argv + optind + 1, &cfg, &nic) < 0)
		return XLITE_EXIT_USAGE;
	from_words = cfg.n_nics == 0;
	/* The XML parser made a MAC from its throwaway uuid: use the
	 * domain's, as create does. */
	if (!from_words && !nic.mac_given)
		memset(nic.mac, 0, sizeof(nic.mac));
	if (xlite_cli_device_open(&hv, argv[optind], &domid, &lock_fd) < 0)
		goto out;
	if (xlite_device_nic_attach(&hv, domid, &nic, XLITE_DEVICE_TIMEOUT_MS, &devid) < 0) {
		xlite_err("%s", xlite_hv_error(&hv));
		goto out;
	}
	rc = XLITE_EXIT_OK;
out:
	xlite_name_unlock(&lock_fd);
	if (from_words)
		free(nic.bridge);
	xlite_config_dispose(&cfg);
	xlite_hv_dispose(&hv);
	return rc;
}

/* DEVID|MAC of DOMID's vifs to its index. */
static int vif_of(struct xlite_hv *hv, uint32_t domid, const char *spec, unsigned int *devid)
{
	struct xlite_device_info *infos = NULL;
	uint8_t want[6], have[6];
	size_t n = 0, i;
	char *end;
	unsigned long v;
	int rc;

	if (xlite_mac_parse(spec, want) < 0) {
		v = strtoul(spec, &end, 10);
		if (!*spec || *end || v >= XLITE_MAX_NICS * 64u) {
			xlite_err("'%s' is not an interface: expected its index or MAC address", spec);
			return -EINVAL;
		}
		*devid = (unsigned int)v;
		return 0;
	}
	rc = xlite_device_list(hv, domid, XLITE_DEVICE_VIF, &infos, &n);
	if (rc < 0) {
		xlite_err("%s", xlite_hv_error(hv));
		return rc;
	}
	rc = -ENOENT;
	for (i = 0; i < n && rc < 0; i++) {
		if (xlite_mac_parse(infos[i].mac, have) == 0 && memcmp(have, want, 6) == 0) {
			*devid = infos[i].devid;
			rc = 0;
		}
	}
	if (rc < 0)
		xlite_err("domain %u has no interface with MAC address %s", domid, spec);
	xlite_device_infos_free(infos, n);
	return rc;
}

int xlite_cmd_network_detach(struct xlite_cli *cli, int argc, char **argv)
{
	const struct xlite_cmd *cmd = xlite_cmd_find("network-detach");
	struct xlite_hv hv = { 0 };
	unsigned int devid;
	uint32_t domid;
	bool force;
	int timeout_ms, lock_fd = -1, rc;

	(void)cli;
	rc = xlite_cli_detach_options(cmd, argc, argv, &force, &timeout_ms);
	if (rc != 0)
		return rc;
	rc = XLITE_EXIT_FAIL;
	if (xlite_cli_device_open(&hv, argv[optind], &domid, &lock_fd) < 0)
		goto out;
	if (vif_of(&hv, domid, argv[optind + 1], &devid) < 0)
		goto out;
	if (xlite_cli_device_unplug(&hv, domid, XLITE_DEVICE_VIF, devid, timeout_ms, force,
				    argv[optind], "network interface", argv[optind + 1]) < 0)
		goto out;
	rc = XLITE_EXIT_OK;
out:
	xlite_name_unlock(&lock_fd);
	xlite_hv_dispose(&hv);
	return rc;
}

int xlite_cmd_network_list(struct xlite_cli *cli, int argc, char **argv)
{
	return xlite_cli_device_list(cli, argc, argv, XLITE_DEVICE_VIF, "network-list");
}
