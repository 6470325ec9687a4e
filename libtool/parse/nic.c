/* The parts of a nic that xl's vif words and libvirt's <interface> share:
 * the hotplug script xlite stands in for, netback's rate limit, and the
 * lifetime of a nic's strings. Pure. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/util/number.h"

void xlite_nic_copy(struct xlite_nic *dst, const struct xlite_nic *src)
{
	*dst = *src;
	dst->bridge = g_strdup(src->bridge);
	dst->ifname = g_strdup(src->ifname);
	dst->ips = src->ips ? g_strdupv(src->ips) : NULL;
}

void xlite_nic_dispose(struct xlite_nic *nic)
{
	g_free(nic->bridge);
	g_free(nic->ifname);
	g_strfreev(nic->ips);
	nic->bridge = nic->ifname = NULL;
	nic->ips = NULL;
}

int xlite_nic_script_parse(const char *path, bool *routed)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (strcmp(base, "vif-bridge") == 0) {
		*routed = false;
		return 0;
	}
	if (strcmp(base, "vif-route") == 0) {
		*routed = true;
		return 0;
	}
	return -EINVAL;
}

/* DIGITS then SUFFIX: the number (1..UINT32_MAX, as libxl's strtoull
 * check) and where the suffix starts. */
static int leading_number(const char *s, uint64_t *n, const char **rest)
{
	size_t len = strspn(s, "0123456789");
	g_autofree char *digits = g_strndup(s, len);

	*rest = s + len;
	if (len == 0)
		return -EINVAL;
	return xlite_number_parse(digits, 1, UINT32_MAX, n) < 0 ? -ERANGE : 0;
}

/* "N[GMK](B|b)/s": bytes per second (b: bits, divided by 8). */
static int rate_bytes(const char *s, uint64_t *bps, const char **why)
{
	const char *p;
	uint64_t n;
	int rc = leading_number(s, &n, &p);

	if (rc == -EINVAL) {
		*why = "invalid rate, expected e.g. 10Mb/s or 2MB/s";
		return -EINVAL;
	}
	/* the suffix decides whether it is well-formed at all, as xl's regex */
	if (!((p[0] == 'G' || p[0] == 'M' || p[0] == 'K') ?
	      (strcmp(p + 1, "B/s") == 0 || strcmp(p + 1, "b/s") == 0) :
	      (strcmp(p, "B/s") == 0 || strcmp(p, "b/s") == 0))) {
		*why = "invalid rate unit, expected B/s, b/s, KB/s, Kb/s, MB/s, Mb/s, GB/s or Gb/s";
		return -EINVAL;
	}
	if (rc < 0) {
		*why = "rate out of range, expected 1 to 4294967295 units";
		return -ERANGE;
	}
	if (p[0] == 'G')
		n *= 1000ULL * 1000 * 1000;
	else if (p[0] == 'M')
		n *= 1000ULL * 1000;
	else if (p[0] == 'K')
		n *= 1000ULL;
	if (p[0] == 'b' || p[1] == 'b')
		n /= 8;
	*bps = n;
	return 0;
}

/* "N[mu]s" or "N" (seconds): the replenishment interval in microseconds. */
static int rate_interval(const char *s, uint32_t *usecs, const char **why)
{
	const char *p;
	uint64_t n;
	int rc = leading_number(s, &n, &p);

	if (rc == -EINVAL || !(strcmp(p, "") == 0 || strcmp(p, "s") == 0 ||
			       strcmp(p, "ms") == 0 || strcmp(p, "us") == 0 ||
			       strcmp(p, "m") == 0 || strcmp(p, "u") == 0)) {
		*why = "invalid replenishment interval, expected e.g. 50ms, 1s or 500us";
		return -EINVAL;
	}
	if (rc == 0 && (p[0] == 's' || p[0] == '\0'))
		n *= 1000ULL * 1000;
	else if (rc == 0 && p[0] == 'm')
		n *= 1000ULL;
	if (rc < 0 || n > UINT32_MAX) {
		*why = "replenishment interval out of range, expected 1us to 4294 s";
		return -ERANGE;
	}
	*usecs = (uint32_t)n;
	return 0;
}

int xlite_nic_rate_parse(const char *s, uint64_t *bytes, uint32_t *usecs,
			 const char **why)
{
	g_autofree char *rate = g_strdup(s);
	char *at = strchr(rate, '@');
	uint32_t interval = 50000;	/* libxl's default: 50 ms */
	uint64_t bps = 0;
	int rc;

	if (at)
		*at++ = '\0';
	if (!*rate) {
		*why = "no rate given, expected e.g. rate=10Mb/s or rate=10Mb/s@50ms";
		return -EINVAL;
	}
	rc = rate_bytes(rate, &bps, why);
	if (rc == 0 && at)
		rc = rate_interval(at, &interval, why);
	if (rc < 0)
		return rc;
	if (bps > UINT64_MAX / interval) {
		*why = "rate times interval overflows, expected a smaller rate or interval";
		return -ERANGE;
	}
	*bytes = bps * interval / 1000000u;
	*usecs = interval;
	return 0;
}

/* An address for ip= / <ip address>: IPv4 or IPv6, optionally /PREFIX. */
bool xlite_nic_ip_valid(const char *ip)
{
	g_autofree char *addr = g_strdup(ip);
	char *slash = strchr(addr, '/');
	unsigned char buf[sizeof(struct in6_addr)];
	uint64_t prefix;
	int family;

	if (slash)
		*slash++ = '\0';
	family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, addr, buf) != 1)
		return false;
	return !slash || xlite_number_parse(slash, 0, family == AF_INET ? 32 : 128, &prefix) == 0;
}

