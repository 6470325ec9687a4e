/* ACPI tables of a PVH guest (acpi.h), written byte by byte, little
 * endian, as the ACPI 5.0 specification lays them out. */
#include <errno.h>
#include <string.h>

#include "libtool/hv/acpi.h"

#define SDT_HDR 36
#define FADT_LEN 268			/* ACPI 5.0 */
#define MADT_LEN(n) (SDT_HDR + 8 + 8 * (n))
#define XSDT_LEN (SDT_HDR + 2 * 8)
#define FADT_HW_REDUCED_ACPI (1u << 20)
#define FADT_WBINVD (1u << 0)
#define FADT_PROC_C1 (1u << 2)
#define BOOT_ARCH_NO_VGA (1u << 2)
#define BOOT_ARCH_NO_CMOS_RTC (1u << 5)

static void put16(uint8_t *p, uint16_t v) { p[0] = v & 0xff; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, v >> 32); }

static uint8_t checksum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	while (n--)
		sum += *p++;
	return (uint8_t)(0x100 - sum);
}

static void sdt_header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "XLITE ", 6);
	memcpy(t + 16, "XLITEPVH", 8);
	put32(t + 24, 1);
	memcpy(t + 28, "XLTE", 4);
	put32(t + 32, 1);
}

int xlite_pvh_acpi_build(struct xlite_pvh_acpi *a, unsigned int max_vcpus)
{
	size_t xsdt = 0, fadt = XSDT_LEN, dsdt = fadt + FADT_LEN, madt = dsdt + SDT_HDR;
	uint8_t *t = a->tables;
	unsigned int i;

	memset(a, 0, sizeof(*a));
	if (max_vcpus == 0 || max_vcpus > XLITE_PVH_ACPI_MAX_VCPUS ||
	    madt + MADT_LEN(max_vcpus) > sizeof(a->tables))
		return -EINVAL;
	a->len = madt + MADT_LEN(max_vcpus);

	sdt_header(t + dsdt, "DSDT", SDT_HDR, 2);

	sdt_header(t + fadt, "FACP", FADT_LEN, 5);
	put32(t + fadt + 40, (uint32_t)(XLITE_PVH_ACPI_TABLES + dsdt));
	put16(t + fadt + 109, BOOT_ARCH_NO_VGA | BOOT_ARCH_NO_CMOS_RTC);
	put32(t + fadt + 112, FADT_WBINVD | FADT_PROC_C1 | FADT_HW_REDUCED_ACPI);
	put64(t + fadt + 140, XLITE_PVH_ACPI_TABLES + dsdt);

	sdt_header(t + madt, "APIC", (uint32_t)MADT_LEN(max_vcpus), 3);
	put32(t + madt + 36, 0xfee00000u);	/* local APIC address; no PC-AT PICs */
	for (i = 0; i < max_vcpus; i++) {
		uint8_t *e = t + madt + SDT_HDR + 8 + 8 * i;

		e[0] = 0;		/* processor local APIC */
		e[1] = 8;
		e[2] = (uint8_t)i;	/* ACPI processor UID */
		e[3] = (uint8_t)(2 * i);
		put32(e + 4, 1);	/* enabled */
	}

	sdt_header(t + xsdt, "XSDT", XSDT_LEN, 1);
	put64(t + xsdt + SDT_HDR, XLITE_PVH_ACPI_TABLES + fadt);
	put64(t + xsdt + SDT_HDR + 8, XLITE_PVH_ACPI_TABLES + madt);

	t[dsdt + 9] = checksum(t + dsdt, SDT_HDR);
	t[fadt + 9] = checksum(t + fadt, FADT_LEN);
	t[madt + 9] = checksum(t + madt, MADT_LEN(max_vcpus));
	t[xsdt + 9] = checksum(t + xsdt, XSDT_LEN);

	memcpy(a->rsdp, "RSD PTR ", 8);
	memcpy(a->rsdp + 9, "XLITE ", 6);
	a->rsdp[15] = 2;
	put32(a->rsdp + 20, sizeof(a->rsdp));
	put64(a->rsdp + 24, XLITE_PVH_ACPI_TABLES + xsdt);
	a->rsdp[8] = checksum(a->rsdp, 20);
	a->rsdp[32] = checksum(a->rsdp, sizeof(a->rsdp));
	return 0;
}
