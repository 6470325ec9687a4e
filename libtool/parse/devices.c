/* <devices>: disks, bridged interfaces, the console; the rest is warned
 * about (graphics, input, ...) or refused (cdrom, passthrough, ...). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/device/bridge.h"
#include "libtool/parse/config.h"
#include "libtool/util/mac.h"
#include "libtool/parse/parse.h"

static const char *const no_attrs[] = { NULL };

static int parse_driver(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "name", "type", "discard", NULL };
	char *type = xlite_parse_attr(node, "type");
	g_autofree char *discard = xlite_parse_attr(node, "discard");
	int rc = 0;

	xlite_parse_attrs(p, node, known);
	/* libvirt's discard='ignore' is xl's no-discard: discard-enable=0 */
	p->disk->no_discard = discard && strcmp(discard, "ignore") == 0;
	/* name (phy, file, tap, qemu) says which backend libvirt would pick;
	 * xlite always uses blkback, so only the format matters: qcow2 is
	 * served by qemu-nbd through an nbd device. */
	if (type && strcmp(type, "qcow2") == 0)
		p->disk->format = XLITE_DISK_QCOW2;
	else if (type && strcmp(type, "raw") != 0 && strcmp(type, "aio") != 0)
		rc = xlite_parse_error(p, node,
			"disk format '%s' is not supported, expected type='raw' or type='qcow2'",
			type);
	g_free(type);
	return rc;
}

static int parse_source(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "file", "dev", NULL };
	struct xlite_disk *d = p->disk;
	const char *want = d->type == XLITE_DISK_FILE ? "file" : "dev";
	const char *other = d->type == XLITE_DISK_FILE ? "dev" : "file";
	char *s = xlite_parse_attr(node, want);
	char *o = xlite_parse_attr(node, other);
	int rc = 0;

	xlite_parse_attrs(p, node, known);
	if (!s)
		rc = xlite_parse_error(p, node,
			"<source> of a type='%s' disk has no %s=..., expected <source %s='/path'/>%s",
			d->type == XLITE_DISK_FILE ? "file" : "block", want, want,
			o ? (d->type == XLITE_DISK_FILE ? " (dev= goes with type='block')"
						       : " (file= goes with type='file')") : "");
	else if (s[0] != '/')
		rc = xlite_parse_error(p, node,
			"disk source '%s' is not an absolute path, expected /...", s);
	else {
		d->source = s;
		s = NULL;
	}
	g_free(s);
	g_free(o);
	return rc;
}

static int parse_target(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "dev", "bus", NULL };
	struct xlite_disk *d = p->disk;
	char *dev = xlite_parse_attr(node, "dev");
	char *bus = xlite_parse_attr(node, "bus");
	int rc = 0;

	xlite_parse_attrs(p, node, known);
	if (!dev)
		rc = xlite_parse_error(p, node, "<target> has no dev=..., expected <target dev='xvda'/>");
	else if (xlite_vdev_parse(dev, &d->vdev) < 0)
		rc = xlite_parse_error(p, node,
			"disk target '%s' is not a Xen PV disk name, expected xvda, xvdb, ... xvdz, xvdaa ... (optionally a partition number)",
			dev);
	else if (bus && strcmp(bus, "xen") != 0)
		rc = xlite_parse_error(p, node,
			"disk bus '%s' is not supported, expected bus='xen' (PV disks)", bus);
	else {
		d->target = dev;
		dev = NULL;
	}
	g_free(dev);
	g_free(bus);
	return rc;
}

static int parse_readonly(struct xlite_parse *p, xmlNode *node)
{
	xlite_parse_attrs(p, node, no_attrs);
	p->disk->readonly = true;
	return 0;
}

static int parse_shareable(struct xlite_parse *p, xmlNode *node)
{
	xmlNode *c;

	xlite_parse_attrs(p, node, no_attrs);
	for (c = node->children; c; c = c->next) {
		const char *t = (const char *)c->content;

		if (c->type == XML_ELEMENT_NODE ||
		    (c->type == XML_TEXT_NODE && t && t[strspn(t, " \t\r\n")]))
			return xlite_parse_error(p, node,
						 "<shareable> has content, expected <shareable/>");
	}
	p->disk->shareable = true;
	return 0;
}

