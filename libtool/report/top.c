/* `xlite top`'s table: read, rates, sort and layout (libtool/report/top.h). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "libtool/apply/domain.h"
#include "libtool/report/top.h"

static const char *const sort_names[XLITE_TOP_SORT_N] = {
	[XLITE_TOP_SORT_ID] = "id", [XLITE_TOP_SORT_NAME] = "name", [XLITE_TOP_SORT_CPU] = "cpu",
	[XLITE_TOP_SORT_MEM] = "mem", [XLITE_TOP_SORT_NET] = "net", [XLITE_TOP_SORT_DISK] = "disk",
};

void xlite_top_init(struct xlite_top *t)
{
	memset(t, 0, sizeof(*t));
	t->rows = g_array_new(FALSE, TRUE, sizeof(struct xlite_top_row));
}

void xlite_top_dispose(struct xlite_top *t)
{
	if (t->rows)
		g_array_free(t->rows, TRUE);
	t->rows = NULL;
}

const char *xlite_top_sort_name(enum xlite_top_sort key)
{
	return key < XLITE_TOP_SORT_N ? sort_names[key] : "?";
}

bool xlite_top_sort_parse(const char *name, enum xlite_top_sort *key)
{
	unsigned int i;

	for (i = 0; i < XLITE_TOP_SORT_N; i++)
		if (strcmp(name, sort_names[i]) == 0) {
			*key = (enum xlite_top_sort)i;
			return true;
		}
	return false;
}

static void read_row(struct xlite_hv *hv, const char *sysroot, const struct xlite_dominfo *d,
		     struct xlite_top_row *r)
{
	g_autofree char *name = xlite_domain_name(hv, d->domid);
	g_autofree char *err = NULL;
	struct xlite_mem_dom m;

	memset(r, 0, sizeof(*r));
	r->domid = d->domid;
	g_strlcpy(r->name, name ? name : "?", sizeof(r->name));
	xlite_report_state_letters(d, r->state);
	r->cpu_ns = d->cpu_time_ns;
	r->cpu_pct = -1;
	r->vcpus = d->vcpus_online;
	r->actual_kib = d->tot_kib;
	r->max_kib = d->max_kib;
	if (xlite_mem_dom_read(hv, d->domid, &m, &err) == 0) {
		r->mem_known = true;
		r->min_kib = m.min_kib;
		r->target_kib = m.target_kib;
		r->actual_kib = m.actual_kib;
		r->max_kib = m.max_kib;
	}
	xlite_io_read(sysroot, d->domid, &r->io);
}

int xlite_top_read(struct xlite_hv *hv, const char *sysroot, const struct xlite_top *prev,
		   struct xlite_top *t)
{
	struct xlite_dominfo *infos = NULL;
	struct xlite_physinfo pi;
	size_t n = 0, i;
	int rc;

	rc = hv->ops->domain_list(hv, &infos, &n);
	if (rc < 0)
		return rc;
	t->mono_us = g_get_monotonic_time();
	g_array_set_size(t->rows, n);
	for (i = 0; i < n; i++)
		read_row(hv, sysroot, &infos[i], &g_array_index(t->rows, struct xlite_top_row, i));
	g_free(infos);
	/* the summary line only: a host that cannot say leaves it blank */
	if (hv->ops->physinfo(hv, &pi) == 0) {
		t->nr_cpus = pi.nr_cpus;
		t->total_kib = pi.total_pages * 4;
		t->free_kib = pi.free_pages * 4;
		t->xen_major = pi.xen_major;
		t->xen_minor = pi.xen_minor;
		g_strlcpy(t->xen_extra, pi.xen_extra, sizeof(t->xen_extra));
	}
	if (prev)
		xlite_top_rates(t, prev);
	return 0;
}

void xlite_top_rates(struct xlite_top *t, const struct xlite_top *prev)
{
	double dt = (double)(t->mono_us - prev->mono_us) / 1e6;
	guint i, j;

	for (i = 0; i < t->rows->len; i++) {
		struct xlite_top_row *r = &g_array_index(t->rows, struct xlite_top_row, i);

		r->cpu_pct = -1;
		for (j = 0; j < prev->rows->len; j++) {
			const struct xlite_top_row *p =
				&g_array_index(prev->rows, struct xlite_top_row, j);

			if (p->domid == r->domid && strcmp(p->name, r->name) == 0) {
				r->cpu_pct = xlite_cpu_pct(p->cpu_ns, r->cpu_ns, dt);
				break;
			}
		}
	}
}

/* What a row is sorted by, for the numeric keys. */
static double sort_value(const struct xlite_top_row *r, enum xlite_top_sort key)
{
	switch (key) {
	case XLITE_TOP_SORT_CPU:
		return r->cpu_pct;
	case XLITE_TOP_SORT_MEM:
		return (double)r->actual_kib;
	case XLITE_TOP_SORT_NET:
		return (double)(r->io.rx_bytes + r->io.tx_bytes);
	case XLITE_TOP_SORT_DISK:
		return (double)(r->io.rd_sect + r->io.wr_sect);
	case XLITE_TOP_SORT_ID:
	case XLITE_TOP_SORT_NAME:
	case XLITE_TOP_SORT_N:
		break;
	}
	return 0;
}

struct sort_by {
	enum xlite_top_sort key;
	bool reverse;
};

