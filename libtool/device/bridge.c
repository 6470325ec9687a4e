/* Bridges over rtnetlink: one request, one acknowledgement. */
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <glib.h>

#include "libtool/device/bridge.h"
#include "libtool/util/fail.h"

const char *xlite_ifname_invalid(const char *name)
{
	size_t len = strlen(name), i;

	if (len == 0)
		return "it is empty";
	if (len >= IFNAMSIZ)
		return "it is longer than 15 characters";
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return "it is '.' or '..'";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '/' || c == ':' || c <= ' ' || c >= 0x7f)
			return "it holds '/', ':', white space or a non-ASCII byte";
	}
	return NULL;
}

struct nl_req {
	struct nlmsghdr n;
	struct ifinfomsg i;
	char attrs[64];
};

static void add_u32(struct nl_req *r, unsigned short type, uint32_t v)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->n.nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(sizeof(v));
	memcpy(RTA_DATA(a), &v, sizeof(v));
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

int xlite_rtnl_talk(struct nlmsghdr *req, void *reply, size_t reply_len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	int fd, rc = -EIO;
	bool done = false;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	req->nlmsg_seq = 1;
	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (sendto(fd, req, req->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		goto out;
	}
	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;
		size_t left;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			goto out;
		}
		left = (size_t)n;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_seq != req->nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					goto out;
				rc = e->error;	/* 0: the acknowledgement */
				done = true;
				break;
			}
			if (h->nlmsg_type == RTM_NEWLINK && reply) {
				memset(reply, 0, reply_len);
				memcpy(reply, h, h->nlmsg_len < reply_len ? h->nlmsg_len : reply_len);
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				rc = 0;
				done = true;
				break;
			}
		}
	}
out:
	close(fd);
	return rc;
}

static int nl_talk(struct nl_req *req, void *reply, size_t reply_len)
{
	return xlite_rtnl_talk(&req->n, reply, reply_len);
}

static void req_init(struct nl_req *r, unsigned short type, int ifindex)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r->n.nlmsg_type = type;
	r->i.ifi_family = AF_UNSPEC;
	r->i.ifi_index = ifindex;
}

/* Link facts from RTM_GETLINK: is it a bridge, and its master. */
struct link_facts {
	bool bridge;
	unsigned int master;
};

static int link_get(int ifindex, struct link_facts *f)
{
	char reply[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *h = (struct nlmsghdr *)reply;
	struct nl_req req;
	struct rtattr *a;
	size_t len;
	int rc;

	memset(f, 0, sizeof(*f));
	req_init(&req, RTM_GETLINK, ifindex);
	memset(reply, 0, sizeof(reply));
	rc = nl_talk(&req, reply, sizeof(reply));
	if (rc < 0)
		return rc;
	if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)) ||
	    h->nlmsg_len > sizeof(reply))
		return -EIO;
	len = h->nlmsg_len - NLMSG_LENGTH(sizeof(struct ifinfomsg));
	for (a = IFLA_RTA(NLMSG_DATA(h)); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_MASTER && RTA_PAYLOAD(a) >= sizeof(uint32_t)) {
			memcpy(&f->master, RTA_DATA(a), sizeof(uint32_t));
		} else if (a->rta_type == IFLA_LINKINFO) {
			size_t ilen = RTA_PAYLOAD(a);
			struct rtattr *k;

			for (k = RTA_DATA(a); RTA_OK(k, ilen); k = RTA_NEXT(k, ilen))
				if (k->rta_type == IFLA_INFO_KIND &&
				    RTA_PAYLOAD(k) >= 6 &&
				    memcmp(RTA_DATA(k), "bridge", 6) == 0 &&
				    (RTA_PAYLOAD(k) == 6 || ((char *)RTA_DATA(k))[6] == '\0'))
					f->bridge = true;
		}
	}
	return 0;
}

