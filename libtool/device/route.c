/* Vifs on no bridge, over rtnetlink: the work of Xen's vif-route script
 * (link up, proxy ARP, `ip route add ADDR dev VIF`) and of vif-common's
 * renaming (vifname) and MTU, done in C. Routes through a vif go with it
 * when netback removes it, so teardown has nothing of its own to do. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <glib.h>

#include "libtool/device/bridge.h"
#include "libtool/util/fail.h"
#include "libtool/util/number.h"

struct link_req {
	struct nlmsghdr n;
	struct ifinfomsg i;
	char attrs[64];
};

struct route_req {
	struct nlmsghdr n;
	struct rtmsg r;
	char attrs[64];
};

/* Appends attribute TYPE (LEN bytes of DATA) to the message REQ (a
 * struct link_req or route_req) of SIZE bytes in all. */
static bool add_attr(void *req, size_t size, unsigned short type, const void *data,
		     size_t len)
{
	struct nlmsghdr *n = req;
	struct rtattr *a = (struct rtattr *)((char *)req + NLMSG_ALIGN(n->nlmsg_len));

	if (NLMSG_ALIGN(n->nlmsg_len) + RTA_SPACE(len) > size)
		return false;
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	n->nlmsg_len = (uint32_t)(NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(a->rta_len));
	return true;
}

int xlite_link_setup(const char *ifname, const char *newname, unsigned int mtu, char **err)
{
	struct link_req req;
	uint32_t m = mtu;
	int idx, rc;

	*err = NULL;
	if (!newname && !mtu)
		return 0;
	idx = xlite_ifindex(ifname, err);
	if (idx < 0)
		return idx;
	if (newname && xlite_ifname_invalid(newname))
		return xlite_fail(err, -EINVAL, "invalid interface name '%s': %s", newname,
				  xlite_ifname_invalid(newname));
	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req.n.nlmsg_type = RTM_NEWLINK;
	req.i.ifi_family = AF_UNSPEC;
	req.i.ifi_index = idx;
	if ((newname && !add_attr(&req, sizeof(req), IFLA_IFNAME, newname, strlen(newname) + 1)) ||
	    (mtu && !add_attr(&req, sizeof(req), IFLA_MTU, &m, sizeof(m))))
		return xlite_fail(err, -EOVERFLOW, "renaming '%s': request too long", ifname);
	rc = xlite_rtnl_talk(&req.n, NULL, 0);
	if (rc < 0 && newname)
		return xlite_fail(err, rc, "renaming '%s' to '%s'%s%s: %s", ifname, newname,
				  mtu ? " with MTU " : "", mtu ? "set" : "", strerror(-rc));
	if (rc < 0)
		return xlite_fail(err, rc, "setting the MTU of '%s' to %u: %s", ifname, mtu,
				  strerror(-rc));
	return 0;
}

static int link_up(int idx, const char *ifname, char **err)
{
	struct link_req req;
	int rc;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req.n.nlmsg_type = RTM_NEWLINK;
	req.i.ifi_family = AF_UNSPEC;
	req.i.ifi_index = idx;
	req.i.ifi_flags = IFF_UP;
	req.i.ifi_change = IFF_UP;
	rc = xlite_rtnl_talk(&req.n, NULL, 0);
	return rc < 0 ? xlite_fail(err, rc, "bringing '%s' up: %s", ifname, strerror(-rc)) : 0;
}

/* vif-route's `echo 1 >/proc/sys/net/ipv4/conf/VIF/proxy_arp`: dom0
 * answers the guest's ARP for the addresses it routes. */
static int proxy_arp(const char *ifname, char **err)
{
	g_autofree char *path = g_strdup_printf("/proc/sys/net/ipv4/conf/%s/proxy_arp", ifname);
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return xlite_fail(err, -errno, "%s: %s", path, strerror(errno));
	if (write(fd, "1", 1) != 1)
		rc = xlite_fail(err, -errno, "%s: %s", path, strerror(errno));
	close(fd);
	return rc;
}

/* `ip route replace IP dev IFNAME` (replace: a second create's route to
 * the same address moves to the new vif instead of failing). */
static int route_add(int idx, const char *ifname, const char *ip, char **err)
{
	g_autofree char *addr = g_strdup(ip);
	char *slash = strchr(addr, '/');
	unsigned char dst[16];
	struct route_req req;
	uint32_t oif = (uint32_t)idx;
	uint64_t prefix;
	int family, rc;

	if (slash)
		*slash++ = '\0';
	family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, addr, dst) != 1 ||
	    (slash && xlite_number_parse(slash, 0, family == AF_INET ? 32 : 128, &prefix) < 0))
		return xlite_fail(err, -EINVAL, "'%s' is not an address to route", ip);
	if (!slash)
		prefix = family == AF_INET ? 32 : 128;
	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
	req.n.nlmsg_type = RTM_NEWROUTE;
	req.n.nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	req.r.rtm_family = (unsigned char)family;
	req.r.rtm_dst_len = (unsigned char)prefix;
	req.r.rtm_table = RT_TABLE_MAIN;
	req.r.rtm_protocol = RTPROT_BOOT;
	req.r.rtm_scope = RT_SCOPE_LINK;
	req.r.rtm_type = RTN_UNICAST;
	if (!add_attr(&req, sizeof(req), RTA_DST, dst, family == AF_INET ? 4 : 16) ||
	    !add_attr(&req, sizeof(req), RTA_OIF, &oif, sizeof(oif)))
		return xlite_fail(err, -EOVERFLOW, "route to %s: request too long", ip);
	rc = xlite_rtnl_talk(&req.n, NULL, 0);
	if (rc < 0)
		return xlite_fail(err, rc, "adding a route to %s through '%s': %s", ip, ifname,
				  strerror(-rc));
	return 0;
}

int xlite_link_route(const char *ifname, const char *const *ips, char **err)
{
	unsigned int i;
	int idx, rc;

	*err = NULL;
	idx = xlite_ifindex(ifname, err);
	if (idx < 0)
		return idx;
	rc = link_up(idx, ifname, err);
	if (rc == 0)
		rc = proxy_arp(ifname, err);
	for (i = 0; rc == 0 && ips && ips[i]; i++)
		rc = route_add(idx, ifname, ips[i], err);
	return rc;
}
