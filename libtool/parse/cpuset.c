/* CPU sets as libvirt and xl write them ("0-3,^2,6"), as a bitmap in
 * the byte layout Xen's cpumaps use (bit N of byte N / 8). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/util/number.h"

/* A CPU number below XLITE_MAX_PCPUS; *S moves past its digits. */
static int cpu_number(const char **s, unsigned int *out)
{
	const char *end = *s;
	g_autofree char *digits = NULL;
	uint64_t v;
	int rc;

	while (g_ascii_isdigit(*end))
		end++;
	digits = g_strndup(*s, (gsize)(end - *s));
	rc = xlite_number_parse(digits, 0, XLITE_MAX_PCPUS - 1, &v);
	if (rc < 0)
		return rc;
	*s = end;
	*out = (unsigned int)v;
	return 0;
}

int xlite_cpuset_parse(const char *s, struct xlite_cpuset *set)
{
	struct xlite_cpuset r;
	bool any = false;

	memset(&r, 0, sizeof(r));
	if (!s || !*s)
		return -EINVAL;
	for (;;) {
		bool neg = false;
		unsigned int lo, hi, i;
		int rc;

		if (*s == '^') {
			neg = true;
			s++;
		}
		rc = cpu_number(&s, &lo);
		if (rc < 0)
			return rc;
		hi = lo;
		if (*s == '-' && !neg) {
			s++;
			rc = cpu_number(&s, &hi);
			if (rc < 0)
				return rc;
			if (hi < lo)
				return -EINVAL;
		}
		for (i = lo; i <= hi; i++) {
			if (neg)
				r.map[i / 8] &= (uint8_t)~(1u << (i % 8));
			else
				r.map[i / 8] |= (uint8_t)(1u << (i % 8));
		}
		any = any || !neg;
		if (*s == '\0')
			break;
		if (*s != ',')
			return -EINVAL;
		s++;
	}
	if (!any || xlite_cpuset_count(&r) == 0)
		return -EINVAL;	/* a set with no CPU pins to nothing */
	*set = r;
	return 0;
}

bool xlite_cpuset_has(const struct xlite_cpuset *set, unsigned int cpu)
{
	return cpu < XLITE_MAX_PCPUS && (set->map[cpu / 8] >> (cpu % 8)) & 1;
}

unsigned int xlite_cpuset_count(const struct xlite_cpuset *set)
{
	unsigned int i, n = 0;

	for (i = 0; i < XLITE_MAX_PCPUS; i++)
		n += xlite_cpuset_has(set, i);
	return n;
}

char *xlite_cpuset_format(const struct xlite_cpuset *set, unsigned int nr_cpus)
{
	GString *out = g_string_new(NULL);
	unsigned int i = 0, limit = nr_cpus && nr_cpus < XLITE_MAX_PCPUS ? nr_cpus : XLITE_MAX_PCPUS;
	bool all = nr_cpus > 0;

	for (i = 0; i < limit && all; i++)
		all = xlite_cpuset_has(set, i);
	if (all) {
		g_string_free(out, TRUE);
		return g_strdup("all");
	}
	for (i = 0; i < limit; i++) {
		unsigned int j = i;

		if (!xlite_cpuset_has(set, i))
			continue;
		while (j + 1 < limit && xlite_cpuset_has(set, j + 1))
			j++;
		if (out->len)
			g_string_append_c(out, ',');
		if (j == i)
			g_string_append_printf(out, "%u", i);
		else
			g_string_append_printf(out, "%u-%u", i, j);
		i = j;
	}
	if (!out->len)
		g_string_append(out, "none");
	return g_string_free(out, FALSE);
}
