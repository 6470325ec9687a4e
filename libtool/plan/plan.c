/* xlite_plan_build: config in, plan out, no I/O. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/util/fail.h"
#include "libtool/util/mac.h"
#include "libtool/plan/plan-int.h"

#define MAXMEM_SLACK_KIB 1024	/* as libxl's LIBXL_MAXMEM_CONSTANT */

void xlite_plan_init(struct xlite_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
}

void xlite_plan_dispose(struct xlite_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n_disks; i++) {
		struct xlite_plan_disk *d = &plan->disks[i];

		g_free(d->disk.source);
		g_free(d->disk.target);
		g_free(d->backend);
		g_free(d->frontend);
		xlite_ops_dispose(&d->nodes);
	}
	g_free(plan->disks);
	for (i = 0; i < plan->n_nics; i++) {
		struct xlite_plan_nic *n = &plan->nics[i];

		xlite_nic_dispose(&n->nic);
		g_free(n->backend);
		g_free(n->frontend);
		g_free(n->vif);
		g_free(n->hotplug_status);
		xlite_ops_dispose(&n->nodes);
	}
	g_free(plan->nics);
	xlite_ops_dispose(&plan->domain_nodes);
	g_free(plan->name);
	g_free(plan->os_type);
	g_free(plan->bootloader);
	g_free(plan->bootloader_args);
	g_free(plan->kernel);
	g_free(plan->initrd);
	g_free(plan->cmdline);
	g_free(plan->pins);
	xlite_plan_init(plan);
}

/* A plan is built from configs the parser checked, but also from ones a
 * program assembled: check what the plan relies on. */
static int check_config(const struct xlite_config *cfg, char **err)
{
	const char *why = "none";
	size_t i, j;

	if (!cfg->name || (why = xlite_name_invalid(cfg->name)) != NULL)
		return xlite_fail(err, -EINVAL, "invalid domain name: %s", why);
	if (cfg->memory_kib == 0 || cfg->memory_kib > XLITE_MAX_MEMORY_KIB)
		return xlite_fail(err, -EINVAL, "memory %llu KiB out of range",
				  (unsigned long long)cfg->memory_kib);
	if (cfg->current_kib == 0 || cfg->current_kib > cfg->memory_kib ||
	    cfg->min_kib > cfg->current_kib)
		return xlite_fail(err, -EINVAL, "memory sizes out of order: min %llu <= current %llu <= max %llu KiB expected",
				  (unsigned long long)cfg->min_kib,
				  (unsigned long long)cfg->current_kib,
				  (unsigned long long)cfg->memory_kib);
	if (cfg->max_vcpus < 1 || cfg->max_vcpus > XLITE_MAX_VCPUS ||
	    cfg->cur_vcpus < 1 || cfg->cur_vcpus > cfg->max_vcpus)
		return xlite_fail(err, -EINVAL, "vcpus %u of %u out of range",
				  cfg->cur_vcpus, cfg->max_vcpus);
	for (i = 0; i < cfg->n_pins; i++)
		if (!cfg->pins[i].all && cfg->pins[i].vcpu >= cfg->max_vcpus)
			return xlite_fail(err, -EINVAL, "vcpu pin for vcpu %u of %u",
					  cfg->pins[i].vcpu, cfg->max_vcpus);
	if ((cfg->boot == XLITE_BOOT_KERNEL && !cfg->kernel) || !cfg->os_type)
		return xlite_fail(err, -EINVAL, "no kernel or os type");
	if (cfg->boot == XLITE_BOOT_DISK && cfg->kernel)
		return xlite_fail(err, -EINVAL, "a kernel beside the boot from disk");
	if (cfg->e820_host && strcmp(cfg->os_type, "xenpvh") == 0)
		return xlite_fail(err, -EINVAL, "e820_host for a PVH guest (a PV setting)");
	if (cfg->n_disks > XLITE_MAX_DISKS || cfg->n_nics > XLITE_MAX_NICS)
		return xlite_fail(err, -EINVAL, "too many devices");
	for (i = 0; i < cfg->n_disks; i++) {
		unsigned int vdev;

		if (!cfg->disks[i].source || !cfg->disks[i].target ||
		    xlite_vdev_parse_xl(cfg->disks[i].target, &vdev) < 0 ||
		    vdev != cfg->disks[i].vdev)
			return xlite_fail(err, -EINVAL, "disk %zu: bad source or target", i);
		for (j = 0; j < i; j++)
			if (cfg->disks[j].vdev == vdev)
				return xlite_fail(err, -EINVAL, "disk %zu: target %s used twice",
						  i, cfg->disks[i].target);
	}
	for (i = 0; i < cfg->n_nics; i++)
		if (!cfg->nics[i].bridge != cfg->nics[i].routed)
			return xlite_fail(err, -EINVAL, "interface %zu: %s", i,
					  cfg->nics[i].routed ? "routed, yet on a bridge" : "no bridge");
	return 0;
}

/* Xen's paging pool of an HVM container with HAP, as libxl sizes it
 * (libxl__get_required_paging_memory): 1 MiB per vCPU plus a page per MiB
 * of RAM for the p2m. */
static uint64_t paging_kib(uint64_t memory_kib, unsigned int max_vcpus)
{
	return 4 * (256 * (uint64_t)max_vcpus + memory_kib / 1024);
}

static uint64_t round_mib(uint64_t kib)
{
	return (kib + 1023) / 1024 * 1024;
}

