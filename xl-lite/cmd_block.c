/* xlite block-attach, block-detach, block-list: virtual disks of a running
 * (or paused) domain, with xl's argument shapes, set up by xlite itself
 * (loop device, blkback nodes), no hotplug script. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

#include "libtool/apply.h"
#include "libtool/device.h"
#include "libtool/domain.h"
#include "libtool/hv.h"
#include "xenstore-client/xsc.h"
#include "xl-lite/cmd_device.h"
#include "xl-lite/xlite.h"

void xlite_cli_device_warning(const char *msg, void *opaque)
{
	(void)opaque;
	xlite_warn("%s", msg);
}

int xlite_cli_device_text(int argc, char **argv, char **text, char **name)
{
	const char *a = argv[0];
	gsize len = 0;
	GError *gerr = NULL;

	*text = NULL;
	*name = NULL;
	while (*a == ' ' || *a == '\t' || *a == '\n')
		a++;
	if (*a == '<') {
		if (argc != 1) {
			xlite_err("an XML element is one argument: quote it");
			return -EINVAL;
		}
		*text = g_strdup(argv[0]);
		*name = g_strdup("(argument)");
		return 1;
	}
	if (argc == 1 && g_str_has_suffix(a, ".xml") && !strchr(a, ',')) {
		if (!g_file_get_contents(a, text, &len, &gerr)) {
			xlite_err("%s", gerr->message);
			g_error_free(gerr);
			return -ENOENT;
		}
		*name = g_strdup(a);
		return 1;
	}
	return 0;
}

int xlite_cli_device_lock(struct xlite_hv *hv, uint32_t domid, int *fd)
{
	char *name = xlite_domain_name(hv, domid), *err = NULL;
	int rc = 0;

	/* The domain's name lock: no create, destroy or other hotplug of it
	 * runs meanwhile. Names xlite would not take (xl's) go unlocked. */
	if (name && !xlite_name_invalid(name))
		rc = xlite_name_lock(XLITE_LOCK_DIR, name, fd, &err);
	if (rc < 0)
		xlite_err("%s", err);
	g_free(err);
	g_free(name);
	return rc;
}

int xlite_cli_device_open(struct xlite_hv *hv, const char *spec, uint32_t *domid, int *lock_fd)
{
	if (xlite_cli_hv_open(hv, 0) < 0)
		return -1;
	if (xlite_cli_resolve(hv, spec, domid) < 0)
		return -1;
	return xlite_cli_device_lock(hv, *domid, lock_fd);
}

int xlite_cli_detach_options(const struct xlite_cmd *cmd, int argc, char **argv, bool *force,
			     int *timeout_ms)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	long timeout_s = XLITE_DEVICE_TIMEOUT_MS / 1000;
	char *end;
	int c;

	*force = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+ft:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			*force = true;
			break;
		case 't':
			timeout_s = strtol(optarg, &end, 10);
			if (*end || timeout_s < 1 || timeout_s > 3600)
				return xlite_usage(cmd);
			break;
		default:
			return xlite_usage(cmd);
		}
	}
	if (argc - optind != 2)
		return xlite_usage(cmd);
	*timeout_ms = (int)timeout_s * 1000;
	return 0;
}

int xlite_cli_device_unplug(struct xlite_hv *hv, uint32_t domid, enum xlite_device_kind kind,
			    unsigned int devid, int timeout_ms, bool force, const char *dom_spec,
			    const char *what, const char *dev_spec)
{
	int rc = xlite_device_unplug(hv, domid, kind, devid, timeout_ms, force);

	if (rc == -ENOENT)
		xlite_err("domain '%s' has no %s %s", dom_spec, what, dev_spec);
	else if (rc < 0)
		xlite_err("%s", xlite_hv_error(hv));
	return rc;
}

/* The disk from the arguments after NAME: an XML <disk> element (text or
 * FILE.xml) or xl's disk spec. */
static int disk_from_args(int argc, char **argv, struct xlite_config *cfg,
			  struct xlite_disk *disk)
{
	char *text = NULL, *name = NULL, *err = NULL;
	bool type_given = false;
	struct stat st;
	int rc;

