/* The device commands' shared run: KIND-attach, KIND-detach and KIND-list
 * open Xen, resolve the domain, hold its name lock, act and print here;
 * cmd_block.c and cmd_network.c give what differs (struct
 * xlite_cli_device_kind). */
#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/device/device.h"
#include "libtool/apply/domain.h"
#include "libtool/hv/hv.h"
#include "xl-lite/cmd_device.h"
#include "xl-lite/xlite.h"
#include "libtool/util/number.h"

/* "usage: xlite KIND-VERB ..." */
static int device_usage(const struct xlite_cli_device_kind *k, const char *verb)
{
	char name[32];

	snprintf(name, sizeof(name), "%s-%s", k->prefix, verb);
	return xlite_usage(xlite_cmd_find(name));
}

static void device_warning(const char *msg, void *opaque)
{
	(void)opaque;
	xlite_warn("%s", msg);
}

/* The device arguments after NAME as XML: 1 with *text and *name (g_free)
 * when ARGV[0] is an element ("<disk ...") or the one argument is FILE.xml;
 * 0 when they are xl's words; < 0 (printed) when FILE.xml cannot be read
 * or an element is split over several arguments. */
static int device_text(int argc, char **argv, char **text, char **name)
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

/* The device from the arguments after NAME into CFG: an XML element (text
 * or FILE.xml) or xl's words; < 0 printed. */
static int device_from_args(const struct xlite_cli_device_kind *k, int argc, char **argv,
			    struct xlite_config *cfg)
{
	char *text = NULL, *name = NULL, *err = NULL;
	int rc = 0;

	if (argc > 0)
		rc = device_text(argc, argv, &text, &name);
	if (rc < 0)
		return rc;
	if (rc == 1)
		rc = xlite_device_xml_parse(text, strlen(text), name, k->kind, cfg,
					    device_warning, NULL, &err);
	else
		rc = k->from_words(argc, argv, cfg, &err);
	if (rc < 0)
		xlite_err("%s", err);
	g_free(err);
	g_free(text);
	g_free(name);
	return rc;
}

/* Takes DOMID's name lock (*fd, release with xlite_name_unlock); < 0 printed. */
static int device_lock(struct xlite_hv *hv, uint32_t domid, int *fd)
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

/* Opens the hypervisor, resolves SPEC (NAME|ID) to *domid and, unless
 * LOCK_FD is NULL, takes its name lock (*lock_fd); < 0 printed. */
static int device_open(struct xlite_hv *hv, const char *spec, uint32_t *domid, int *lock_fd)
{
	if (xlite_cli_hv_open(hv, 0) < 0)
		return -1;
	if (xlite_cli_resolve(hv, spec, domid) < 0)
		return -1;
	return lock_fd ? device_lock(hv, *domid, lock_fd) : 0;
}

/* KIND-attach -n: the checks, and what would be done; no lock is taken
 * and nothing is touched. */
static int attach_dry_run(struct xlite_hv *hv, const struct xlite_cli_device_kind *k,
			  const char *spec, const struct xlite_config *cfg)
{
	GString *out = g_string_new(NULL);
	uint32_t domid;
	int rc = -1;

	if (device_open(hv, spec, &domid, NULL) == 0) {
		rc = k->check(hv, domid, cfg, out);
		if (rc < 0)
			xlite_err("%s", xlite_hv_error(hv));
		else
			fputs(out->str, stdout);
	}
	g_string_free(out, TRUE);
	return rc;
}

int xlite_cli_device_attach(struct xlite_cli *cli, const struct xlite_cli_device_kind *k,
			    int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	struct xlite_config cfg;
	uint32_t domid;
	bool dry_run = false;
	int c, lock_fd = -1, rc = XLITE_EXIT_FAIL;

	(void)cli;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+n", longopts, NULL)) != -1) {
		if (c != 'n')
			return device_usage(k, "attach");
		dry_run = true;
	}
	if (argc - optind < 1 + k->min_words)
		return device_usage(k, "attach");
	xlite_config_init(&cfg);
	if (device_from_args(k, argc - optind - 1, argv + optind + 1, &cfg) < 0)
		return XLITE_EXIT_USAGE;
	if (dry_run) {
		if (attach_dry_run(&hv, k, argv[optind], &cfg) == 0)
			rc = XLITE_EXIT_OK;
		goto out;
	}
	if (device_open(&hv, argv[optind], &domid, &lock_fd) < 0)
		goto out;
	if (k->attach(&hv, domid, &cfg) < 0) {
		xlite_err("%s", xlite_hv_error(&hv));
		goto out;
	}
	rc = XLITE_EXIT_OK;
out:
	xlite_name_unlock(&lock_fd);
	xlite_config_dispose(&cfg);
	xlite_hv_dispose(&hv);
	return rc;
}

