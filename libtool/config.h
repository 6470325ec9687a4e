/* xlite domain configuration: what the domain XML says, checked, nothing more.
 * Filled by xlite_config_parse_file() (parse.c); pure data, no Xen handles. */
#ifndef XLITE_CONFIG_H
#define XLITE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XLITE_NAME_MAX 64

enum xlite_action {
	XLITE_ACTION_DESTROY = 0,
	XLITE_ACTION_RESTART,
	XLITE_ACTION_PRESERVE,
	XLITE_ACTION_RENAME_RESTART,
	XLITE_ACTION_COREDUMP_DESTROY,
	XLITE_ACTION_COREDUMP_RESTART,
};

enum xlite_disk_type {
	XLITE_DISK_FILE = 0,	/* backed by a loop device xlite sets up */
	XLITE_DISK_BLOCK,	/* a block device used as it is */
};

struct xlite_disk {
	enum xlite_disk_type type;
	char *source;		/* path of the file or block device */
	char *target;		/* "xvda" */
	unsigned int vdev;	/* Xen virtual-device number, 51712 for xvda */
	bool readonly;
	int line;		/* line of <disk> in the XML, for later errors */
};

struct xlite_nic {
	char *bridge;
	uint8_t mac[6];
	bool mac_given;		/* false: generated from uuid + index */
	int line;
};

struct xlite_config {
	char *file;		/* XML file name, for messages */
	char *name;
	uint8_t uuid[16];
	bool uuid_given;
	uint64_t memory_kib;	/* <memory>: static maximum */
	uint64_t current_kib;	/* <currentMemory>: balloon target at boot */
	uint64_t min_kib;	/* <memtune><min_guarantee>, 0 when absent */
	unsigned int max_vcpus;	/* <vcpu> */
	unsigned int cur_vcpus;	/* <vcpu current=...> */
	unsigned int weight;	/* credit scheduler weight (<cputune><shares>), 0 = default */
	unsigned int cap;	/* percent of one CPU, 0 = no cap */
	char *os_type;		/* "linux" or "xen" */
	char *kernel;
	char *initrd;		/* NULL when absent */
	char *cmdline;		/* NULL when absent */
	enum xlite_action on_poweroff, on_reboot, on_crash;
	struct xlite_disk *disks;
	size_t n_disks;
	struct xlite_nic *nics;
	size_t n_nics;
};

void xlite_config_init(struct xlite_config *cfg);
void xlite_config_dispose(struct xlite_config *cfg);

/* Parse and validate FILE. Returns 0, or -EINVAL with *err set to a
 * message "FILE:LINE: what is wrong, what was expected" (caller frees).
 * Warnings (unknown elements, ignored features) go to warn(msg, opaque). */
typedef void xlite_warn_fn(const char *msg, void *opaque);
int xlite_config_parse_file(struct xlite_config *cfg, const char *file,
			    xlite_warn_fn *warn, void *opaque, char **err);
int xlite_config_parse_memory(struct xlite_config *cfg, const char *xml,
			      size_t len, const char *name,
			      xlite_warn_fn *warn, void *opaque, char **err);

const char *xlite_action_name(enum xlite_action a);

#endif
