/* The plan as JSON (`xlite create -n --json`), written by hand: the CLI
 * stays free of a JSON library. One xenstore op per line, so diffs of
 * golden files read well. */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "libtool/plan/plan.h"

static void jstr(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void jkey(FILE *f, const char *indent, const char *key)
{
	fprintf(f, "%s\"%s\": ", indent, key);
}

/* INDENT"KEY": "VAL" (or null), then AFTER. */
static void jfield(FILE *f, const char *indent, const char *key, const char *val,
		   const char *after)
{
	jkey(f, indent, key);
	jstr(f, val);
	fputs(after, f);
}

static void jops(FILE *f, const char *indent, const struct xlite_xs_ops *o)
{
	size_t i;

	fputs("[\n", f);
	for (i = 0; i < o->n; i++) {
		const struct xlite_xs_op *op = &o->ops[i];

		fprintf(f, "%s  {\"op\": ", indent);
		switch (op->kind) {
		case XLITE_XS_MKDIR:
			fputs("\"mkdir\", \"path\": ", f);
			jstr(f, op->path);
			fputs(", \"perms\": ", f);
			jstr(f, op->perms);
			break;
		case XLITE_XS_WRITE:
			fputs("\"write\", \"path\": ", f);
			jstr(f, op->path);
			fputs(", \"value\": ", f);
			jstr(f, op->value);
			break;
		}
		fprintf(f, "}%s\n", i + 1 < o->n ? "," : "");
	}
	fprintf(f, "%s]", indent);
}

static void disks(FILE *f, const struct xlite_plan *p)
{
	size_t i;

	fputs("  \"disks\": [", f);
	for (i = 0; i < p->n_disks; i++) {
		const struct xlite_plan_disk *d = &p->disks[i];

		fprintf(f, "%s\n    {\n", i ? "," : "");
		fprintf(f, "      \"index\": %zu,\n", i);
		jfield(f, "      ", "target", d->disk.target, ",\n");
		fprintf(f, "      \"vdev\": %u,\n", d->disk.vdev);
		fprintf(f, "      \"type\": \"%s\",\n",
			d->disk.type == XLITE_DISK_FILE ? "file" : "block");
		jfield(f, "      ", "source", d->disk.source, ",\n");
		fprintf(f, "      \"readonly\": %s,\n", d->disk.readonly ? "true" : "false");
		fprintf(f, "      \"shareable\": %s,\n", d->disk.shareable ? "true" : "false");
		fprintf(f, "      \"needs_loop\": %s,\n", d->needs_loop ? "true" : "false");
		jfield(f, "      ", "frontend", d->frontend, ",\n");
		jfield(f, "      ", "backend", d->backend, ",\n");
		jkey(f, "      ", "xenstore");
		jops(f, "      ", &d->nodes);
		fputs("\n    }", f);
	}
	fputs(p->n_disks ? "\n  ],\n" : "],\n", f);
}

static void nics(FILE *f, const struct xlite_plan *p)
{
	size_t i;

	fputs("  \"nics\": [", f);
	for (i = 0; i < p->n_nics; i++) {
		const struct xlite_plan_nic *n = &p->nics[i];

		fprintf(f, "%s\n    {\n", i ? "," : "");
		fprintf(f, "      \"devid\": %u,\n", n->devid);
		fprintf(f, "      \"mac\": \"%s\",\n", n->mac);
		fprintf(f, "      \"mac_generated\": %s,\n", n->nic.mac_given ? "false" : "true");
		jfield(f, "      ", "bridge", n->nic.bridge, ",\n");
		jfield(f, "      ", "vif", n->vif, ",\n");
		jfield(f, "      ", "frontend", n->frontend, ",\n");
		jfield(f, "      ", "backend", n->backend, ",\n");
		jkey(f, "      ", "xenstore");
		jops(f, "      ", &n->nodes);
		fputs(",\n", f);
		jfield(f, "      ", "hotplug_status", n->hotplug_status, "\n    }");
	}
	fputs(p->n_nics ? "\n  ],\n" : "],\n", f);
}

char *xlite_plan_to_json(const struct xlite_plan *p)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs("{\n", f);
	jfield(f, "  ", "name", p->name, ",\n");
	fprintf(f, "  \"uuid\": \"%s\",\n", p->uuid);
	jfield(f, "  ", "os_type", p->os_type, ",\n");
	jfield(f, "  ", "kernel", p->kernel, ",\n");
	jfield(f, "  ", "initrd", p->initrd, ",\n");
	jfield(f, "  ", "cmdline", p->cmdline, ",\n");
	fprintf(f, "  \"memory\": {\"max_kib\": %llu, \"target_kib\": %llu, \"min_kib\": %llu, "
		"\"min_given\": %s, \"maxmem_kib\": %llu, \"max_pages\": %llu, \"target_pages\": %llu},\n",
		(unsigned long long)p->memory_kib, (unsigned long long)p->current_kib,
		(unsigned long long)p->min_kib, p->min_given ? "true" : "false",
		(unsigned long long)p->maxmem_kib,
		(unsigned long long)p->max_pages, (unsigned long long)p->target_pages);
	fprintf(f, "  \"vcpus\": {\"max\": %u, \"current\": %u},\n", p->max_vcpus, p->cur_vcpus);
	fprintf(f, "  \"sched\": {\"weight\": %u, \"cap\": %u},\n", p->weight, p->cap);
	fputs("  \"vcpupin\": [", f);
	for (i = 0; i < p->n_pins; i++) {
		char *cpus = xlite_cpuset_format(&p->pins[i].cpus, 0);

		if (p->pins[i].all)
			fprintf(f, "%s{\"vcpu\": \"all\", \"cpus\": \"%s\"}", i ? ", " : "", cpus);
		else
			fprintf(f, "%s{\"vcpu\": %u, \"cpus\": \"%s\"}", i ? ", " : "",
				p->pins[i].vcpu, cpus);
		g_free(cpus);
	}
	fputs("],\n", f);
	fprintf(f, "  \"on_poweroff\": \"%s\",\n  \"on_reboot\": \"%s\",\n  \"on_crash\": \"%s\",\n",
		xlite_action_name(p->on_poweroff), xlite_action_name(p->on_reboot),
		xlite_action_name(p->on_crash));
	jkey(f, "  ", "xenstore");
	jops(f, "  ", &p->domain_nodes);
	fputs(",\n", f);
	disks(f, p);
	nics(f, p);
	fprintf(f, "  \"xenstore_requests\": %u\n}\n", p->xs_requests);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
