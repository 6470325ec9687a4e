/* The plan as text: one line per fact and per xenstore op, what
 * `xlite create -n` prints and golden files pin. */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "libtool/plan/plan.h"

static void quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void ops(FILE *f, const struct xlite_xs_ops *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		const struct xlite_xs_op *op = &o->ops[i];

		switch (op->kind) {
		case XLITE_XS_MKDIR:
			if (op->perms)
				fprintf(f, "mkdir %s perms %s\n", op->path, op->perms);
			else	/* inherits its parent's permissions */
				fprintf(f, "mkdir %s\n", op->path);
			break;
		case XLITE_XS_WRITE:
			fprintf(f, "write %s ", op->path);
			quoted(f, op->value);
			fputc('\n', f);
			break;
		}
	}
}

static void mem(FILE *f, const char *what, uint64_t kib)
{
	fprintf(f, "memory %s %llu KiB (%llu MiB, %llu pages)\n", what,
		(unsigned long long)kib, (unsigned long long)(kib / 1024),
		(unsigned long long)(kib / 4));
}

/* What only some nics have, a line each when set. */
static void nic_extras(FILE *f, const struct xlite_nic *nic)
{
	size_t i;

	if (nic->ifname) {
		fputs("  vifname ", f);
		quoted(f, nic->ifname);
		fputc('\n', f);
	}
	for (i = 0; nic->ips && nic->ips[i]; i++)
		fprintf(f, "  ip %s\n", nic->ips[i]);
	if (nic->rate_usecs)
		fprintf(f, "  rate %llu bytes per %u us\n", (unsigned long long)nic->rate_bytes,
			nic->rate_usecs);
	if (nic->mtu)
		fprintf(f, "  mtu %u\n", nic->mtu);
	if (nic->untrusted)
		fputs("  untrusted\n", f);
}

