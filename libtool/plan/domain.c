/* xenstore nodes of the domain itself: what a Linux PV guest, xenconsoled
 * and xlite's own verbs read. libxl writes more (libxl__domain_make,
 * libxl__build_post); this is the part something reads, with each
 * directory made once with its permissions:
 *   /local/domain/D   n0,rD  the guest reads, only dom0 writes (name,
 *                            memory/target, cpu/N/availability, ...)
 *   .../control       nD     the guest acknowledges shutdown requests,
 *                            answers sysrq and writes feature-poweroff etc.
 *   .../data          nD     the guest's own area (the guest agent's stats)
 *   .../error         nD     frontends report their errors here
 *   .../device        n0,rD  (inherited) the frontends' directories go
 *                            under it; libxl makes it read-only the same way
 *   /vm/UUID          n0,rD  name, uuid, image (type, kernel, ramdisk,
 *                            cmdline), lifecycle actions
 * Linux PV guests take the store and console rings from start_info; the
 * store/ and console/ nodes are for xenconsoled and the tools. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "libtool/plan/plan-int.h"

#define DOM "/local/domain/${domid}"
#define VM "/vm/${uuid}"
#define XENCONSOLED_LIMIT "1048576"	/* as libxl: LIBXL_XENCONSOLE_LIMIT */

int xlite_plan_domain_nodes(struct xlite_plan *plan)
{
	struct xlite_ops_builder b = { .ops = &plan->domain_nodes, .rc = 0 };
	g_autofree char *name = xlite_expand_escape(plan->name);
	g_autofree char *ostype = xlite_expand_escape(plan->os_type);
	/* NULL for a guest booted from its disk (pvgrub2 is named later) */
	g_autofree char *kernel = plan->kernel ? xlite_expand_escape(plan->kernel) : NULL;
	g_autofree char *initrd = plan->initrd ? xlite_expand_escape(plan->initrd) : NULL;
	g_autofree char *cmdline = plan->cmdline ? xlite_expand_escape(plan->cmdline) : NULL;
	char max[24], target[24], min[24];
	unsigned int i;

	snprintf(max, sizeof(max), "%llu", (unsigned long long)plan->memory_kib);
	snprintf(target, sizeof(target), "%llu", (unsigned long long)plan->current_kib);
	snprintf(min, sizeof(min), "%llu", (unsigned long long)plan->min_kib);
	xlite_ops_mkdir(&b, "n0,r${domid}", DOM);
	xlite_ops_write(&b, name, DOM "/name");
	xlite_ops_write(&b, "${domid}", DOM "/domid");
	xlite_ops_write(&b, VM, DOM "/vm");
	xlite_ops_write(&b, max, DOM "/memory/static-max");
	xlite_ops_write(&b, target, DOM "/memory/target");
	/* xlite's own: the guaranteed minimum (admission, balancer); read-only
	 * to the guest like the rest of DOM. */
	xlite_ops_write(&b, min, DOM "/xlite/memory-min");
	/* ... and e820_host, which a restart or a save describes again */
	if (plan->e820_host)
		xlite_ops_write(&b, "1", DOM "/xlite/e820-host");
	for (i = 0; i < plan->max_vcpus; i++)
		xlite_ops_write(&b, i < plan->cur_vcpus ? "online" : "offline",
				DOM "/cpu/%u/availability", i);
	xlite_ops_write(&b, "${store.mfn}", DOM "/store/ring-ref");
	xlite_ops_write(&b, "${store.port}", DOM "/store/port");
	xlite_ops_write(&b, "${console.mfn}", DOM "/console/ring-ref");
	xlite_ops_write(&b, "${console.port}", DOM "/console/port");
	xlite_ops_write(&b, "xenconsoled", DOM "/console/type");
	xlite_ops_write(&b, XENCONSOLED_LIMIT, DOM "/console/limit");
	xlite_ops_write(&b, "pty", DOM "/console/output");
	xlite_ops_mkdir(&b, "n${domid}", DOM "/control");
	xlite_ops_write(&b, "1", DOM "/control/platform-feature-multiprocessor-suspend");
	xlite_ops_mkdir(&b, "n${domid}", DOM "/data");
	xlite_ops_mkdir(&b, "n${domid}", DOM "/error");
	xlite_ops_mkdir(&b, NULL, DOM "/device");
	xlite_ops_mkdir(&b, "n0,r${domid}", VM);
	xlite_ops_write(&b, name, VM "/name");
	xlite_ops_write(&b, "${uuid}", VM "/uuid");
	xlite_ops_write(&b, ostype, VM "/image/ostype");
	/* The boot image, as libxl records it: save describes the domain
	 * from xenstore, and a restored domain reboots with it. */
	if (kernel)
		xlite_ops_write(&b, kernel, VM "/image/kernel");
	if (initrd)
		xlite_ops_write(&b, initrd, VM "/image/ramdisk");
	if (cmdline)
		xlite_ops_write(&b, cmdline, VM "/image/cmdline");
	xlite_ops_write(&b, xlite_action_name(plan->on_poweroff), VM "/on_poweroff");
	xlite_ops_write(&b, xlite_action_name(plan->on_reboot), VM "/on_reboot");
	xlite_ops_write(&b, xlite_action_name(plan->on_crash), VM "/on_crash");
	return b.rc;
}
