/* struct xlite_config: lifetime, and the small value types it holds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/parse/config.h"

void xlite_config_init(struct xlite_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_vcpus = 1;
	cfg->cur_vcpus = 1;
	cfg->on_poweroff = XLITE_ACTION_DESTROY;
	cfg->on_reboot = XLITE_ACTION_RESTART;
	cfg->on_crash = XLITE_ACTION_DESTROY;
}

void xlite_config_dispose(struct xlite_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n_disks; i++) {
		g_free(cfg->disks[i].source);
		g_free(cfg->disks[i].target);
	}
	g_free(cfg->disks);
	for (i = 0; i < cfg->n_nics; i++)
		xlite_nic_dispose(&cfg->nics[i]);
	g_free(cfg->nics);
	g_free(cfg->pins);
	g_free(cfg->file);
	g_free(cfg->name);
	g_free(cfg->os_type);
	g_free(cfg->bootloader);
	g_free(cfg->bootloader_args);
	g_free(cfg->kernel);
	g_free(cfg->initrd);
	g_free(cfg->cmdline);
	xlite_config_init(cfg);
}

static const char *const action_names[] = {
	[XLITE_ACTION_DESTROY] = "destroy",
	[XLITE_ACTION_RESTART] = "restart",
	[XLITE_ACTION_PRESERVE] = "preserve",
	[XLITE_ACTION_RENAME_RESTART] = "rename-restart",
	[XLITE_ACTION_COREDUMP_DESTROY] = "coredump-destroy",
	[XLITE_ACTION_COREDUMP_RESTART] = "coredump-restart",
};

const char *xlite_disk_format_name(enum xlite_disk_format f)
{
	switch (f) {
	case XLITE_DISK_RAW:
		return "raw";
	case XLITE_DISK_QCOW2:
		return "qcow2";
	}
	return "?";
}

const char *xlite_action_name(enum xlite_action a)
{
	if ((unsigned int)a >= sizeof(action_names) / sizeof(action_names[0]))
		return "?";
	return action_names[a];
}

int xlite_action_parse(const char *s, enum xlite_action *a)
{
	unsigned int i;

	for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++) {
		if (strcmp(s, action_names[i]) == 0) {
			*a = (enum xlite_action)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *xlite_name_invalid(const char *name)
{
	size_t len = strlen(name), i;
	bool digits_only = true;

	if (len == 0)
		return "it is empty";
	if (len > XLITE_NAME_MAX)
		return "it is longer than 64 characters";
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (c >= '0' && c <= '9')
			continue;
		digits_only = false;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || c == '.' || c == '-')
			continue;
		return "it holds a character outside A-Z a-z 0-9 _ . -";
	}
	if (digits_only)
		return "it is all digits, which would read as a domain id";
	if (name[0] == '-')
		return "it starts with '-', which would read as an option";
	return NULL;
}