	rc = xlite_cli_device_text(argc, argv, &text, &name);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		rc = xlite_device_xml_parse(text, strlen(text), name, XLITE_DEVICE_VBD, cfg,
					    xlite_cli_device_warning, NULL, &err);
		if (rc == 0)
			*disk = cfg->disks[0];	/* borrowed from CFG */
	} else {
		rc = xlite_disk_spec_parse((const char *const *)argv, (size_t)argc, disk,
					   &type_given, &err);
		/* No phy:/file: prefix: what the target is decides. */
		if (rc == 0 && !type_given && stat(disk->source, &st) == 0 && S_ISBLK(st.st_mode))
			disk->type = XLITE_DISK_BLOCK;
	}
	if (rc < 0)
		xlite_err("%s", err);
	free(err);
	g_free(text);
	g_free(name);
	return rc;
}

int xlite_cmd_block_attach(struct xlite_cli *cli, int argc, char **argv)
{
	const struct xlite_cmd *cmd = xlite_cmd_find("block-attach");
	struct xlite_hv hv = { 0 };
	struct xlite_config cfg;
	struct xlite_disk disk;
	bool from_spec;
	uint32_t domid;
	int lock_fd = -1, rc = XLITE_EXIT_FAIL;

	(void)cli;
	optind = 1;
	if (getopt(argc, argv, "+") != -1 || argc - optind < 2)
		return xlite_usage(cmd);
	xlite_config_init(&cfg);
	memset(&disk, 0, sizeof(disk));
	if (disk_from_args(argc - optind - 1, argv + optind + 1, &cfg, &disk) < 0)
		return XLITE_EXIT_USAGE;
	from_spec = cfg.n_disks == 0;
	if (xlite_cli_device_open(&hv, argv[optind], &domid, &lock_fd) < 0)
		goto out;
	if (xlite_device_disk_attach(&hv, domid, &disk) < 0) {
		xlite_err("%s", xlite_hv_error(&hv));
		goto out;
	}
	rc = XLITE_EXIT_OK;
out:
	xlite_name_unlock(&lock_fd);
	if (from_spec) {
		free(disk.source);
		free(disk.target);
	}
	xlite_config_dispose(&cfg);
	xlite_hv_dispose(&hv);
	return rc;
}

int xlite_cmd_block_detach(struct xlite_cli *cli, int argc, char **argv)
{
	const struct xlite_cmd *cmd = xlite_cmd_find("block-detach");
	struct xlite_hv hv = { 0 };
	unsigned int devid;
	uint32_t domid;
	bool force;
	int timeout_ms, lock_fd = -1, rc;

	(void)cli;
	rc = xlite_cli_detach_options(cmd, argc, argv, &force, &timeout_ms);
	if (rc != 0)
		return rc;
	if (xlite_device_vbd_id(argv[optind + 1], &devid) < 0) {
		xlite_err("'%s' is not a disk: expected a vdev such as xvdb, or its number",
			  argv[optind + 1]);
		return XLITE_EXIT_USAGE;
	}
	rc = XLITE_EXIT_FAIL;
	if (xlite_cli_device_open(&hv, argv[optind], &domid, &lock_fd) < 0)
		goto out;
	if (xlite_cli_device_unplug(&hv, domid, XLITE_DEVICE_VBD, devid, timeout_ms, force,
				    argv[optind], "disk", argv[optind + 1]) < 0)
		goto out;
	rc = XLITE_EXIT_OK;
out:
	xlite_name_unlock(&lock_fd);
	xlite_hv_dispose(&hv);
	return rc;
}

static void json_str(GString *out, const char *key, const char *val)
{
	g_string_append_printf(out, "\"%s\":", key);
	if (val)
		xsc_json_escape(out, val, strlen(val));
	else
		g_string_append(out, "null");
}