static int plan_disks(struct xlite_plan *plan, const struct xlite_config *cfg)
{
	size_t i;
	int rc = 0;

	if (!cfg->n_disks)
		return 0;
	plan->disks = g_new0(struct xlite_plan_disk, cfg->n_disks);
	for (i = 0; i < cfg->n_disks && rc == 0; i++) {
		struct xlite_plan_disk *d = &plan->disks[i];

		plan->n_disks++;
		d->disk = cfg->disks[i];
		d->disk.source = g_strdup(cfg->disks[i].source);
		d->disk.target = g_strdup(cfg->disks[i].target);
		d->needs_nbd = d->disk.format == XLITE_DISK_QCOW2;
		d->needs_loop = d->disk.type == XLITE_DISK_FILE && !d->needs_nbd;
		d->frontend = g_strdup_printf("/local/domain/${domid}/device/vbd/%u", d->disk.vdev);
		d->backend = g_strdup_printf("/local/domain/0/backend/vbd/${domid}/%u", d->disk.vdev);
		rc = xlite_plan_disk_nodes(d, i);
	}
	return rc;
}

static int plan_nics(struct xlite_plan *plan, const struct xlite_config *cfg)
{
	size_t i;
	int rc = 0;

	if (!cfg->n_nics)
		return 0;
	plan->nics = g_new0(struct xlite_plan_nic, cfg->n_nics);
	for (i = 0; i < cfg->n_nics && rc == 0; i++) {
		struct xlite_plan_nic *n = &plan->nics[i];

		plan->n_nics++;
		xlite_nic_copy(&n->nic, &cfg->nics[i]);
		n->devid = (unsigned int)i;
		xlite_mac_format(n->nic.mac, n->mac);
		n->frontend = g_strdup_printf("/local/domain/${domid}/device/vif/%u", n->devid);
		n->backend = g_strdup_printf("/local/domain/0/backend/vif/${domid}/%u", n->devid);
		n->vif = g_strdup_printf("vif${domid}.%u", n->devid);
		n->hotplug_status = g_strdup_printf("%s/hotplug-status", n->backend);
		rc = xlite_plan_nic_nodes(n);
	}
	return rc;
}

void xlite_plan_set_boot_image(struct xlite_plan *plan, const char *path)
{
	if (plan->boot != XLITE_BOOT_DISK)
		return;
	g_free(plan->kernel);
	plan->kernel = g_strdup(path);
}

const char *xlite_plan_boot_loader(const struct xlite_plan *plan)
{
	return plan->pvh ? "pvhgrub" : "pvgrub2";
}

const char *xlite_plan_boot_setting(const struct xlite_plan *plan)
{
	return plan->pvh ? "grub-pvh-image" : "grub-image";
}

int xlite_plan_build(struct xlite_plan *plan, const struct xlite_config *cfg,
		     char **err)
{
	size_t i;
	int rc = 0;

	*err = NULL;
	xlite_plan_dispose(plan);
	rc = check_config(cfg, err);
	if (rc < 0)
		return rc;
	plan->name = g_strdup(cfg->name);
	plan->os_type = g_strdup(cfg->os_type);
	plan->boot = cfg->boot;
	plan->bootloader = g_strdup(cfg->bootloader);
	plan->bootloader_args = g_strdup(cfg->bootloader_args);
	plan->pvh = strcmp(cfg->os_type, "xenpvh") == 0;
	plan->kernel = g_strdup(cfg->kernel);
	plan->initrd = g_strdup(cfg->initrd);
	plan->cmdline = g_strdup(cfg->cmdline);
	xlite_uuid_format(cfg->uuid, plan->uuid);
	plan->memory_kib = round_mib(cfg->memory_kib);
	plan->current_kib = round_mib(cfg->current_kib);
	/* Without <min_guarantee> the boot target is the minimum: such a
	 * domain is never squeezed (issue 10). */
	plan->min_given = cfg->min_kib != 0;
	plan->min_kib = round_mib(cfg->min_kib ? cfg->min_kib : cfg->current_kib);
	plan->maxmem_kib = plan->memory_kib + MAXMEM_SLACK_KIB;
	plan->max_pages = plan->memory_kib / 4;
	plan->target_pages = plan->current_kib / 4;
	plan->max_vcpus = cfg->max_vcpus;
	if (plan->pvh)
		plan->paging_kib = paging_kib(plan->memory_kib, plan->max_vcpus);
	/* libxenguest's HVM builder: below its maximum, an HVM container
	 * starts in populate-on-demand mode (meminit_hvm) */
	plan->pod = plan->pvh && plan->current_kib < plan->memory_kib;
	plan->e820_host = cfg->e820_host;
	plan->cur_vcpus = cfg->cur_vcpus;
	plan->weight = cfg->weight;
	plan->cap = cfg->cap;
	if (cfg->n_pins) {
		plan->pins = g_memdup2(cfg->pins, cfg->n_pins * sizeof(cfg->pins[0]));
		plan->n_pins = cfg->n_pins;
	}
	plan->on_poweroff = cfg->on_poweroff;
	plan->on_reboot = cfg->on_reboot;
	plan->on_crash = cfg->on_crash;
	plan->max_grant_frames = cfg->max_grant_frames;
	plan->max_event_channels = cfg->max_event_channels;
	rc = xlite_plan_domain_nodes(plan);
	if (rc < 0)
		goto out;
	rc = plan_disks(plan, cfg);
	if (rc < 0)
		goto out;
	rc = plan_nics(plan, cfg);
	if (rc < 0)
		goto out;
	plan->xs_requests = xlite_ops_requests(&plan->domain_nodes);
	for (i = 0; i < plan->n_disks; i++)
		plan->xs_requests += xlite_ops_requests(&plan->disks[i].nodes);
	for (i = 0; i < plan->n_nics; i++)	/* + hotplug-status */
		plan->xs_requests += xlite_ops_requests(&plan->nics[i].nodes) + 1;
out:
	if (rc < 0) {
		xlite_plan_dispose(plan);
		if (!*err)
			*err = g_strdup(strerror(-rc));
	}
	return rc;
}
