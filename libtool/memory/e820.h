/* A PV guest's memory map from the host's E820 (libxl's e820_host). */
#ifndef XLITE_MEMORY_E820_H
#define XLITE_MEMORY_E820_H

#include <stdint.h>

#include "libtool/hv/hv.h"

/* libxl's e820_sanitize, pure: from the host's map HOST (N_HOST entries),
 * the guest's: RAM from 0 up to RAM_KIB, cut below the host's lowest
 * reserved (or ACPI, NVS, ...) range above 1 MiB; the host's RAM between
 * the guest's and 4 GiB as unusable (so the guest never takes that gap
 * for PCI space); the host's non-RAM ranges above 1 MiB; and above 4 GiB
 * (past any range it would overlap) RAM for what was cut plus BALLOON_KIB,
 * the room the guest may balloon up into. OUT holds XLITE_E820_MAX
 * entries; *N_OUT gets their number. 0, or -EINVAL/-E2BIG with *err. */
int xlite_e820_sanitize(const struct xlite_e820 *host, unsigned int n_host, uint64_t ram_kib,
			uint64_t balloon_kib, struct xlite_e820 *out, unsigned int *n_out,
			char **err);

/* libxl__e820_alloc: the host's E820 through xlite_e820_sanitize, for a
 * PV domain of TARGET_KIB at boot and MAX_KIB at most, given to DOMID as
 * its memory map. Before the build. */
int xlite_e820_host_apply(struct xlite_hv *hv, uint32_t domid, uint64_t target_kib,
			  uint64_t max_kib, char **err);

#endif
