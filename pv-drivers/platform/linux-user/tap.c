/* pv-drivers linux-user platform: TAP interface. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_tun.h>

#include "pv-drivers/platform/linux-user/tap.h"

static int fail(struct pvd_err *e, const char *what, const char *name)
{
	int err = errno != 0 ? errno : EIO;

	return pvd_fail(e, -err, "%s %s: %s", what, name, strerror(err));
}

static int link_setup(const char *name, const uint8_t mac[6], struct pvd_err *e)
{
	struct ifreq ifr;
	int s, r = 0;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return fail(e, "socket for", name);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
	if (ioctl(s, SIOCSIFHWADDR, &ifr) < 0) {
		r = fail(e, "setting the MAC address of", name);
		goto out;
	}
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		r = fail(e, "reading the flags of", name);
		goto out;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		r = fail(e, "bringing up", name);
out:
	close(s);
	return r;
}

int pvd_tap_open(const char *name, const uint8_t mac[6], struct pvd_err *e)
{
	struct ifreq ifr;
	int fd, r;

	if (strlen(name) >= IFNAMSIZ)
		return pvd_fail(e, -ENAMETOOLONG, "interface name %s is too long", name);
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return pvd_fail(e, -errno, "cannot open /dev/net/tun: %s (load the "
				"kernel module tun: modprobe tun)", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		r = fail(e, "creating TAP interface", name);
		close(fd);
		return r;
	}
	r = link_setup(ifr.ifr_name, mac, e);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}
