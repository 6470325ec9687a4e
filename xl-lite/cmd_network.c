/* xlite network-attach, network-detach, network-list: virtual network
 * interfaces of a running (or paused) domain, with xl's argument shapes;
 * xlite puts vifD.N on the bridge itself (rtnetlink), no hotplug script.
 * What the commands share runs in cmd_device.c; here is what makes a vif. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/device/device.h"
#include "libtool/hv/hv.h"
#include "libtool/util/mac.h"
#include "xl-lite/cmd_device.h"
#include "xl-lite/xlite.h"
#include "libtool/util/number.h"

static void nic_word_warning(const char *msg, void *opaque)
{
	(void)opaque;
	xlite_warn("%s", msg);
}

/* xl's KEY=VALUE words (none: bridge xenbr0) into CFG's one nic. */
static int nic_from_words(int argc, char **argv, struct xlite_config *cfg, char **err)
{
	struct xlite_nic nic;
	int rc;

	memset(&nic, 0, sizeof(nic));
	rc = xlite_nic_spec_parse_warn((const char *const *)argv, (size_t)argc, &nic,
				       nic_word_warning, NULL, err);
	if (rc < 0)
		return rc;
	cfg->nics = g_malloc0_n(1, sizeof(nic));
	if (!cfg->nics) {
		xlite_nic_dispose(&nic);
		*err = g_strdup(g_strerror(ENOMEM));
		return -ENOMEM;
	}
	cfg->nics[0] = nic;
	cfg->n_nics = 1;
	return 0;
}

/* Without mac= (or <mac/>) the address comes from the domain's uuid, as
 * create makes it (mac_given false: the XML parser's throwaway one is not
 * used). */
static int nic_attach(struct xlite_hv *hv, uint32_t domid, const struct xlite_config *cfg)
{
	unsigned int devid;

	return xlite_device_nic_attach(hv, domid, &cfg->nics[0], XLITE_DEVICE_TIMEOUT_MS, &devid);
}

static int nic_check(struct xlite_hv *hv, uint32_t domid, const struct xlite_config *cfg,
		     GString *out)
{
	char mac[XLITE_MAC_STRLEN];
	unsigned int devid;
	uint8_t m[6];
	int rc = xlite_device_nic_attach_check(hv, domid, &cfg->nics[0], &devid, m);

	if (rc == 0) {
		xlite_mac_format(m, mac);
		g_string_append_printf(out, "would attach interface %u (vif%u.%u, mac %s) to domain "
				       "%u %s %s\n", devid, domid, devid, mac, domid,
				       cfg->nics[0].bridge ? "on bridge" : "routed, on",
				       cfg->nics[0].bridge ? cfg->nics[0].bridge : "no bridge");
	}
	return rc;
}

/* DEVID|MAC of DOMID's vifs to its index. */
static int vif_of(struct xlite_hv *hv, uint32_t domid, const char *spec, unsigned int *devid)
{
	struct xlite_device_info *infos = NULL;
	uint8_t want[6], have[6];
	size_t n = 0, i;
	uint64_t v;
	int rc;

	if (xlite_mac_parse(spec, want) < 0) {
		if (xlite_number_parse(spec, 0, XLITE_MAX_NICS * 64u - 1, &v) < 0) {
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

static void nic_row(GString *out, uint32_t domid, const struct xlite_device_info *d)
{
	char rings[32];

	(void)domid;
	snprintf(rings, sizeof(rings), "%d/%d", d->tx_ring_ref, d->ring_ref);
	g_string_append_printf(out, "%-3u %-2u %-17s %-6u %-5d %-6d   %-15s %-30s%s\n", d->devid,
			       d->backend_id, d->mac[0] ? d->mac : "-", d->devid, d->fe_state,
			       d->evtchn, rings, d->backend, d->params ? d->params : "-");
}

static void nic_json(XliteJson *b, const struct xlite_device_info *d)
{
	xlite_json_member_int(b, "tx_ring_ref", d->tx_ring_ref);
	xlite_json_member_int(b, "rx_ring_ref", d->ring_ref);
	xlite_json_member_str(b, "mac", d->mac[0] ? d->mac : NULL);
	xlite_json_member_str(b, "bridge", d->params);
}

static const struct xlite_cli_device_kind nic_kind = {
	.kind = XLITE_DEVICE_VIF,
	.prefix = "network",
	.what = "network interface",
	.min_words = 0,
	.from_words = nic_from_words,
	.attach = nic_attach,
	.check = nic_check,
	.devid_find = vif_of,
	.header = "Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path"
		  "                       Bridge\n",
	.row = nic_row,
	.json = nic_json,
};

int xlite_cmd_network_attach(struct xlite_cli *cli, int argc, char **argv)
{
	return xlite_cli_device_attach(cli, &nic_kind, argc, argv);
}

int xlite_cmd_network_detach(struct xlite_cli *cli, int argc, char **argv)
{
	return xlite_cli_device_detach(cli, &nic_kind, argc, argv);
}

int xlite_cmd_network_list(struct xlite_cli *cli, int argc, char **argv)
{
	return xlite_cli_device_list(cli, &nic_kind, argc, argv);
}
