/* The host's configuration, /etc/xlite/xlite.conf (a GKeyFile; see
 * xlite.conf(5)): one struct with every setting at its default, and a
 * loader that reads the file over the defaults. A missing file is the
 * defaults; an unknown group or key, or a bad value, is an error naming
 * the file, the group and the key. A new setting is a field here, its
 * default in xlite_hostconf_init(), one row in hostconf.c's table and
 * one entry in xl-lite/xlite.conf.5. */
#ifndef XLITE_HOSTCONF_H
#define XLITE_HOSTCONF_H

#include <stdint.h>

#ifdef XLITE_SYSCONFDIR
#define XLITE_HOSTCONF_FILE XLITE_SYSCONFDIR "/xlite/xlite.conf"
#endif
#define XLITE_HOSTCONF_KCACHE_MAX_DEFAULT (512ull * 1024 * 1024)
#define XLITE_HOSTCONF_PORT_DEFAULT 8443
#define XLITE_HOSTCONF_ADDR_MAX 64
#define XLITE_HOSTCONF_PATH_MAX 256
#ifdef XLITE_LOCALSTATEDIR
#define XLITE_HOSTCONF_STATE_DIR XLITE_LOCALSTATEDIR "/lib/xlite"
#else
#define XLITE_HOSTCONF_STATE_DIR "/var/lib/xlite"
#endif
/* Debian's pvgrub2 (package grub-xen-host): the PV kernel of a guest that
 * boots from its own disk. */
#define XLITE_HOSTCONF_GRUB_IMAGE_DEFAULT "/usr/lib/grub-xen/grub-x86_64-xen.bin"
/* The same package's GRUB for PVH (i386-xen_pvh, an ELF with a PVH entry
 * point): the kernel of a PVH guest that boots from its own disk. */
#define XLITE_HOSTCONF_GRUB_PVH_IMAGE_DEFAULT "/usr/lib/grub-xen/grub-i386-xen_pvh.bin"

struct xlite_hostconf {
	/* [kernel-cache] */
	uint64_t kcache_max;	/* max-size, bytes; 0: no kernel cache */
	/* [memory] (issue 10; libtool/memory/conf.h), bytes and seconds */
	uint64_t dom0_reserve;		/* dom0-reserve, default 512M */
	unsigned int balancer_interval;	/* balancer-interval, default 5 */
	uint64_t headroom;		/* headroom, default 64M */
	uint64_t step_limit;		/* step-limit, default 256M */
	uint64_t hysteresis;		/* hysteresis, default 16M */
	/* [daemon] (xlited, issue 12) */
	char listen[XLITE_HOSTCONF_ADDR_MAX];		/* listen, an IPv4 or IPv6 address, default 127.0.0.1 */
	unsigned int port;		/* port, default 8443 */
	char state_dir[XLITE_HOSTCONF_PATH_MAX];		/* state-dir, an absolute path, default /var/lib/xlite */
	unsigned int sample_interval;	/* sample-interval, seconds, default 5 */
	char www_dir[XLITE_HOSTCONF_PATH_MAX];	/* www-dir: the web console's files; "" built in */
	/* [boot]: guests that boot from their own disk */
	char grub_image[XLITE_HOSTCONF_PATH_MAX];	/* grub-image: the pvgrub2 image */
	unsigned int boot_timeout;	/* timeout, seconds for pvgrub2 to start the
					 * guest's kernel; 0: create does not wait */
	char grub_pvh_image[XLITE_HOSTCONF_PATH_MAX];	/* grub-pvh-image: pvhgrub */
	/* [balancer]: xlited's balancer loop (issue 12); its interval is
	 * balancer_interval above ([balancer] interval, or [memory]
	 * balancer-interval: one setting, two names) */
	unsigned int balancer_enabled;	/* enabled, a boolean, default false */
};

/* Every setting at its default. Owns nothing: no dispose needed yet. */
void xlite_hostconf_init(struct xlite_hostconf *hc);
/* Reads FILE over HC's values. A missing FILE leaves them: 0. Else 0, or
 * -EINVAL (a syntax error, an unknown group or key, a bad value) or
 * -errno (unreadable), with *err (g_free) saying what and where; HC is
 * then unchanged. */
int xlite_hostconf_load(struct xlite_hostconf *hc, const char *file, char **err);
/* A size: digits, optionally followed by K, M, G or T (powers of 1024,
 * "KiB" ... "TiB" as well); no unit means bytes. 0, -EINVAL or -ERANGE. */
int xlite_hostconf_parse_size(const char *s, uint64_t *bytes);

#endif