static int parse_disk(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "type", "device", NULL };
	static const struct xlite_elem_rule rules[] = {
		{ "driver", XLITE_ELEM_PARSE, parse_driver, true, NULL },
		{ "source", XLITE_ELEM_PARSE, parse_source, true, NULL },
		{ "target", XLITE_ELEM_PARSE, parse_target, true, NULL },
		{ "readonly", XLITE_ELEM_PARSE, parse_readonly, true, NULL },
		{ "backingStore", XLITE_ELEM_SILENT, NULL, false, NULL },
		{ "shareable", XLITE_ELEM_PARSE, parse_shareable, true, NULL },
		{ "boot", XLITE_ELEM_IGNORED, NULL, false,
		  "a PV guest boots its <kernel>, or through pvgrub2 from its disks in order" },
		{ "address", XLITE_ELEM_IGNORED, NULL, false, "PV disks are placed by <target dev>" },
		{ "alias", XLITE_ELEM_IGNORED, NULL, false, "not used by xlite" },
		{ "serial", XLITE_ELEM_IGNORED, NULL, false, "not passed to PV disks" },
		{ "iotune", XLITE_ELEM_IGNORED, NULL, false, "I/O throttling is not supported" },
	};
	struct xlite_config *cfg = p->cfg;
	char *type = xlite_parse_attr(node, "type");
	char *device = xlite_parse_attr(node, "device");
	struct xlite_disk *d, *grown;
	size_t i;
	int rc;

	xlite_parse_attrs(p, node, known);
	if (device && strcmp(device, "disk") != 0) {
		rc = xlite_parse_error(p, node,
			"disk device '%s' is not supported (%s), expected device='disk'",
			device, strcmp(device, "cdrom") == 0 ? "no CD-ROM for PV guests" :
			strcmp(device, "floppy") == 0 ? "no floppy for PV guests" :
			"only plain disks");
		goto out;
	}
	if (type && strcmp(type, "file") != 0 && strcmp(type, "block") != 0) {
		rc = xlite_parse_error(p, node,
			"disk type '%s' is not supported, expected type='file' (an image) or type='block' (a block device)",
			type);
		goto out;
	}
	if (cfg->n_disks >= XLITE_MAX_DISKS) {
		rc = xlite_parse_error(p, node, "more than %d disks, expected at most %d",
				       XLITE_MAX_DISKS, XLITE_MAX_DISKS);
		goto out;
	}
	grown = g_realloc(cfg->disks, (cfg->n_disks + 1) * sizeof(*grown));
	if (!grown) {
		rc = -ENOMEM;
		goto out;
	}
	cfg->disks = grown;
	d = &cfg->disks[cfg->n_disks++];
	memset(d, 0, sizeof(*d));
	d->type = type && strcmp(type, "block") == 0 ? XLITE_DISK_BLOCK : XLITE_DISK_FILE;
	d->line = xlite_parse_line(node);
	p->disk = d;
	rc = xlite_parse_children(p, node, rules, sizeof(rules) / sizeof(rules[0]));
	p->disk = NULL;
	if (rc < 0)
		goto out;
	if (!d->source) {
		rc = xlite_parse_error(p, node, "<disk> has no <source>, expected <source %s='/path'/>",
				       d->type == XLITE_DISK_FILE ? "file" : "dev");
		goto out;
	}
	if (!d->target) {
		rc = xlite_parse_error(p, node, "<disk> has no <target>, expected <target dev='xvda'/>");
		goto out;
	}
	for (i = 0; i + 1 < cfg->n_disks; i++) {
		if (cfg->disks[i].vdev == d->vdev) {
			rc = xlite_parse_error(p, node,
				"disk target '%s' is already used by the disk at line %d, expected a distinct target",
				d->target, cfg->disks[i].line);
			goto out;
		}
	}
out:
	g_free(type);
	g_free(device);
	return rc;
}