/* [-f|--force] [-t|--timeout SECONDS] NAME DEV: 0 with optind at NAME,
 * else the usage exit status (printed). */
static int detach_options(const struct xlite_cli_device_kind *k, int argc, char **argv,
			  bool *force, int *timeout_ms)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t timeout_s = XLITE_DEVICE_TIMEOUT_MS / 1000;
	int c;

	*force = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+ft:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			*force = true;
			break;
		case 't':
			if (xlite_number_parse(optarg, 1, 3600, &timeout_s) < 0)
				return device_usage(k, "detach");
			break;
		default:
			return device_usage(k, "detach");
		}
	}
	if (argc - optind != 2)
		return device_usage(k, "detach");
	*timeout_ms = (int)timeout_s * 1000;
	return 0;
}

int xlite_cli_device_detach(struct xlite_cli *cli, const struct xlite_cli_device_kind *k,
			    int argc, char **argv)
{
	struct xlite_hv hv = { 0 };
	const char *dom, *dev;
	unsigned int devid = 0;
	uint32_t domid;
	bool force = false;
	int timeout_ms = 0, lock_fd = -1, rc;

	(void)cli;
	rc = detach_options(k, argc, argv, &force, &timeout_ms);
	if (rc != 0)
		return rc;
	dom = argv[optind];
	dev = argv[optind + 1];
	if (k->devid_parse && k->devid_parse(dev, &devid) < 0)
		return XLITE_EXIT_USAGE;
	rc = XLITE_EXIT_FAIL;
	if (device_open(&hv, dom, &domid, &lock_fd) < 0)
		goto out;
	if (k->devid_find && k->devid_find(&hv, domid, dev, &devid) < 0)
		goto out;
	switch (xlite_device_unplug(&hv, domid, k->kind, devid, timeout_ms, force)) {
	case 0:
		rc = XLITE_EXIT_OK;
		break;
	case -ENOENT:
		xlite_err("domain '%s' has no %s %s", dom, k->what, dev);
		break;
	default:
		xlite_err("%s", xlite_hv_error(&hv));
		break;
	}
out:
	xlite_name_unlock(&lock_fd);
	xlite_hv_dispose(&hv);
	return rc;
}

/* One device as a JSON object: the shared members around the kind's. */
static void device_json(XliteJson *b, const struct xlite_cli_device_kind *k, uint32_t domid,
			const struct xlite_device_info *d)
{
	const struct xlite_json_member ids[] = {
		XLITE_JSON_INT("domid", domid), XLITE_JSON_INT("devid", d->devid),
		XLITE_JSON_INT("backend_id", d->backend_id),
		XLITE_JSON_INT("frontend_state", d->fe_state),
		XLITE_JSON_INT("backend_state", d->be_state), XLITE_JSON_INT("evtchn", d->evtchn),
	};

	xlite_json_begin_object(b);
	xlite_json_members(b, ids, G_N_ELEMENTS(ids));
	k->json(b, d);
	xlite_json_member_str(b, "backend", d->backend);
	xlite_json_end_object(b);
}

int xlite_cli_device_list(struct xlite_cli *cli, const struct xlite_cli_device_kind *k,
			  int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	g_autoptr(XliteJson) json = xlite_json_new();
	GString *out;
	int c, i, rc = XLITE_EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		if (c != 'j')
			return device_usage(k, "list");
		cli->json = true;
	}
	if (optind >= argc)
		return device_usage(k, "list");
	if (xlite_cli_hv_open(&hv, 0) < 0)
		return XLITE_EXIT_FAIL;
	out = g_string_new(cli->json ? NULL : k->header);
	xlite_json_begin_array(json);
	for (i = optind; i < argc; i++) {
		struct xlite_device_info *infos = NULL;
		size_t n = 0, j;
		uint32_t domid;

		if (xlite_cli_resolve(&hv, argv[i], &domid) < 0) {
			rc = XLITE_EXIT_FAIL;
			continue;
		}
		if (xlite_device_list(&hv, domid, k->kind, &infos, &n) < 0) {
			xlite_err("%s", xlite_hv_error(&hv));
			rc = XLITE_EXIT_FAIL;
			continue;
		}
		for (j = 0; j < n; j++) {
			if (cli->json)
				device_json(json, k, domid, &infos[j]);
			else
				k->row(out, domid, &infos[j]);
		}
		xlite_device_infos_free(infos, n);
	}
	xlite_json_end_array(json);
	if (cli->json)
		xlite_json_print(stdout, json, false);
	else
		fputs(out->str, stdout);
	g_string_free(out, TRUE);
	xlite_hv_dispose(&hv);
	return rc;
}
