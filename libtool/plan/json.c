/* The plan as JSON (`xlite create -n --json`), built and laid out by
 * util/json.c: one xenstore op a line, so diffs of golden files read
 * well. */
#include "libtool/plan/plan.h"
#include "libtool/util/json.h"

static void ops(XliteJson *b, const char *key, const struct xlite_xs_ops *o)
{
	size_t i;

	xlite_json_set_member_name(b, key);
	xlite_json_begin_array(b);
	for (i = 0; i < o->n; i++) {
		const struct xlite_xs_op *op = &o->ops[i];

		xlite_json_begin_object(b);
		switch (op->kind) {
		case XLITE_XS_MKDIR:
			xlite_json_member_str(b, "op", "mkdir");
			xlite_json_member_str(b, "path", op->path);
			xlite_json_member_str(b, "perms", op->perms);
			break;
		case XLITE_XS_WRITE:
			xlite_json_member_str(b, "op", "write");
			xlite_json_member_str(b, "path", op->path);
			xlite_json_member_str(b, "value", op->value);
			break;
		}
		xlite_json_end_object(b);
	}
	xlite_json_end_array(b);
}

static void disks(XliteJson *b, const struct xlite_plan *p)
{
	size_t i;

	xlite_json_set_member_name(b, "disks");
	xlite_json_begin_array(b);
	for (i = 0; i < p->n_disks; i++) {
		const struct xlite_plan_disk *d = &p->disks[i];

		xlite_json_begin_object(b);
		xlite_json_member_int(b, "index", (int64_t)i);
		xlite_json_member_str(b, "target", d->disk.target);
		xlite_json_member_int(b, "vdev", d->disk.vdev);
		xlite_json_member_str(b, "type", d->disk.type == XLITE_DISK_FILE ? "file" : "block");
		xlite_json_member_str(b, "source", d->disk.source);
		xlite_json_member_bool(b, "readonly", d->disk.readonly);
		xlite_json_member_bool(b, "shareable", d->disk.shareable);
		xlite_json_member_str(b, "format", xlite_disk_format_name(d->disk.format));
		xlite_json_member_bool(b, "needs_loop", d->needs_loop);
		xlite_json_member_bool(b, "needs_nbd", d->needs_nbd);
		if (d->disk.no_discard)
			xlite_json_member_bool(b, "discard", false);
		if (d->disk.untrusted)
			xlite_json_member_bool(b, "trusted", false);
		xlite_json_member_str(b, "frontend", d->frontend);
		xlite_json_member_str(b, "backend", d->backend);
		ops(b, "xenstore", &d->nodes);
		xlite_json_end_object(b);
	}
	xlite_json_end_array(b);
}

/* What only some nics have, present only when set. */
static void nic_extras(XliteJson *b, const struct xlite_nic *nic)
{
	size_t i;

	if (nic->routed)
		xlite_json_member_bool(b, "routed", true);
	if (nic->ifname)
		xlite_json_member_str(b, "vifname", nic->ifname);
	if (nic->ips) {
		xlite_json_set_member_name(b, "ips");
		xlite_json_begin_array(b);
		for (i = 0; nic->ips[i]; i++)
			xlite_json_add_str(b, nic->ips[i]);
		xlite_json_end_array(b);
	}
	if (nic->rate_usecs) {
		xlite_json_member_int(b, "rate_bytes", (int64_t)nic->rate_bytes);
		xlite_json_member_int(b, "rate_usecs", nic->rate_usecs);
	}
	if (nic->mtu)
		xlite_json_member_int(b, "mtu", nic->mtu);
	if (nic->untrusted)
		xlite_json_member_bool(b, "trusted", false);
}

static void nics(XliteJson *b, const struct xlite_plan *p)
{
	size_t i;

	xlite_json_set_member_name(b, "nics");
	xlite_json_begin_array(b);
	for (i = 0; i < p->n_nics; i++) {
		const struct xlite_plan_nic *n = &p->nics[i];

		xlite_json_begin_object(b);
		xlite_json_member_int(b, "devid", n->devid);
		xlite_json_member_str(b, "mac", n->mac);
		xlite_json_member_bool(b, "mac_generated", !n->nic.mac_given);
		xlite_json_member_str(b, "bridge", n->nic.bridge);
		xlite_json_member_str(b, "vif", n->vif);
		nic_extras(b, &n->nic);
		xlite_json_member_str(b, "frontend", n->frontend);
		xlite_json_member_str(b, "backend", n->backend);
		ops(b, "xenstore", &n->nodes);
		xlite_json_member_str(b, "hotplug_status", n->hotplug_status);
		xlite_json_end_object(b);
	}
	xlite_json_end_array(b);
}