static int parse_if_source(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "bridge", NULL };
	char *b = xlite_parse_attr(node, "bridge");
	const char *why;
	int rc = 0;

	xlite_parse_attrs(p, node, known);
	if (!b)
		return xlite_parse_error(p, node,
			"<source> has no bridge=..., expected <source bridge='br0'/>");
	why = xlite_ifname_invalid(b);
	if (why) {
		rc = xlite_parse_error(p, node,
			"invalid bridge name '%s': %s; expected a Linux interface name", b, why);
		g_free(b);
	} else {
		p->nic->bridge = b;
	}
	return rc;
}

static int parse_mac(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "address", NULL };
	char *a = xlite_parse_attr(node, "address");
	const char *why;
	int rc = 0;

	xlite_parse_attrs(p, node, known);
	if (!a)
		return xlite_parse_error(p, node,
			"<mac> has no address=..., expected <mac address='00:16:3e:xx:xx:xx'/>");
	if (xlite_mac_parse(a, p->nic->mac) < 0)
		rc = xlite_parse_error(p, node,
			"invalid MAC address '%s', expected six hex pairs like 00:16:3e:12:34:56", a);
	else if ((why = xlite_mac_invalid(p->nic->mac)) != NULL)
		rc = xlite_parse_error(p, node, "invalid MAC address '%s': %s", a, why);
	else
		p->nic->mac_given = true;
	g_free(a);
	return rc;
}

static int parse_model(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "type", NULL };
	char *type = xlite_parse_attr(node, "type");

	xlite_parse_attrs(p, node, known);
	if (type && strcmp(type, "netfront") != 0)
		xlite_parse_warn(p, node,
			"NIC model '%s' ignored: PV guests use netfront", type);
	g_free(type);
	return 0;
}

/* ATTR of NODE, when there, as a whole number from MIN to MAX (UNIT said
 * after it in the error) into *OUT. */
static int parse_uint_attr(struct xlite_parse *p, xmlNode *node, const char *attr,
			   unsigned int min, unsigned int max, const char *unit, unsigned int *out)
{
	g_autofree char *v = xlite_parse_attr(node, attr);
	uint64_t n;

	if (!v)
		return 0;
	if (xlite_parse_u64(v, &n) < 0 || n < min || n > max)
		return xlite_parse_error(p, node, "<%s %s='%s'>, expected a number from %u to %u%s",
					 (const char *)node->name, attr, v, min, max, unit);
	*out = (unsigned int)n;
	return 0;
}

/* <ip address='10.0.0.1' family='ipv4' prefix='24'/>: routed through the
 * vif of a type='ethernet' interface (xl's ip=, vif-route). */
static int parse_if_ip(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "address", "family", "prefix", "peer", NULL };
	g_autofree char *addr = xlite_parse_attr(node, "address");
	g_autofree char *prefix = xlite_parse_attr(node, "prefix");
	g_autofree char *ip = NULL;
	guint n;

	xlite_parse_attrs(p, node, known);
	if (!addr)
		return xlite_parse_error(p, node,
			"<ip> has no address=..., expected <ip address='10.0.0.1'/>");
	ip = prefix ? g_strdup_printf("%s/%s", addr, prefix) : g_strdup(addr);
	if (!xlite_nic_ip_valid(ip))
		return xlite_parse_error(p, node,
			"<ip address='%s'%s%s%s> is not an IPv4 or IPv6 address (and prefix)", addr,
			prefix ? " prefix='" : "", prefix ? prefix : "", prefix ? "'" : "");
	n = p->nic->ips ? g_strv_length(p->nic->ips) : 0;
	p->nic->ips = g_renew(char *, p->nic->ips, n + 2);
	p->nic->ips[n] = g_steal_pointer(&ip);
	p->nic->ips[n + 1] = NULL;
	return 0;
}

/* <script path='vif-bridge'/>: Xen's two standard scripts are what xlite
 * does itself; any other would run code xlite does not run. */
