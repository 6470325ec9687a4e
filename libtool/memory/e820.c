/* A PV guest's memory map from the host's E820, as libxl's e820_host
 * makes it (tools/libs/light/libxl_x86.c: e820_sanitize,
 * libxl__e820_alloc). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "libtool/memory/e820.h"
#include "libtool/util/fail.h"

#define MIB1 0x100000ULL
#define GIB4 (1ULL << 32)
#define DROPPED 0u	/* libxl's type 0: an entry left out */

static uint64_t end_of(const struct xlite_e820 *e)
{
	return e->addr + e->size;
}

static bool overlaps(uint64_t addr, uint64_t size, const struct xlite_e820 *e)
{
	return addr < end_of(e) && e->addr < addr + size;
}

/* The balloon room: libxl means it above both 4 GiB and the host's
 * highest range, but computes that "highest" as a truth value (a > b
 * where it wants a), so in effect it is at 4 GiB, over whatever is
 * there. Here: at 4 GiB, moved past any range of the map it would
 * overlap (the first place libxl would be right). */
static uint64_t balloon_addr(const struct xlite_e820 *map, unsigned int n, uint64_t size)
{
	uint64_t addr = GIB4;
	unsigned int pass, i;
	bool moved = true;

	for (pass = 0; moved && pass <= n; pass++) {
		moved = false;
		for (i = 0; i < n; i++)
			if (overlaps(addr, size, &map[i])) {
				addr = end_of(&map[i]);
				moved = true;
			}
	}
	return addr;
}

int xlite_e820_sanitize(const struct xlite_e820 *host, unsigned int n_host, uint64_t ram_kib,
			uint64_t balloon_kib, struct xlite_e820 *out, unsigned int *n_out,
			char **err)
{
	struct xlite_e820 src[XLITE_E820_MAX];
	uint64_t start = UINT64_MAX, start_kb = 0, delta_kb = 0, ram_end;
	unsigned int i, idx = 0;

	*n_out = 0;
	if (n_host == 0 || ram_kib == 0 || ram_kib > (UINT64_MAX >> 11) ||
	    balloon_kib > (UINT64_MAX >> 11))
		return xlite_fail(err, -EINVAL, "the host's memory map has %u entries, the "
				  "guest %" PRIu64 " KiB: nothing to make a map from",
				  n_host, ram_kib);
	/* at most three entries are added: the RAM, the gap, the balloon */
	if (n_host > XLITE_E820_MAX - 3)
		return xlite_fail(err, -E2BIG, "the host's memory map has %u entries, more "
				  "than %d", n_host, XLITE_E820_MAX - 3);
	memcpy(src, host, n_host * sizeof(src[0]));

	/* Nothing under 1 MiB, nor a range that wraps around. */
	for (i = 0; i < n_host; i++)
		if (src[i].addr <= MIB1 || src[i].size == 0 ||
		    src[i].addr + src[i].size < src[i].addr)
			src[i].type = DROPPED;
	/* The lowest range the guest's RAM must stay below. */
	for (i = 0; i < n_host; i++)
		if (src[i].type != XLITE_E820_RAM && src[i].type != XLITE_E820_UNUSABLE &&
		    src[i].type != DROPPED && src[i].addr < start)
			start = src[i].addr;
	if (start != UINT64_MAX && start > 1024)
		start_kb = start >> 10;

	out[idx].addr = 0;
	out[idx].size = ram_kib << 10;
	out[idx].type = XLITE_E820_RAM;
	if (start_kb && ram_kib > start_kb) {
		delta_kb = ram_kib - start_kb;
		out[idx].size -= delta_kb << 10;
	}
	ram_end = out[idx].size;
	idx++;

	/* The host's RAM below 4 GiB above the guest's becomes unusable: a
	 * gap would be taken for PCI space (Linux 2f14ddc3a714, "xen/setup:
	 * Inhibit resource API from using System RAM E820 gaps as PCI mem
	 * gaps"). */
	for (i = 0; i < n_host; i++) {
		uint64_t end = end_of(&src[i]);

		if (src[i].type == DROPPED)
			continue;
		if (src[i].type == XLITE_E820_UNUSABLE || end < ram_end) {
			src[i].type = DROPPED;
			continue;
		}
		if (src[i].type != XLITE_E820_RAM || src[i].addr >= GIB4)
			continue;
		if (src[i].addr < ram_end) {
			uint64_t cut = ram_end - src[i].addr;

			src[i].size -= cut;	/* end >= ram_end: size >= cut */
			src[i].addr = ram_end;
		}
		src[i].type = src[i].size ? XLITE_E820_UNUSABLE : DROPPED;
	}
	/* Between the guest's RAM and the host's first range: unusable too. */
	if (start != UINT64_MAX && start > ram_end) {
		bool have = false;

		for (i = 0; i < n_host && !have; i++) {
			if (src[i].type != XLITE_E820_UNUSABLE || src[i].addr != ram_end)
				continue;
			if (end_of(&src[i]) != start)
				src[i].size = start - src[i].addr;
			have = true;
		}
		if (!have) {
			out[idx].addr = ram_end;
			out[idx].size = start - ram_end;
			out[idx++].type = XLITE_E820_UNUSABLE;
		}
	}
	for (i = 0; i < n_host; i++)
		if (src[i].type != XLITE_E820_RAM && src[i].type != DROPPED)
			out[idx++] = src[i];
	/* What was cut from the RAM, and the balloon's room, above 4 GiB. */
	if (balloon_kib || delta_kb) {
		uint64_t size = (delta_kb + balloon_kib) << 10;

		out[idx].addr = balloon_addr(out, idx, size);
		out[idx].size = size;
		out[idx++].type = XLITE_E820_RAM;
	}
	*n_out = idx;
	return 0;
}

int xlite_e820_host_apply(struct xlite_hv *hv, uint32_t domid, uint64_t target_kib,
			  uint64_t max_kib, char **err)
{
	struct xlite_e820 host[XLITE_E820_MAX], map[XLITE_E820_MAX];
	unsigned int n_host = 0, n = 0;
	int rc;

	if (target_kib > max_kib)
		return xlite_fail(err, -EINVAL, "e820_host: target %" PRIu64 " KiB above the "
				  "maximum %" PRIu64 " KiB", target_kib, max_kib);
	rc = hv->ops->machine_memory_map(hv, host, XLITE_E820_MAX, &n_host);
	if (rc < 0)
		return xlite_fail(err, rc, "e820_host: reading the host's memory map: %s",
				  xlite_hv_error(hv));
	/* libxl: slack_memkb, 0 for a PV guest, adds nothing */
	rc = xlite_e820_sanitize(host, n_host, target_kib, max_kib - target_kib, map, &n, err);
	if (rc < 0)
		return rc;
	rc = hv->ops->domain_memory_map(hv, domid, map, n);
	if (rc < 0)
		return xlite_fail(err, rc, "e820_host: giving domain %u the host's memory map: %s",
				  domid, xlite_hv_error(hv));
	return 0;
}
