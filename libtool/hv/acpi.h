/* ACPI tables of a PVH guest: what libxl's libacpi gives one, reduced to
 * what Linux needs to find its vCPUs and run without legacy hardware (a
 * PVH container emulates only the local APIC): RSDP -> XSDT -> FADT
 * (hardware-reduced ACPI, no VGA, no CMOS RTC, an empty DSDT) and MADT (a
 * local APIC per vCPU, APIC id 2 * vCPU as Xen numbers them). Without
 * them Linux finds no RSDP and stops early in its boot (seen in the lab).
 * Pure: the build (xen-build.c) copies them into the guest, the RSDP at
 * XLITE_PVH_ACPI_BASE (the start info's rsdp_paddr), the tables in the
 * page after, both in the e820's ACPI area. */
#ifndef XLITE_HV_ACPI_H
#define XLITE_HV_ACPI_H

#include <stddef.h>
#include <stdint.h>

#define XLITE_PVH_ACPI_BASE 0xfc000000ULL	/* libacpi's ACPI_INFO_PHYSICAL_ADDRESS */
#define XLITE_PVH_ACPI_TABLES (XLITE_PVH_ACPI_BASE + 4096)
#define XLITE_PVH_ACPI_SIZE (2 * 4096)		/* both pages */
#define XLITE_PVH_ACPI_MAX_VCPUS 128		/* APIC ids 2 * vCPU fit a byte */

struct xlite_pvh_acpi {
	uint8_t rsdp[36];
	uint8_t tables[4096];	/* XSDT, FADT, DSDT, MADT, in this order */
	size_t len;		/* bytes of TABLES used */
};

/* Fills A for MAX_VCPUS vCPUs: 0, or -EINVAL when MAX_VCPUS is 0 or
 * above XLITE_PVH_ACPI_MAX_VCPUS. */
int xlite_pvh_acpi_build(struct xlite_pvh_acpi *a, unsigned int max_vcpus);

#endif
