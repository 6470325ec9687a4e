/* pv-drivers linux-user platform: /proc/meminfo. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "pv-drivers/platform/linux-user/meminfo.h"

/* The value of "KEY:   N kB" in TEXT; false when absent or malformed. */
static bool field(const char *text, const char *key, uint64_t *out)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (line != NULL && *line != '\0') {
		const char *nl = strchr(line, '\n');
		size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);

		if (len > klen && strncmp(line, key, klen) == 0 && line[klen] == ':') {
			char num[24];
			const char *p = line + klen + 1, *end = line + len;
			size_t n = 0;

			while (p < end && *p == ' ')
				p++;
			while (p < end && *p >= '0' && *p <= '9' && n < sizeof(num) - 1)
				num[n++] = *p++;
			num[n] = '\0';
			if (n == 0 || pvd_parse_u64(num, UINT64_MAX / 1024, out) < 0)
				return false;
			while (p < end && *p == ' ')
				p++;
			/* "kB" or nothing (HugePages_* counts have no unit) */
			return end - p == 0 || (end - p == 2 && strncmp(p, "kB", 2) == 0);
		}
		line = nl != NULL ? nl + 1 : NULL;
	}
	return false;
}

int pvd_meminfo_parse(const char *text, struct pvd_meminfo *m, struct pvd_err *e)
{
	memset(m, 0, sizeof(*m));
	if (!field(text, "MemTotal", &m->total_kib) || m->total_kib == 0)
		return pvd_fail(e, -EINVAL, "meminfo: no usable MemTotal line");
	if (!field(text, "MemFree", &m->free_kib))
		return pvd_fail(e, -EINVAL, "meminfo: no usable MemFree line");
	if (!field(text, "MemAvailable", &m->available_kib))
		m->available_kib = m->free_kib;
	if (!field(text, "SwapTotal", &m->swap_total_kib))
		m->swap_total_kib = 0;
	if (!field(text, "SwapFree", &m->swap_free_kib))
		m->swap_free_kib = 0;
	if (m->free_kib > m->total_kib || m->available_kib > m->total_kib ||
	    m->swap_free_kib > m->swap_total_kib)
		return pvd_fail(e, -EINVAL, "meminfo: free or available memory above "
				"the total");
	return 0;
}

int pvd_meminfo_read(const char *path, struct pvd_meminfo *m, struct pvd_err *e)
{
	char buf[8192];
	size_t len = 0;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pvd_fail(e, -errno, "cannot open %s: %s", path, strerror(errno));
	while (len < sizeof(buf) - 1) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = pvd_fail(e, -errno, "reading %s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	r = pvd_meminfo_parse(buf, m, e);
out:
	close(fd);
	return r;
}