void xlite_cli_device_json(GString *out, uint32_t domid, const struct xlite_device_info *d)
{
	g_string_append_printf(out, "{\"domid\":%u,\"devid\":%u,\"backend_id\":%u,"
			       "\"frontend_state\":%d,\"backend_state\":%d,\"evtchn\":%d,",
			       domid, d->devid, d->backend_id, d->fe_state, d->be_state,
			       d->evtchn);
	if (d->kind == XLITE_DEVICE_VBD) {
		g_string_append_printf(out, "\"ring_ref\":%d,", d->ring_ref);
		json_str(out, "vdev", d->target[0] ? d->target : NULL);
		g_string_append_printf(out, ",\"mode\":\"%s\",", d->readonly ? "r" : "w");
		json_str(out, "params", d->params);
	} else {
		g_string_append_printf(out, "\"tx_ring_ref\":%d,\"rx_ring_ref\":%d,",
				       d->tx_ring_ref, d->ring_ref);
		json_str(out, "mac", d->mac[0] ? d->mac : NULL);
		g_string_append_c(out, ',');
		json_str(out, "bridge", d->params);
	}
	g_string_append_c(out, ',');
	json_str(out, "backend", d->backend);
	g_string_append_c(out, '}');
}

int xlite_cli_device_list(struct xlite_cli *cli, int argc, char **argv,
			  enum xlite_device_kind kind, const char *cmdname)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	GString *out = g_string_new("");
	bool first = true;
	int c, i, rc = XLITE_EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		if (c != 'j') {
			g_string_free(out, TRUE);
			return xlite_usage(xlite_cmd_find(cmdname));
		}
		cli->json = true;
	}
	if (optind >= argc) {
		g_string_free(out, TRUE);
		return xlite_usage(xlite_cmd_find(cmdname));
	}
	if (xlite_cli_hv_open(&hv, 0) < 0) {
		g_string_free(out, TRUE);
		return XLITE_EXIT_FAIL;
	}
	if (cli->json)
		g_string_append_c(out, '[');
	else if (kind == XLITE_DEVICE_VBD)
		g_string_append(out, "Vdev  BE  handle state evt-ch ring-ref BE-path"
				"                       Dev   Mode Params\n");
	else
		g_string_append(out, "Idx BE Mac Addr.         handle state evt-ch "
				"  tx-/rx-ring-ref BE-path                       Bridge\n");
	for (i = optind; i < argc; i++) {
		struct xlite_device_info *infos = NULL;
		size_t n = 0, j;
		uint32_t domid;

		if (xlite_cli_resolve(&hv, argv[i], &domid) < 0) {
			rc = XLITE_EXIT_FAIL;
			continue;
		}
		if (xlite_device_list(&hv, domid, kind, &infos, &n) < 0) {
			xlite_err("%s", xlite_hv_error(&hv));
			rc = XLITE_EXIT_FAIL;
			continue;
		}
		for (j = 0; j < n; j++) {
			const struct xlite_device_info *d = &infos[j];

			if (cli->json) {
				if (!first)
					g_string_append_c(out, ',');
				xlite_cli_device_json(out, domid, d);
			} else if (kind == XLITE_DEVICE_VBD) {
				/* xl's columns (handle is the frontend's domid), then
				 * what xlite knows about the backend. */
				g_string_append_printf(out, "%-5u %-3u %-6u %-5d %-6d %-8d %-30s"
						       "%-5s %-4s %s\n", d->devid,
						       d->backend_id, domid, d->fe_state,
						       d->evtchn, d->ring_ref, d->backend,
						       d->target[0] ? d->target : "-",
						       d->readonly ? "r" : "w",
						       d->params ? d->params : "-");
			} else {
				char rings[32];

				snprintf(rings, sizeof(rings), "%d/%d", d->tx_ring_ref,
					 d->ring_ref);
				g_string_append_printf(out, "%-3u %-2u %-17s %-6u %-5d %-6d   "
						       "%-15s %-30s%s\n", d->devid,
						       d->backend_id,
						       d->mac[0] ? d->mac : "-", d->devid,
						       d->fe_state, d->evtchn, rings,
						       d->backend, d->params ? d->params : "-");
			}
			first = false;
		}
		xlite_device_infos_free(infos, n);
	}
	if (cli->json)
		g_string_append(out, "]\n");
	fputs(out->str, stdout);
	g_string_free(out, TRUE);
	xlite_hv_dispose(&hv);
	return rc;
}

int xlite_cmd_block_list(struct xlite_cli *cli, int argc, char **argv)
{
	return xlite_cli_device_list(cli, argc, argv, XLITE_DEVICE_VBD, "block-list");
}
