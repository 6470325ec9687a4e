/* Linux bridges and links for guest vifs, over rtnetlink (no brctl, no
 * hotplug scripts). Everything acts in the caller's network namespace. */
#ifndef XLITE_BRIDGE_H
#define XLITE_BRIDGE_H

#include <stdbool.h>

/* Linux's dev_valid_name(): NULL when NAME can be an interface name
 * (1..15 bytes, not "." or "..", no '/', ':' or white space), else why not. */
const char *xlite_ifname_invalid(const char *name);

/* 0 when BRIDGE exists and is a bridge; -ENODEV (no such interface) or
 * -EINVAL (not a bridge) with *err set. */
int xlite_bridge_check(const char *bridge, char **err);

/* Enslave IFNAME to BRIDGE and bring IFNAME up, in one RTM_NEWLINK. */
int xlite_bridge_attach(const char *bridge, const char *ifname, char **err);

/* Take IFNAME out of its bridge (and down). -ENODEV when IFNAME is gone,
 * which callers tearing down usually ignore. */
int xlite_bridge_detach(const char *ifname, char **err);

/* Wait until IFNAME exists (netback creates vifD.N a moment after its
 * backend directory appears). 0, or -ETIMEDOUT with *err set. */
int xlite_link_wait(const char *ifname, int timeout_ms, char **err);

/* Name of the bridge IFNAME is enslaved to: 0 and *bridge (caller frees),
 * -ENOENT when it has no master, -ENODEV when IFNAME does not exist. */
int xlite_link_master(const char *ifname, char **bridge, char **err);

#endif