static int parse_if_script(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "path", NULL };
	g_autofree char *path = xlite_parse_attr(node, "path");
	bool routed;

	xlite_parse_attrs(p, node, known);
	if (!path)
		return xlite_parse_error(p, node,
			"<script> has no path=..., expected <script path='vif-bridge'/>");
	if (xlite_nic_script_parse(path, &routed) < 0)
		return xlite_parse_error(p, node,
			"script '%s' is not supported: xlite runs no hotplug script; it does the work of "
			"Xen's vif-bridge and vif-route itself, expected one of those (or no <script>)",
			path);
	p->nic_script = routed ? 2 : 1;
	return 0;
}

/* <target dev='net0'/>: dom0's name of the vif (xl's vifname=). */
static int parse_if_target(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "dev", "managed", NULL };
	g_autofree char *dev = xlite_parse_attr(node, "dev");
	const char *why;

	xlite_parse_attrs(p, node, known);
	if (!dev)
		return 0;
	/* libvirt's rule: vifD.N names are netback's own, never a user's */
	if (g_str_has_prefix(dev, "vif")) {
		xlite_parse_warn(p, node, "<target dev='%s'> ignored: names starting with 'vif' are "
				 "netback's own (vifDOMID.N)", dev);
		return 0;
	}
	why = xlite_ifname_invalid(dev);
	if (why)
		return xlite_parse_error(p, node,
			"invalid interface name '%s': %s; expected a Linux interface name", dev, why);
	p->nic->ifname = g_steal_pointer(&dev);
	return 0;
}

/* <mtu size='9000'/> */
static int parse_if_mtu(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "size", NULL };

	xlite_parse_attrs(p, node, known);
	if (!xmlHasProp(node, (const xmlChar *)"size"))
		return xlite_parse_error(p, node, "<mtu> has no size=..., expected <mtu size='1500'/>");
	return parse_uint_attr(p, node, "size", 68, 65535, "", &p->nic->mtu);
}

/* <bandwidth><outbound average='KB/s'/>: netback limits what the guest
 * sends, as libvirt's libxl driver maps it (average KiB/s over 50 ms). */
static int parse_if_bandwidth(struct xlite_parse *p, xmlNode *node)
{
	xmlNode *c;

	xlite_parse_attrs(p, node, no_attrs);
	for (c = node->children; c; c = c->next) {
		unsigned int kib = 0;
		int rc;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "outbound") != 0) {
			xlite_parse_warn(p, c, "<bandwidth><%s> ignored: netback limits only what "
					 "the guest sends (<outbound>)", (const char *)c->name);
			continue;
		}
		if (!xmlHasProp(c, (const xmlChar *)"average"))
			return xlite_parse_error(p, c, "<outbound> has no average=..., expected "
						 "<outbound average='1000'/> (KiB/s)");
		rc = parse_uint_attr(p, c, "average", 1, UINT32_MAX, " (KiB/s)", &kib);
		if (rc < 0)
			return rc;
		if (xmlHasProp(c, (const xmlChar *)"peak") || xmlHasProp(c, (const xmlChar *)"burst"))
			xlite_parse_warn(p, c, "<outbound> peak and burst ignored: netback has one "
					 "rate (average over 50 ms)");
		p->nic->rate_usecs = 50000;
		p->nic->rate_bytes = (uint64_t)kib * 1024 * 50000 / 1000000;
	}
	return 0;
}

