/* Linux bridges and links for guest vifs, over rtnetlink (no brctl, no
 * hotplug scripts). Everything acts in the caller's network namespace. */
#ifndef XLITE_BRIDGE_H
#define XLITE_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>

/* Linux's dev_valid_name(): NULL when NAME can be an interface name
 * (1..15 bytes, not "." or "..", no '/', ':' or white space), else why not. */
const char *xlite_ifname_invalid(const char *name);

/* The index of interface NAME: > 0, or -EINVAL (not a valid name) or
 * -ENODEV (no such interface) with *err set. */
int xlite_ifindex(const char *name, char **err);

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

/* Sends rtnetlink request REQ (flags REQUEST and ACK added) and reads replies
 * until the acknowledgement; with REPLY, the RTM_NEWLINK answer (of a
 * RTM_GETLINK) is copied there. 0 or -errno (the kernel's refusal). */
struct nlmsghdr;
int xlite_rtnl_talk(struct nlmsghdr *req, void *reply, size_t reply_len);

/* ---- vifs on no bridge (route.c) ---- */

/* IFNAME renamed NEWNAME (NULL: kept) and its MTU set (0: kept), while it
 * is still down (Linux renames only a link that is down). */
int xlite_link_setup(const char *ifname, const char *newname, unsigned int mtu, char **err);
/* What Xen's vif-route does for a vif: IFNAME up, proxy ARP on, and a
 * route to each of IPS ("ADDR" or "ADDR/PREFIX", NULL-terminated; may be
 * NULL) through it. A route that exists already is fine. */
int xlite_link_route(const char *ifname, const char *const *ips, char **err);

#endif
