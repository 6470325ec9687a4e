/* The PV and PVH image builds through libxenguest (the xc_dom_* sequences
 * of libxl's libxl__build_pv and libxl__build_hvm, and of
 * init-xenstore-domain), with the decompressed-kernel cache in front. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "libtool/hv/xen.h"

#include <xenguest.h>	/* after xenctrl.h, which it needs */
#include <xen/hvm/params.h>

#include "libtool/apply/kcache.h"
#include "libtool/hv/acpi.h"

static struct xlite_hv_xen *xen_of(struct xlite_hv *hv)
{
	return hv->priv;
}

struct kernel_choice {
	char key[XLITE_KCACHE_KEY_LEN + 1];
	bool keyed;		/* key computed: a miss may be stored */
	bool is_elf;		/* the file is an ELF already: nothing to store */
	char *cached;		/* path of the cached ELF on a hit */
};

static bool is_elf_file(const char *path)
{
	unsigned char magic[4];
	bool elf = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		elf = read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
		      memcmp(magic, "\177ELF", 4) == 0;
		close(fd);
	}
	return elf;
}

static void choose_kernel(struct xlite_hv_build *b, struct kernel_choice *k)
{
	char *err = NULL;

	memset(k, 0, sizeof(*k));
	if (!b->kcache_dir || is_elf_file(b->kernel))
		return;		/* an ELF needs no decompression: nothing to cache */
	/* A cache that cannot be read only costs speed, never the create. */
	if (xlite_kcache_key_memo(b->kcache_dir, b->kernel, k->key, &k->is_elf, &err) < 0) {
		g_free(err);
		return;
	}
	k->keyed = true;
	if (!k->is_elf)
		k->cached = xlite_kcache_lookup(b->kcache_dir, k->key, b->kcache_max);
}

/* After xc_dom_parse_image the bzImage loader has replaced kernel_blob
 * with the decompressed ELF: keep it for the next create. */
static void maybe_store(struct xlite_hv_build *b, struct kernel_choice *k,
			struct xc_dom_image *dom)
{
	char *err = NULL;

	if (!k->keyed || k->is_elf || k->cached || !dom->kernel_blob)
		return;
	if (!xlite_kcache_elf_valid(dom->kernel_blob, dom->kernel_size))
		return;
	if (xlite_kcache_store(b->kcache_dir, k->key, dom->kernel_blob, dom->kernel_size,
			       b->kcache_max, &err) < 0)
		g_free(err);
}

/* With XLITE_DEBUG, how long each step took (where a create's build time
 * goes: xlite create -v gives only the total). */
static void step_time(const struct xlite_hv_xen *x, const char *what, gint64 *t)
{
	gint64 now = g_get_monotonic_time();

	if (x->log.verbose)
		fprintf(stderr, "xlite: build: %s %.1f ms\n", what, (double)(now - *t) / 1000.0);
	*t = now;
}

#define DOM_STEP(call, what)                                     \
	do {                                                     \
		if ((call) != 0) {                               \
			rc = xlite_hv_xen_fail(hv, errno, what); \
			goto out;                                \
		}                                                \
		step_time(x, what, &t_step);                     \
	} while (0)

/* The lowest address of the MMIO hole below 4 GiB of a PVH guest, as
 * libxl places it with no device model: below the HVM special pages
 * (X86_HVM_END_SPECIAL_REGION), the local APIC (0xfee00000) and where
 * ACPI tables would go (libacpi's ACPI_INFO_PHYSICAL_ADDRESS, 0xfc000000). */
#define PVH_MMIO_START 0xfc000000ULL
#define GIB4 (1ULL << 32)

/* Memory layout of an HVM container without a device model (libxl's
 * libxl__build_hvm): RAM from 0 up to the hole, the rest above 4 GiB; all
 * of MAX_KIB is the guest's, TARGET_KIB of it populated at boot. Below its
 * maximum libxenguest starts the guest in populate-on-demand mode
 * (meminit_hvm: xc_domain_set_pod_target, then the rest of the RAM marked
 * PoD), and its balloon driver gives back what is above the target. */
static void pvh_layout(struct xc_dom_image *dom, uint64_t max_kib, uint64_t target_kib)
{
	uint64_t mem = max_kib << 10;

	dom->container_type = XC_DOM_HVM_CONTAINER;
	dom->device_model = false;
	dom->target_pages = (target_kib << 10) >> XC_PAGE_SHIFT;
	dom->mmio_start = PVH_MMIO_START;
	dom->mmio_size = GIB4 - PVH_MMIO_START;
	dom->lowmem_end = mem < PVH_MMIO_START ? mem : PVH_MMIO_START;
	dom->highmem_end = mem > PVH_MMIO_START ? GIB4 + (mem - PVH_MMIO_START) : 0;
	dom->vga_hole_size = 0;
}