int xlite_ifindex(const char *name, char **err)
{
	const char *why = xlite_ifname_invalid(name);
	unsigned int idx;

	if (why)
		return xlite_fail(err, -EINVAL, "invalid interface name '%s': %s", name, why);
	idx = if_nametoindex(name);
	if (!idx)
		return xlite_fail(err, -ENODEV, "interface '%s' does not exist", name);
	return (int)idx;
}

int xlite_bridge_check(const char *bridge, char **err)
{
	struct link_facts f;
	int idx, rc;

	*err = NULL;
	idx = xlite_ifindex(bridge, err);
	if (idx < 0) {
		if (idx == -ENODEV) {
			g_free(*err);
			return xlite_fail(err, -ENODEV, "bridge '%s' does not exist", bridge);
		}
		return idx;
	}
	rc = link_get(idx, &f);
	if (rc < 0)
		return xlite_fail(err, rc, "reading link '%s': %s", bridge, strerror(-rc));
	if (!f.bridge)
		return xlite_fail(err, -EINVAL, "'%s' is not a bridge", bridge);
	return 0;
}

int xlite_bridge_attach(const char *bridge, const char *ifname, char **err)
{
	struct nl_req req;
	int br, idx, rc;

	*err = NULL;
	rc = xlite_bridge_check(bridge, err);
	if (rc < 0)
		return rc;
	br = xlite_ifindex(bridge, err);
	if (br < 0)
		return br;
	idx = xlite_ifindex(ifname, err);
	if (idx < 0)
		return idx;
	req_init(&req, RTM_NEWLINK, idx);
	req.i.ifi_flags = IFF_UP;
	req.i.ifi_change = IFF_UP;
	add_u32(&req, IFLA_MASTER, (uint32_t)br);
	rc = nl_talk(&req, NULL, 0);
	if (rc < 0)
		return xlite_fail(err, rc, "adding '%s' to bridge '%s': %s", ifname, bridge,
				  strerror(-rc));
	return 0;
}

int xlite_bridge_detach(const char *ifname, char **err)
{
	struct nl_req req;
	int idx, rc;

	*err = NULL;
	idx = xlite_ifindex(ifname, err);
	if (idx < 0)
		return idx;
	req_init(&req, RTM_NEWLINK, idx);
	req.i.ifi_flags = 0;
	req.i.ifi_change = IFF_UP;
	add_u32(&req, IFLA_MASTER, 0);
	rc = nl_talk(&req, NULL, 0);
	if (rc < 0)
		return xlite_fail(err, rc, "taking '%s' out of its bridge: %s", ifname,
				  strerror(-rc));
	return 0;
}

int xlite_link_master(const char *ifname, char **bridge, char **err)
{
	char name[IF_NAMESIZE];
	struct link_facts f;
	int idx, rc;

	*err = NULL;
	*bridge = NULL;
	idx = xlite_ifindex(ifname, err);
	if (idx < 0)
		return idx;
	rc = link_get(idx, &f);
	if (rc < 0)
		return xlite_fail(err, rc, "reading link '%s': %s", ifname, strerror(-rc));
	if (!f.master)
		return -ENOENT;
	if (!if_indextoname(f.master, name))
		return xlite_fail(err, -errno, "master of '%s': %s", ifname, strerror(errno));
	*bridge = g_strdup(name);
	return *bridge ? 0 : -ENOMEM;
}

int xlite_link_wait(const char *ifname, int timeout_ms, char **err)
{
	const struct timespec step = { 0, 20 * 1000 * 1000 };
	const char *why = xlite_ifname_invalid(ifname);
	/* A deadline on the clock, not a count of steps: a step takes more
	 * than its 20 ms on a loaded dom0 (measured under QEMU: 10000 ms of
	 * steps were 40 s). */
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	*err = NULL;
	if (why)
		return xlite_fail(err, -EINVAL, "invalid interface name '%s': %s", ifname, why);
	while (!if_nametoindex(ifname)) {
		if (g_get_monotonic_time() >= deadline)
			return xlite_fail(err, -ETIMEDOUT, "interface '%s' did not appear within %d ms",
					  ifname, timeout_ms);
		nanosleep(&step, NULL);
	}
	return 0;
}
