/* Counters of a domain's backends (blkback's vbd statistics, netback's
 * vifs in dom0) and the rates made of two readings: what xlited's sampler
 * and `xlite top` show. Reads sysfs only. */
#include <string.h>

#include <glib.h>

#include "libtool/report/report.h"

double xlite_rate(uint64_t prev, uint64_t now, double dt_s)
{
	if (!(dt_s > 0) || now < prev)
		return -1;
	return (double)(now - prev) / dt_s;
}

double xlite_cpu_pct(uint64_t prev_ns, uint64_t now_ns, double dt_s)
{
	double r = xlite_rate(prev_ns, now_ns, dt_s);

	return r < 0 ? -1 : r / 1e9 * 100.0;
}

static uint64_t read_counter(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *text = NULL;
	guint64 v;

	if (!g_file_get_contents(path, &text, NULL, NULL) ||
	    !g_ascii_string_to_unsigned(g_strstrip(text), 10, 0, G_MAXUINT64, &v, NULL))
		return 0;
	return v;
}

/* Whether NAME is PREFIX followed by digits only. */
static bool name_is(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(name, prefix, n) != 0 || !name[n])
		return false;
	return strspn(name + n, "0123456789") == strlen(name + n);
}

/* Adds the four counters NAMES of each DIR/ENTRY/statistics whose ENTRY
 * is PREFIX and digits to FIELDS; the number of such entries. */
static unsigned int sum_stats(const char *dir, const char *prefix, const char *const names[4],
			      uint64_t *const fields[4])
{
	GDir *d = g_dir_open(dir, 0, NULL);
	unsigned int n = 0;
	const char *e;
	int i;

	while (d && (e = g_dir_read_name(d))) {
		g_autofree char *st = NULL;

		if (!name_is(e, prefix))
			continue;
		st = g_build_filename(dir, e, "statistics", NULL);
		for (i = 0; i < 4; i++)
			*fields[i] += read_counter(st, names[i]);
		n++;
	}
	if (d)
		g_dir_close(d);
	return n;
}

void xlite_io_read(const char *sysroot, uint32_t domid, struct xlite_io *io)
{
	static const char *const vbd_names[4] = { "rd_req", "wr_req", "rd_sect", "wr_sect" };
	static const char *const vif_names[4] = { "rx_bytes", "tx_bytes", "rx_packets",
						  "tx_packets" };
	uint64_t *const vbd_fields[4] = { &io->rd_req, &io->wr_req, &io->rd_sect, &io->wr_sect };
	uint64_t *const vif_fields[4] = { &io->rx_bytes, &io->tx_bytes, &io->rx_packets,
					  &io->tx_packets };
	g_autofree char *vbd_dir = g_strdup_printf("%s/sys/bus/xen-backend/devices", sysroot);
	g_autofree char *net_dir = g_strdup_printf("%s/sys/class/net", sysroot);
	g_autofree char *vbd_prefix = g_strdup_printf("vbd-%u-", domid);
	g_autofree char *vif_prefix = g_strdup_printf("vif%u.", domid);

	memset(io, 0, sizeof(*io));
	io->vbds = sum_stats(vbd_dir, vbd_prefix, vbd_names, vbd_fields);
	io->vifs = sum_stats(net_dir, vif_prefix, vif_names, vif_fields);
}