static gint compare_rows(gconstpointer a, gconstpointer b, gpointer data)
{
	const struct xlite_top_row *x = a, *y = b;
	const struct sort_by *by = data;
	int c = 0;

	if (by->key == XLITE_TOP_SORT_NAME) {
		c = strcmp(x->name, y->name);
	} else if (by->key != XLITE_TOP_SORT_ID) {
		double vx = sort_value(x, by->key), vy = sort_value(y, by->key);

		c = vx > vy ? -1 : vx < vy;	/* largest first */
	}
	if (c == 0)
		c = x->domid < y->domid ? -1 : x->domid > y->domid;
	return by->reverse ? -c : c;
}

void xlite_top_sort(struct xlite_top *t, enum xlite_top_sort key, bool reverse)
{
	struct sort_by by = { key, reverse };

	g_array_sort_with_data(t->rows, compare_rows, &by);
}

/* LINE (without its newline) cut at WIDTH, onto OUT, unless HEIGHT lines
 * are there already. */
static void put_line(GString *out, unsigned int *lines, unsigned int width, unsigned int height,
		     const char *line)
{
	size_t len = strlen(line);

	if (height && *lines >= height)
		return;
	g_string_append_len(out, line, width && len > width ? width : len);
	g_string_append_c(out, '\n');
	(*lines)++;
}

static void mib(char *buf, size_t len, bool known, uint64_t kib)
{
	if (known)
		g_snprintf(buf, len, "%" PRIu64, kib / 1024);
	else
		g_strlcpy(buf, "-", len);
}

void xlite_top_format(GString *out, const struct xlite_top *t, enum xlite_top_sort key,
		      unsigned int width, unsigned int height)
{
	unsigned int lines = 0, running = 0, blocked = 0, paused = 0, shut = 0, crashed = 0,
		     dying = 0;
	g_autofree char *line = NULL;
	guint i;

	for (i = 0; i < t->rows->len; i++) {
		const struct xlite_top_row *r = &g_array_index(t->rows, struct xlite_top_row, i);

		running += r->state[0] == 'r';
		blocked += r->state[1] == 'b';
		paused += r->state[2] == 'p';
		shut += r->state[3] == 's' && r->state[4] != 'c';
		crashed += r->state[4] == 'c';
		dying += r->state[5] == 'd';
	}
	line = g_strdup_printf("xlite top - Xen %u.%u%s - sort: %s", t->xen_major, t->xen_minor,
			       t->xen_extra, xlite_top_sort_name(key));
	put_line(out, &lines, width, height, line);
	g_free(line);
	line = g_strdup_printf("%u domains: %u running, %u blocked, %u paused, %u shutdown, "
			       "%u crashed, %u dying", t->rows->len, running, blocked, paused,
			       shut, crashed, dying);
	put_line(out, &lines, width, height, line);
	g_free(line);
	line = g_strdup_printf("Mem: %" PRIu64 "k total, %" PRIu64 "k used, %" PRIu64
			       "k free    CPUs: %u", t->total_kib, t->total_kib - t->free_kib,
			       t->free_kib, t->nr_cpus);
	put_line(out, &lines, width, height, line);
	g_free(line);
	line = g_strdup_printf("%-16s %5s %6s %9s %6s %7s %9s %9s %7s %5s %4s %9s %9s %4s %8s %8s "
			       "%10s %10s", "NAME", "ID", "STATE", "CPU(sec)", "CPU(%)", "MIN(M)",
			       "TARGET(M)", "ACTUAL(M)", "MAX(M)", "VCPUS", "NETS", "NETTX(k)",
			       "NETRX(k)", "VBDS", "VBD_RD", "VBD_WR", "VBD_RSECT", "VBD_WSECT");
	put_line(out, &lines, width, height, line);
	for (i = 0; i < t->rows->len; i++) {
		const struct xlite_top_row *r = &g_array_index(t->rows, struct xlite_top_row, i);
		char pct[16], mn[24], tg[24], mx[24];

		if (r->cpu_pct < 0)
			g_strlcpy(pct, "-", sizeof(pct));
		else
			g_snprintf(pct, sizeof(pct), "%.1f", r->cpu_pct);
		mib(mn, sizeof(mn), r->mem_known, r->min_kib);
		mib(tg, sizeof(tg), r->mem_known, r->target_kib);
		mib(mx, sizeof(mx), true, r->max_kib);
		g_free(line);
		/* NETTX is what the guest sent: its vif's rx in dom0 (as xentop) */
		line = g_strdup_printf("%-16s %5u %6s %9" PRIu64 " %6s %7s %9s %9" PRIu64 " %7s "
				       "%5u %4u %9" PRIu64 " %9" PRIu64 " %4u %8" PRIu64 " %8" PRIu64
				       " %10" PRIu64 " %10" PRIu64, r->name, r->domid, r->state,
				       (uint64_t)(r->cpu_ns / 1000000000u), pct, mn, tg,
				       r->actual_kib / 1024, mx, r->vcpus, r->io.vifs,
				       r->io.rx_bytes / 1024, r->io.tx_bytes / 1024, r->io.vbds,
				       r->io.rd_req, r->io.wr_req, r->io.rd_sect, r->io.wr_sect);
		put_line(out, &lines, width, height, line);
	}
}