/* The guest's e820 (libxl's domain_construct_memmap): low RAM, the
 * special pages (xenstore and console rings, ...) reserved, the ACPI
 * area, high RAM. libxenguest copies it into the PVH start info. */
#define PVH_E820_MAX 4
static int pvh_memory_map(struct xlite_hv *hv, uint32_t domid, struct xc_dom_image *dom,
			  struct e820entry map[PVH_E820_MAX])
{
	struct xlite_hv_xen *x = xen_of(hv);
	unsigned int n = 0;

	map[n].addr = 0;
	map[n].size = dom->lowmem_end;
	map[n++].type = E820_RAM;
	map[n].addr = (uint64_t)(X86_HVM_END_SPECIAL_REGION - X86_HVM_NR_SPECIAL_PAGES)
		      << XC_PAGE_SHIFT;
	map[n].size = (uint64_t)X86_HVM_NR_SPECIAL_PAGES << XC_PAGE_SHIFT;
	map[n++].type = E820_RESERVED;
	map[n].addr = XLITE_PVH_ACPI_BASE;		/* the RSDP's page, then the tables' */
	map[n].size = XLITE_PVH_ACPI_SIZE;
	map[n++].type = E820_ACPI;
	if (dom->highmem_end) {
		map[n].addr = GIB4;
		map[n].size = dom->highmem_end - GIB4;
		map[n++].type = E820_RAM;
	}
	if (xc_domain_set_memory_map(x->xch, domid, map, n) != 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_set_memory_map");
	dom->e820 = map;
	dom->e820_entries = n;
	return 0;
}

/* What libxl sets on a new PVH domain before its build
 * (hvm_set_conf_params, libxl__domain_set_paging_mempool_size): the timer
 * mode xl defaults to, and Xen's paging pool sized for the guest. */
int xlite_hvx_pvh_prepare(struct xlite_hv *hv, uint32_t domid, const struct xlite_hv_build *b)
{
	xc_interface *xch = xen_of(hv)->xch;

	if (xc_hvm_param_set(xch, domid, HVM_PARAM_TIMER_MODE,
			     HVMPTM_no_delay_for_missed_ticks) != 0)
		return xlite_hv_xen_fail(hv, errno, "xc_hvm_param_set(TIMER_MODE)");
	if (b->paging_kib == 0 || b->paging_kib > UINT64_MAX >> 10)
		return xlite_hv_fail(hv, -EINVAL, "paging pool %llu KiB out of range",
				     (unsigned long long)b->paging_kib);
	if (xc_set_paging_mempool_size(xch, domid, b->paging_kib << 10) != 0)
		return xlite_hv_xen_fail(hv, errno, "xc_set_paging_mempool_size");
	return 0;
}

static int build(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b, bool pvh)
{
	struct xlite_hv_xen *x = xen_of(hv);
	struct xc_dom_image *dom = NULL;
	struct e820entry map[PVH_E820_MAX];
	struct xlite_pvh_acpi acpi;
	struct kernel_choice k;
	/* A PVH guest's physical memory is all of max_kib (PoD above mem_kib). */
	uint64_t max_kib = pvh && b->max_kib ? b->max_kib : b->mem_kib;
	uint64_t mem_mb = max_kib / 1024;
	gint64 t_step = g_get_monotonic_time();
	int rc = 0;

	choose_kernel(b, &k);
	x->log.last[0] = '\0';
	if (mem_mb == 0 || mem_mb > UINT32_MAX || b->mem_kib == 0 || b->mem_kib > max_kib) {
		rc = xlite_hv_fail(hv, -EINVAL, "memory %llu KiB of %llu KiB out of range",
				   (unsigned long long)b->mem_kib, (unsigned long long)max_kib);
		goto out;
	}
	if (pvh) {
		rc = xlite_hvx_pvh_prepare(hv, domid, b);
		if (rc < 0)
			goto out;
	}
	dom = xc_dom_allocate(x->xch, b->cmdline ? b->cmdline : "", NULL);
	if (!dom) {
		rc = xlite_hv_xen_fail(hv, errno, "xc_dom_allocate");
		goto out;
	}
	dom->container_type = XC_DOM_PV_CONTAINER;
	if (pvh)
		pvh_layout(dom, max_kib, b->mem_kib);
	/* An entry another create evicted since the lookup is a miss. */
	if (k.cached && xc_dom_kernel_file(dom, k.cached) != 0) {
		g_free(k.cached);
		k.cached = NULL;
	}
	if (!k.cached && xc_dom_kernel_file(dom, b->kernel) != 0) {
		rc = xlite_hv_xen_fail(hv, errno, "reading the kernel");
		goto out;
	}
	step_time(x, "choosing and reading the kernel", &t_step);
	if (b->initrd) {
		struct stat st;

		/* The initrd goes in as it is: a module's size limit equal to its
		 * own size makes libxenguest skip gunzipping it into the guest
		 * (xc_dom_build_module), and Linux unpacks a compressed initramfs
		 * itself, so dom0 does not spend the create decompressing it. */
		if (stat(b->initrd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
			xc_dom_module_max_size(dom, (size_t)st.st_size);
		DOM_STEP(xc_dom_module_file(dom, b->initrd, NULL), "reading the initrd");
	}
	dom->flags = 0;
	dom->console_evtchn = b->console_port;
	dom->console_domid = b->console_domid;
	dom->xenstore_evtchn = b->store_port;
	dom->xenstore_domid = b->store_domid;
	dom->max_vcpus = b->max_vcpus;

	DOM_STEP(xc_dom_boot_xen_init(dom, x->xch, domid), "xc_dom_boot_xen_init");
	if (xc_dom_parse_image(dom) != 0) {
		rc = xlite_hv_fail(hv, -EINVAL, "%s: not a Xen %s kernel (%s)", b->kernel,
				   pvh ? "PVH" : "PV",
				   x->log.last[0] ? x->log.last : "no image loader accepts it");
		x->log.last[0] = '\0';
		goto out;
	}
	step_time(x, "xc_dom_parse_image", &t_step);
	maybe_store(b, &k, dom);
	step_time(x, "storing the kernel in the cache", &t_step);
	DOM_STEP(xc_dom_mem_init(dom, (unsigned int)mem_mb), "xc_dom_mem_init");
	DOM_STEP(xc_dom_boot_mem_init(dom), "populating the domain's memory");
	if (pvh) {
		if (xlite_pvh_acpi_build(&acpi, b->max_vcpus) < 0) {
			rc = xlite_hv_fail(hv, -EINVAL, "%u vCPUs: too many for a PVH guest's ACPI tables",
					   b->max_vcpus);
			goto out;
		}
		/* xc_dom_build_image populates and fills these pages;
		 * module 0 is the RSDP (start info's rsdp_paddr). */
		dom->acpi_modules[0].data = acpi.rsdp;
		dom->acpi_modules[0].length = sizeof(acpi.rsdp);
		dom->acpi_modules[0].guest_addr_out = XLITE_PVH_ACPI_BASE;
		dom->acpi_modules[1].data = acpi.tables;
		dom->acpi_modules[1].length = (uint32_t)acpi.len;
		dom->acpi_modules[1].guest_addr_out = XLITE_PVH_ACPI_TABLES;
		rc = pvh_memory_map(hv, domid, dom, map);
		if (rc < 0)
			goto out;
	}
	DOM_STEP(xc_dom_build_image(dom), "xc_dom_build_image");
	DOM_STEP(xc_dom_boot_image(dom), "xc_dom_boot_image");
	DOM_STEP(xc_dom_gnttab_init(dom), "xc_dom_gnttab_init");
	/* A translated guest's rings are named by guest frame (libxl:
	 * state->store_mfn = dom->xenstore_pfn); xc_dom_p2m is the identity
	 * there anyway. */
	b->console_mfn = xc_dom_p2m(dom, dom->console_pfn);
	b->store_mfn = xc_dom_p2m(dom, dom->xenstore_pfn);
	b->kcache_hit = k.cached != NULL;
out:
	if (dom) {
		dom->e820 = NULL;	/* MAP and ACPI are this function's */
		memset(dom->acpi_modules, 0, sizeof(dom->acpi_modules));
		xc_dom_release(dom);
	}
	g_free(k.cached);
	return rc;
}

int xlite_hvx_build_pv(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b)
{
	return build(hv, domid, b, false);
}

int xlite_hvx_build_pvh(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b)
{
	return build(hv, domid, b, true);
}
