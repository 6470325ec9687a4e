/* A PVH guest's ACPI tables: what Linux reads to find its vCPUs, checked
 * as an ACPI parser would (signatures, lengths, checksums, pointers). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "libtool/hv/acpi.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static unsigned int sum(const uint8_t *p, size_t n)
{
	unsigned int s = 0;

	while (n--)
		s += *p++;
	return s & 0xff;
}

/* The table at guest address ADDR, its signature and checksum checked. */
static const uint8_t *table(const struct xlite_pvh_acpi *a, uint64_t addr, const char *sig)
{
	const uint8_t *t;

	g_assert_cmpuint(addr, >=, XLITE_PVH_ACPI_TABLES);
	g_assert_cmpuint(addr - XLITE_PVH_ACPI_TABLES + 36, <=, a->len);
	t = a->tables + (addr - XLITE_PVH_ACPI_TABLES);
	g_assert_cmpmem(t, 4, sig, 4);
	g_assert_cmpuint(addr - XLITE_PVH_ACPI_TABLES + get32(t + 4), <=, a->len);
	g_assert_cmpuint(sum(t, get32(t + 4)), ==, 0);
	return t;
}

static void test_tables_chain_from_the_rsdp(void)
{
	struct xlite_pvh_acpi a;
	const uint8_t *xsdt, *fadt, *madt, *dsdt;
	unsigned int i;

	g_assert_cmpint(xlite_pvh_acpi_build(&a, 3), ==, 0);
	g_assert_cmpmem(a.rsdp, 8, "RSD PTR ", 8);
	g_assert_cmpuint(a.rsdp[15], ==, 2);			/* ACPI 2.0+: an XSDT */
	g_assert_cmpuint(sum(a.rsdp, 20), ==, 0);
	g_assert_cmpuint(sum(a.rsdp, sizeof(a.rsdp)), ==, 0);
	g_assert_cmpuint(get32(a.rsdp + 20), ==, sizeof(a.rsdp));

	xsdt = table(&a, get64(a.rsdp + 24), "XSDT");
	g_assert_cmpuint(get32(xsdt + 4), ==, 36 + 2 * 8);
	fadt = table(&a, get64(xsdt + 36), "FACP");
	madt = table(&a, get64(xsdt + 44), "APIC");

	/* Hardware-reduced ACPI: no PM timer, PIC or RTC is looked for. */
	g_assert_cmpuint(get32(fadt + 4), ==, 268);
	g_assert_cmpuint(get32(fadt + 112) & (1u << 20), !=, 0);
	g_assert_cmpuint(fadt[109] & (1u << 5), !=, 0);	/* no CMOS RTC */
	dsdt = table(&a, get64(fadt + 140), "DSDT");
	g_assert_cmpuint(get32(fadt + 40), ==, get64(fadt + 140));
	g_assert_cmpuint(get32(dsdt + 4), ==, 36);

	/* One enabled local APIC per vCPU, APIC id 2 * vCPU. */
	g_assert_cmpuint(get32(madt + 4), ==, 44 + 3 * 8);
	g_assert_cmpuint(get32(madt + 36), ==, 0xfee00000u);
	for (i = 0; i < 3; i++) {
		const uint8_t *e = madt + 44 + 8 * i;

		g_assert_cmpuint(e[0], ==, 0);
		g_assert_cmpuint(e[1], ==, 8);
		g_assert_cmpuint(e[2], ==, i);
		g_assert_cmpuint(e[3], ==, 2 * i);
		g_assert_cmpuint(get32(e + 4), ==, 1);
	}
}

static void test_vcpu_counts_out_of_range_are_refused(void)
{
	struct xlite_pvh_acpi a;

	g_assert_cmpint(xlite_pvh_acpi_build(&a, 0), ==, -EINVAL);
	g_assert_cmpint(xlite_pvh_acpi_build(&a, XLITE_PVH_ACPI_MAX_VCPUS + 1), ==, -EINVAL);
	g_assert_cmpint(xlite_pvh_acpi_build(&a, XLITE_PVH_ACPI_MAX_VCPUS), ==, 0);
	g_assert_cmpuint(a.len, <=, sizeof(a.tables));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/hv/pvh-acpi/tables-chain-from-the-rsdp", test_tables_chain_from_the_rsdp);
	g_test_add_func("/hv/pvh-acpi/vcpu-counts-out-of-range-are-refused",
			test_vcpu_counts_out_of_range_are_refused);
	return g_test_run();
}