/* "vcpupin": [{"vcpu": N or "all", "cpus": "0-3"}, ...] */
static void vcpupin(XliteJson *b, const struct xlite_plan *p)
{
	size_t i;

	xlite_json_set_member_name(b, "vcpupin");
	xlite_json_begin_array(b);
	for (i = 0; i < p->n_pins; i++) {
		g_autofree char *cpus = xlite_cpuset_format(&p->pins[i].cpus, 0);

		xlite_json_begin_object(b);
		if (p->pins[i].all)
			xlite_json_member_str(b, "vcpu", "all");
		else
			xlite_json_member_int(b, "vcpu", p->pins[i].vcpu);
		xlite_json_member_str(b, "cpus", cpus);
		xlite_json_end_object(b);
	}
	xlite_json_end_array(b);
}

char *xlite_plan_to_json(const struct xlite_plan *p)
{
	g_autoptr(XliteJson) b = xlite_json_new();

	const struct xlite_json_member head[] = {
		XLITE_JSON_STR("name", p->name), XLITE_JSON_STR("uuid", p->uuid),
		XLITE_JSON_STR("os_type", p->os_type),
		XLITE_JSON_STR("boot", p->boot == XLITE_BOOT_DISK ? "disk" : "kernel"),
		XLITE_JSON_STR("bootloader", p->bootloader),
		XLITE_JSON_STR("bootloader_args", p->bootloader_args),
		XLITE_JSON_STR("kernel", p->kernel),
		XLITE_JSON_STR("initrd", p->initrd), XLITE_JSON_STR("cmdline", p->cmdline),
	};
	const struct xlite_json_member memory[] = {
		XLITE_JSON_INT("max_kib", p->memory_kib), XLITE_JSON_INT("target_kib", p->current_kib),
		XLITE_JSON_INT("min_kib", p->min_kib), XLITE_JSON_BOOL("min_given", p->min_given),
		XLITE_JSON_INT("maxmem_kib", p->maxmem_kib),
		XLITE_JSON_INT("max_pages", p->max_pages),
		XLITE_JSON_INT("target_pages", p->target_pages),
	};
	const struct xlite_json_member vcpus[] = {
		XLITE_JSON_INT("max", p->max_vcpus), XLITE_JSON_INT("current", p->cur_vcpus),
	};
	const struct xlite_json_member sched[] = {
		XLITE_JSON_INT("weight", p->weight), XLITE_JSON_INT("cap", p->cap),
	};

	xlite_json_begin_object(b);
	xlite_json_members(b, head, G_N_ELEMENTS(head));
	xlite_json_member_object(b, "memory", memory, G_N_ELEMENTS(memory));
	xlite_json_member_object(b, "vcpus", vcpus, G_N_ELEMENTS(vcpus));
	if (p->pvh) {	/* PV plans stay as they were */
		xlite_json_member_int(b, "pvh_paging_kib", p->paging_kib);
		xlite_json_member_bool(b, "pod", p->pod);
	}
	if (p->e820_host)
		xlite_json_member_bool(b, "e820_host", true);
	xlite_json_member_object(b, "sched", sched, G_N_ELEMENTS(sched));
	vcpupin(b, p);
	if (p->max_grant_frames)
		xlite_json_member_int(b, "max_grant_frames", p->max_grant_frames);
	if (p->max_event_channels)
		xlite_json_member_int(b, "max_event_channels", p->max_event_channels);
	xlite_json_member_str(b, "on_poweroff", xlite_action_name(p->on_poweroff));
	xlite_json_member_str(b, "on_reboot", xlite_action_name(p->on_reboot));
	xlite_json_member_str(b, "on_crash", xlite_action_name(p->on_crash));
	ops(b, "xenstore", &p->domain_nodes);
	disks(b, p);
	nics(b, p);
	xlite_json_member_int(b, "xenstore_requests", p->xs_requests);
	xlite_json_end_object(b);
	return xlite_json_to_string(b, true);
}