char *xlite_plan_to_text(const struct xlite_plan *p)
{
	char *buf = NULL, *out;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs("name ", f);
	quoted(f, p->name);
	fprintf(f, "\nuuid %s\nos %s\n", p->uuid, p->os_type);
	if (p->pvh)
		fprintf(f, "guest pvh: HVM container, HAP, no device model, no ACPI; paging pool %llu KiB\n",
			(unsigned long long)p->paging_kib);
	if (p->boot == XLITE_BOOT_DISK) {
		fprintf(f, "boot disk: %s reads the grub.cfg on the guest's disks, inside the guest\n",
			xlite_plan_boot_loader(p));
		if (p->bootloader) {
			fputs("bootloader ", f);
			quoted(f, p->bootloader);
			fprintf(f, " not run in dom0: %s in its place\n", xlite_plan_boot_loader(p));
		}
		if (p->bootloader_args) {
			fputs("bootloader_args ", f);
			quoted(f, p->bootloader_args);
			fputs(" ignored\n", f);
		}
	}
	if (p->kernel) {
		fputs("kernel ", f);
		if (p->boot == XLITE_BOOT_DISK)
			fprintf(f, "%s ", xlite_plan_boot_loader(p));
		quoted(f, p->kernel);
		fputc('\n', f);
	} else {
		fprintf(f, "kernel %s (xlite.conf [boot] %s)\n", xlite_plan_boot_loader(p),
			xlite_plan_boot_setting(p));
	}
	if (p->initrd) {
		fputs("initrd ", f);
		quoted(f, p->initrd);
		fputc('\n', f);
	}
	if (p->cmdline) {
		fputs("cmdline ", f);
		quoted(f, p->cmdline);
		fputc('\n', f);
	}
	mem(f, "max", p->memory_kib);
	mem(f, "target", p->current_kib);
	mem(f, "min", p->min_kib);
	if (!p->min_given)
		fputs("memory min is the target (no <min_guarantee>): never squeezed\n", f);
	fprintf(f, "maxmem %llu KiB\n", (unsigned long long)p->maxmem_kib);
	if (p->pod)
		fprintf(f, "populate-on-demand: %llu MiB of guest memory, %llu MiB populated at boot (Xen's PoD cache), the balloon driver gives the rest back\n",
			(unsigned long long)(p->memory_kib / 1024),
			(unsigned long long)(p->current_kib / 1024));
	if (p->e820_host)
		fputs("e820_host: the host's memory map (its reserved and ACPI ranges) around the guest's RAM, balloon room above 4 GiB\n",
		      f);
	fprintf(f, "vcpus %u online of %u\n", p->cur_vcpus, p->max_vcpus);
	if (p->weight)
		fprintf(f, "sched weight %u\n", p->weight);
	else
		fputs("sched weight default\n", f);
	if (p->cap)
		fprintf(f, "sched cap %u%%\n", p->cap);
	else
		fputs("sched cap none\n", f);
	for (i = 0; i < p->n_pins; i++) {
		char *cpus = xlite_cpuset_format(&p->pins[i].cpus, 0);

		if (p->pins[i].all)
			fprintf(f, "vcpupin all cpus %s\n", cpus);
		else
			fprintf(f, "vcpupin %u cpus %s\n", p->pins[i].vcpu, cpus);
		g_free(cpus);
	}
	if (p->max_grant_frames)
		fprintf(f, "max_grant_frames %u\n", p->max_grant_frames);
	if (p->max_event_channels)
		fprintf(f, "max_event_channels %u\n", p->max_event_channels);
	fprintf(f, "on_poweroff %s\non_reboot %s\non_crash %s\n",
		xlite_action_name(p->on_poweroff), xlite_action_name(p->on_reboot),
		xlite_action_name(p->on_crash));
	ops(f, &p->domain_nodes);
	for (i = 0; i < p->n_disks; i++) {
		const struct xlite_plan_disk *d = &p->disks[i];

		fprintf(f, "disk %zu %s vdev %u %s ", i, d->disk.target, d->disk.vdev,
			d->disk.type == XLITE_DISK_FILE ? "file" : "block");
		quoted(f, d->disk.source);
		fprintf(f, " %s%s%s%s%s%s\n", d->disk.readonly ? "ro" : "rw",
			d->disk.shareable ? " shareable" : "", d->needs_loop ? " loop" : "",
			d->needs_nbd ? " qcow2 nbd" : "",
			d->disk.no_discard ? " no-discard" : "",
			d->disk.untrusted ? " untrusted" : "");
		ops(f, &d->nodes);
	}
	for (i = 0; i < p->n_nics; i++) {
		const struct xlite_plan_nic *n = &p->nics[i];

		fprintf(f, "nic %u mac %s%s %s ", n->devid, n->mac,
			n->nic.mac_given ? "" : " (generated)", n->nic.bridge ? "bridge" : "routed");
		if (n->nic.bridge)
			quoted(f, n->nic.bridge);
		else
			fputs("(no bridge)", f);
		fprintf(f, " vif %s\n", n->vif);
		nic_extras(f, &n->nic);
		ops(f, &n->nodes);
		if (n->nic.ifname) {
			fprintf(f, "rename %s to ", n->vif);
			quoted(f, n->nic.ifname);
			fputc('\n', f);
		}
		if (n->nic.bridge) {
			fprintf(f, "attach %s to bridge ", n->vif);
			quoted(f, n->nic.bridge);
			fputs(" up", f);
		} else {
			fprintf(f, "bring %s up, proxy ARP on, a route to each ip through it", n->vif);
		}
		fprintf(f, ", then write %s \"connected\"\n", n->hotplug_status);
	}
	fprintf(f, "xenstore requests %u\n", p->xs_requests);
	if (fclose(f) != 0) {
		free(buf);	/* open_memstream's, libc's own */
		return NULL;
	}
	out = g_strndup(buf, len);
	free(buf);
	return out;
}