static int parse_interface(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "type", NULL };
	static const struct xlite_elem_rule rules[] = {
		{ "source", XLITE_ELEM_PARSE, parse_if_source, true, NULL },
		{ "mac", XLITE_ELEM_PARSE, parse_mac, true, NULL },
		{ "model", XLITE_ELEM_PARSE, parse_model, true, NULL },
		{ "script", XLITE_ELEM_PARSE, parse_if_script, true, NULL },
		{ "target", XLITE_ELEM_PARSE, parse_if_target, true, NULL },
		{ "ip", XLITE_ELEM_PARSE, parse_if_ip, false, NULL },
		{ "mtu", XLITE_ELEM_PARSE, parse_if_mtu, true, NULL },
		{ "route", XLITE_ELEM_IGNORED, NULL, false, "the guest configures its own routes" },
		{ "address", XLITE_ELEM_IGNORED, NULL, false, "PV NICs are numbered in document order" },
		{ "alias", XLITE_ELEM_IGNORED, NULL, false, "not used by xlite" },
		{ "bandwidth", XLITE_ELEM_PARSE, parse_if_bandwidth, true, NULL },
		{ "virtualport", XLITE_ELEM_IGNORED, NULL, false, "only plain Linux bridges are supported" },
		{ "vlan", XLITE_ELEM_IGNORED, NULL, false, "only plain Linux bridges are supported" },
		{ "boot", XLITE_ELEM_IGNORED, NULL, false, "a PV guest boots the <kernel> given" },
	};
	struct xlite_config *cfg = p->cfg;
	char *type = xlite_parse_attr(node, "type");
	struct xlite_nic *n, *grown;
	int rc;

	xlite_parse_attrs(p, node, known);
	if (!type || (strcmp(type, "bridge") != 0 && strcmp(type, "ethernet") != 0)) {
		rc = xlite_parse_error(p, node,
			"interface type '%s' is not supported, expected type='bridge' with <source bridge='...'/> or type='ethernet' (a routed vif)",
			type ? type : "");
		goto out;
	}
	if (cfg->n_nics >= XLITE_MAX_NICS) {
		rc = xlite_parse_error(p, node, "more than %d interfaces, expected at most %d",
				       XLITE_MAX_NICS, XLITE_MAX_NICS);
		goto out;
	}
	grown = g_realloc(cfg->nics, (cfg->n_nics + 1) * sizeof(*grown));
	if (!grown) {
		rc = -ENOMEM;
		goto out;
	}
	cfg->nics = grown;
	n = &cfg->nics[cfg->n_nics++];
	memset(n, 0, sizeof(*n));
	n->line = xlite_parse_line(node);
	p->nic = n;
	p->nic_script = 0;
	rc = xlite_parse_children(p, node, rules, sizeof(rules) / sizeof(rules[0]));
	p->nic = NULL;
	if (rc < 0)
		goto out;
	if (strcmp(type, "ethernet") == 0) {
		if (n->bridge) {
			rc = xlite_parse_error(p, node,
				"<interface type='ethernet'> has <source bridge='%s'>: a routed vif is on no bridge, expected type='bridge' for a bridge",
				n->bridge);
		} else if (p->nic_script == 1) {
			/* libxl's reading: vif-bridge with no bridge is xenbr0 */
			xlite_parse_warn(p, node,
				"<interface type='ethernet'> with script vif-bridge: put on bridge xenbr0 as libxl does; its <ip> addresses are not routed");
			n->bridge = g_strdup("xenbr0");
		} else {
			n->routed = true;
		}
		goto out;
	}
	if (p->nic_script == 2)
		rc = xlite_parse_error(p, node,
			"<interface type='bridge'> with script vif-route, expected type='ethernet' for a routed vif");
	else if (!n->bridge)
		rc = xlite_parse_error(p, node,
			"<interface type='bridge'> has no <source>, expected <source bridge='br0'/>");
	else if (n->ips)
		xlite_parse_warn(p, node,
			"<ip> ignored on a bridged interface: the guest configures its own addresses (routes are made for type='ethernet')");
out:
	g_free(type);
	return rc;
}

static int parse_console_target(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "type", "port", NULL };
	char *type = xlite_parse_attr(node, "type");
	char *port = xlite_parse_attr(node, "port");

	xlite_parse_attrs(p, node, known);
	if ((type && strcmp(type, "xen") != 0) || (port && strcmp(port, "0") != 0))
		xlite_parse_warn(p, node,
			"console target type '%s' port '%s' ignored: a PV guest has one xen console, port 0",
			type ? type : "xen", port ? port : "0");
	g_free(type);
	g_free(port);
	return 0;
}

