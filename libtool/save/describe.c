/* A running domain as domain XML, from what Xen and xenstore say now (the
 * truth: memory and devices changed since the create are as they are):
 * what a save file carries, and what restore (or a migration's target)
 * creates the domain from. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/apply/domain.h"
#include "libtool/parse/config.h"
#include "libtool/save/save.h"

struct describe {
	struct xlite_hv *hv;
	uint32_t domid;
	GString *x;
	char **err;
};

/* A node's value, or NULL when absent. */
static char *read_opt(struct describe *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static char *read_opt(struct describe *d, const char *fmt, ...)
{
	va_list ap;
	char *path, *v = NULL;

	va_start(ap, fmt);
	path = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (d->hv->ops->xs_read(d->hv, path, &v) < 0)
		v = NULL;
	g_free(path);
	return v;
}

static void element(struct describe *d, const char *indent, const char *name, const char *v)
{
	char *e = g_markup_escape_text(v, -1);

	g_string_append_printf(d->x, "%s<%s>%s</%s>\n", indent, name, e, name);
	g_free(e);
}

static void describe_memory(struct describe *d)
{
	g_autofree char *max = read_opt(d, "/local/domain/%u/memory/static-max", d->domid);
	g_autofree char *target = read_opt(d, "/local/domain/%u/memory/target", d->domid);
	g_autofree char *min = read_opt(d, "/local/domain/%u/" XLITE_XS_DIR "/memory-min",
					d->domid);

	g_string_append_printf(d->x, "  <memory unit='KiB'>%s</memory>\n", max);
	if (target)
		g_string_append_printf(d->x, "  <currentMemory unit='KiB'>%s</currentMemory>\n",
				       target);
	if (min && strcmp(min, "0") != 0)
		g_string_append_printf(d->x, "  <memtune>\n    <min_guarantee unit='KiB'>%s"
				       "</min_guarantee>\n  </memtune>\n", min);
}

static void describe_vcpus(struct describe *d, const struct xlite_dominfo *info)
{
	unsigned int max = info->max_vcpu_id + 1, online = 0, i, w = 0, cap = 0;
	struct xlite_physinfo pi;
	GString *pins = g_string_new("");
	bool known = false;

	for (i = 0; i < max; i++) {
		g_autofree char *a = read_opt(d, "/local/domain/%u/cpu/%u/availability",
					      d->domid, i);

		known |= a != NULL;
		online += a && strcmp(a, "online") == 0;
	}
	if (!known || online == 0)
		online = max;
	g_string_append_printf(d->x, "  <vcpu current='%u'>%u</vcpu>\n", online, max);
	if (d->hv->ops->physinfo(d->hv, &pi) == 0 && pi.nr_cpus > 0) {
		for (i = 0; i < max; i++) {
			struct xlite_vcpuinfo vi;
			g_autofree char *set = NULL;

			if (d->hv->ops->vcpu_info(d->hv, d->domid, i, &vi) < 0)
				break;
			set = xlite_cpuset_format(&vi.hard, pi.nr_cpus);
			if (strcmp(set, "all") != 0 && strcmp(set, "none") != 0)
				g_string_append_printf(pins, "    <vcpupin vcpu='%u' cpuset='%s'/>\n",
						       i, set);
		}
	}
	if (d->hv->ops->sched_get(d->hv, d->domid, &w, &cap) < 0)
		w = cap = 0;
	if ((w && w != 256) || cap || pins->len) {
		g_string_append(d->x, "  <cputune>\n");
		if (w && w != 256)
			g_string_append_printf(d->x, "    <shares>%u</shares>\n", w);
		if (cap)
			g_string_append_printf(d->x, "    <cap>%u</cap>\n", cap);
		g_string_append(d->x, pins->str);
		g_string_append(d->x, "  </cputune>\n");
	}
	g_string_free(pins, TRUE);
}

static int describe_os(struct describe *d, const char *vm)
{
	g_autofree char *type = read_opt(d, "%s/image/ostype", vm);
	g_autofree char *kernel = read_opt(d, "%s/image/kernel", vm);
	g_autofree char *initrd = read_opt(d, "%s/image/ramdisk", vm);
	g_autofree char *cmdline = read_opt(d, "%s/image/cmdline", vm);
	static const char *const actions[] = { "on_poweroff", "on_reboot", "on_crash" };
	unsigned int i;

	if (!kernel || !*kernel) {
		*d->err = g_strdup_printf("domain %u has no %s/image/kernel (made by an older "
					  "xlite?): its domain XML cannot be written", d->domid,
					  vm);
		return -ENOENT;
	}
	g_string_append(d->x, "  <os>\n");
	if (type && strcmp(type, "xenpvh") == 0)
		g_string_append(d->x, "    <type arch='x86_64' machine='xenpvh'>xenpvh</type>\n");
	else
		element(d, "    ", "type", type && strcmp(type, "xen") == 0 ? "xen" : "linux");
	element(d, "    ", "kernel", kernel);
	if (initrd && *initrd)
		element(d, "    ", "initrd", initrd);
	if (cmdline && *cmdline)
		element(d, "    ", "cmdline", cmdline);
	g_string_append(d->x, "  </os>\n");
	for (i = 0; i < G_N_ELEMENTS(actions); i++) {
		g_autofree char *a = read_opt(d, "%s/%s", vm, actions[i]);
		enum xlite_action act;

		if (a && xlite_action_parse(a, &act) == 0)
			element(d, "  ", actions[i], a);
	}
	return 0;
}

/* What the create recorded under xlite's own nodes. */
static void describe_features(struct describe *d)
{
	g_autofree char *e820 = read_opt(d, "/local/domain/%u/" XLITE_XS_DIR "/e820-host",
					 d->domid);

	if (e820 && strcmp(e820, "1") == 0)
		g_string_append(d->x, "  <features>\n    <xen>\n      <e820_host state='on'/>\n"
				"    </xen>\n  </features>\n");
}

static int cmp_ids(const void *a, const void *b)
{
	unsigned long x = strtoul(*(char *const *)a, NULL, 10);
	unsigned long y = strtoul(*(char *const *)b, NULL, 10);

	return x < y ? -1 : x > y;
}

/* Device ids of a backend directory, ascending. */
static char **device_ids(struct describe *d, const char *type)
{
	g_autofree char *base = g_strdup_printf("/local/domain/0/backend/%s/%u", type, d->domid);
	char **ids = NULL;

	if (d->hv->ops->xs_directory(d->hv, base, &ids) < 0)
		return g_new0(char *, 1);
	qsort(ids, g_strv_length(ids), sizeof(char *), cmp_ids);
	return ids;
}

static bool is_xlite_loop(const char *loops, const char *dev)
{
	g_auto(GStrv) v = g_strsplit(loops ? loops : "", " ", 0);

	return dev && g_strv_contains((const char *const *)v, dev);
}

static int describe_disks(struct describe *d)
{
	g_auto(GStrv) ids = device_ids(d, "vbd");
	g_autofree char *loops = read_opt(d, "/local/domain/%u/" XLITE_XS_DIR "/loops", d->domid);
	unsigned int i;

	for (i = 0; ids[i]; i++) {
		const char *be = "/local/domain/0/backend/vbd";
		g_autofree char *params = read_opt(d, "%s/%u/%s/params", be, d->domid, ids[i]);
		g_autofree char *dev = read_opt(d, "%s/%u/%s/dev", be, d->domid, ids[i]);
		g_autofree char *mode = read_opt(d, "%s/%u/%s/mode", be, d->domid, ids[i]);
		g_autofree char *file = NULL, *esc = NULL;
		bool loop = is_xlite_loop(loops, params);

		if (!params || !dev)
			continue;	/* a device half made or half gone */
		if (loop && (d->hv->ops->loop_backing(d->hv, params, &file) < 0 || !file)) {
			*d->err = g_strdup_printf("disk %s: the file behind %s is not known: %s",
						  dev, params, xlite_hv_error(d->hv));
			return -ENOENT;
		}
		esc = g_markup_escape_text(loop ? file : params, -1);
		g_string_append_printf(d->x, "    <disk type='%s' device='disk'>\n"
				       "      <source %s='%s'/>\n      <target dev='%s'/>\n",
				       loop ? "file" : "block", loop ? "file" : "dev", esc, dev);
		if (mode && mode[0] == 'r')
			g_string_append(d->x, "      <readonly/>\n");
		if (mode && strchr(mode, '!'))
			g_string_append(d->x, "      <shareable/>\n");
		g_string_append(d->x, "    </disk>\n");
	}
	return 0;
}

static void describe_nics(struct describe *d)
{
	g_auto(GStrv) ids = device_ids(d, "vif");
	unsigned int i;

	for (i = 0; ids[i]; i++) {
		const char *be = "/local/domain/0/backend/vif";
		g_autofree char *mac = read_opt(d, "%s/%u/%s/mac", be, d->domid, ids[i]);
		g_autofree char *bridge = read_opt(d, "%s/%u/%s/bridge", be, d->domid, ids[i]);
		g_autofree char *esc = NULL;

		if (!mac || !bridge)
			continue;
		esc = g_markup_escape_text(bridge, -1);
		g_string_append_printf(d->x, "    <interface type='bridge'>\n"
				       "      <mac address='%s'/>\n      <source bridge='%s'/>\n"
				       "    </interface>\n", mac, esc);
	}
}

int xlite_domain_describe(struct xlite_hv *hv, uint32_t domid, char **xml, char **err)
{
	struct describe d = { hv, domid, g_string_new(""), err };
	struct xlite_dominfo info;
	char uuid[XLITE_UUID_STRLEN];
	g_autofree char *name = NULL, *vm = NULL, *max = NULL;
	int rc;

	*xml = NULL;
	rc = hv->ops->domain_info(hv, domid, &info);
	if (rc < 0) {
		*err = g_strdup(xlite_hv_error(hv));
		goto out;
	}
	name = xlite_domain_name(hv, domid);
	vm = read_opt(&d, "/local/domain/%u/vm", domid);
	max = read_opt(&d, "/local/domain/%u/memory/static-max", domid);
	if (!name || !vm || !max) {
		*err = g_strdup_printf("domain %u has no %s in xenstore", domid,
				       !name ? "name" : !vm ? "vm" : "memory/static-max");
		rc = -ENOENT;
		goto out;
	}
	xlite_uuid_format(info.uuid, uuid);
	g_string_append(d.x, "<domain type='xen'>\n");
	element(&d, "  ", "name", name);
	element(&d, "  ", "uuid", uuid);
	describe_memory(&d);
	describe_vcpus(&d, &info);
	rc = describe_os(&d, vm);
	if (rc < 0)
		goto out;
	describe_features(&d);
	g_string_append(d.x, "  <devices>\n");
	rc = describe_disks(&d);
	if (rc < 0)
		goto out;
	describe_nics(&d);
	g_string_append(d.x, "    <console type='pty'/>\n  </devices>\n</domain>\n");
	*xml = g_string_free(d.x, FALSE);
	d.x = NULL;
out:
	if (d.x)
		g_string_free(d.x, TRUE);
	return rc;
}

int xlite_domain_adopt(struct xlite_hv *hv, uint32_t domid, const char *grub_image,
		       struct xlite_plan *plan, GPtrArray *loops, char **err)
{
	g_autofree char *own = g_strdup_printf("/local/domain/%u/" XLITE_XS_DIR, domid);
	g_autofree char *xml = NULL, *recorded = NULL, *what = NULL, *list = NULL;
	g_auto(GStrv) names = NULL, devs = NULL;
	struct xlite_config cfg;
	int rc;

	xlite_config_init(&cfg);
	if (hv->ops->xs_directory(hv, own, &names) < 0) {
		rc = -ENOTSUP;
		*err = g_strdup_printf("domain %u has no %s: not made by xlite", domid, own);
		goto out;
	}
	rc = xlite_domain_describe(hv, domid, &xml, err);
	if (rc < 0)
		goto out;
	what = g_strdup_printf("domain %u", domid);
	rc = xlite_config_parse_memory(&cfg, xml, strlen(xml), what, NULL, NULL, err);
	if (rc == 0)
		rc = xlite_plan_build(plan, &cfg, err);
	if (rc < 0)
		goto out;
	xlite_plan_set_boot_image(plan, grub_image);
	recorded = g_strdup_printf("%s/loops", own);
	if (hv->ops->xs_read(hv, recorded, &list) == 0 && list) {
		guint i;

		devs = g_strsplit(list, " ", 0);
		for (i = 0; devs[i]; i++)
			if (devs[i][0])
				g_ptr_array_add(loops, g_strdup(devs[i]));
	}
out:
	xlite_config_dispose(&cfg);
	return rc;
}