static int parse_console(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "type", NULL };
	static const struct xlite_elem_rule rules[] = {
		{ "target", XLITE_ELEM_PARSE, parse_console_target, true, NULL },
		{ "alias", XLITE_ELEM_SILENT, NULL, false, NULL },
	};
	char *type = xlite_parse_attr(node, "type");
	int rc;

	xlite_parse_attrs(p, node, known);
	if (p->have_console) {
		xlite_parse_warn(p, node,
			"second <console> ignored: a PV guest has one console");
		g_free(type);
		return 0;
	}
	p->have_console = true;
	if (type && strcmp(type, "pty") != 0)
		xlite_parse_warn(p, node,
			"console type '%s' ignored: xenconsoled gives the console a pty", type);
	g_free(type);
	rc = xlite_parse_children(p, node, rules, sizeof(rules) / sizeof(rules[0]));
	return rc;
}

static int parse_memballoon(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "model", "autodeflate", NULL };
	char *model = xlite_parse_attr(node, "model");

	xlite_parse_attrs(p, node, known);
	if (model && strcmp(model, "xen") != 0 && strcmp(model, "none") != 0)
		xlite_parse_warn(p, node,
			"memballoon model '%s' ignored: PV guests balloon through xenstore", model);
	g_free(model);
	return 0;
}

/* <controller type='xenbus' maxGrantFrames='64' maxEventChannels='2047'/>:
 * limits Xen takes at create; other controllers belong to emulated buses. */
static int parse_controller(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "type", "index", "model", "maxGrantFrames",
					     "maxEventChannels", NULL };
	g_autofree char *type = xlite_parse_attr(node, "type");
	int rc;

	xlite_parse_attrs(p, node, known);
	if (!type || strcmp(type, "xenbus") != 0) {
		xlite_parse_warn(p, node,
			"<controller type='%s'> ignored: it is a bus of emulated devices, a PV guest's devices are on xenbus",
			type ? type : "");
		return 0;
	}
	rc = parse_uint_attr(p, node, "maxGrantFrames", 1, 1u << 16, "",
			     &p->cfg->max_grant_frames);
	if (rc == 0)	/* Xen's FIFO ABI: ports below 2^17 */
		rc = parse_uint_attr(p, node, "maxEventChannels", 1, (1u << 17) - 1, "",
				     &p->cfg->max_event_channels);
	return rc;
}

int xlite_parse_devices(struct xlite_parse *p, xmlNode *node)
{
	static const char no_fb[] = "xlite PV guests have no framebuffer, use the console";
	static const char nope[] = "not supported by xlite";
	static const struct xlite_elem_rule rules[] = {
		{ "disk", XLITE_ELEM_PARSE, parse_disk, false, NULL },
		{ "interface", XLITE_ELEM_PARSE, parse_interface, false, NULL },
		{ "console", XLITE_ELEM_PARSE, parse_console, false, NULL },
		{ "memballoon", XLITE_ELEM_PARSE, parse_memballoon, true, NULL },
		{ "emulator", XLITE_ELEM_IGNORED, NULL, false, "PV guests need no device model" },
		{ "graphics", XLITE_ELEM_IGNORED, NULL, false, no_fb },
		{ "video", XLITE_ELEM_IGNORED, NULL, false, no_fb },
		{ "input", XLITE_ELEM_IGNORED, NULL, false, no_fb },
		{ "sound", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "serial", XLITE_ELEM_IGNORED, NULL, false, "a PV guest's console is <console>" },
		{ "parallel", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "channel", XLITE_ELEM_IGNORED, NULL, false,
		  "a channel (such as qemu's guest agent) is a device of qemu, and a PV guest has no device model" },
		{ "controller", XLITE_ELEM_PARSE, parse_controller, false, NULL },
		{ "watchdog", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "rng", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "tpm", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "smartcard", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "redirdev", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "hub", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "panic", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "hostdev", XLITE_ELEM_UNSUPPORTED, NULL, false,
		  "PCI/USB passthrough is not available in xlite" },
		{ "filesystem", XLITE_ELEM_UNSUPPORTED, NULL, false,
		  "shared file systems (9pfs) are not available in xlite" },
	};

	xlite_parse_attrs(p, node, no_attrs);
	return xlite_parse_children(p, node, rules, sizeof(rules) / sizeof(rules[0]));
}
