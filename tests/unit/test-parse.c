/* Domain XML parser: what it accepts, what it fills in, and how it says no. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/util/number.h"
#include "tests/unit/test-parse-helpers.h"

static void test_minimal_domain_gets_defaults(void)
{
	struct xlite_config cfg;
	g_autofree char *xml = domain_xml(NULL, NULL);
	char *err = NULL;

	xlite_config_init(&cfg);
	g_assert_cmpint(parse_text(&cfg, xml, NULL, &err), ==, 0);
	g_assert_null(err);
	g_assert_cmpstr(cfg.name, ==, "t1");
	g_assert_cmpstr(cfg.file, ==, "t.xml");
	g_assert_cmpuint(cfg.memory_kib, ==, 64 * 1024);
	g_assert_cmpuint(cfg.current_kib, ==, 64 * 1024);
	g_assert_cmpuint(cfg.min_kib, ==, 0);
	g_assert_cmpuint(cfg.max_vcpus, ==, 1);
	g_assert_cmpuint(cfg.cur_vcpus, ==, 1);
	g_assert_cmpuint(cfg.weight, ==, 0);
	g_assert_cmpuint(cfg.cap, ==, 0);
	g_assert_cmpstr(cfg.os_type, ==, "linux");
	g_assert_cmpstr(cfg.kernel, ==, "/k");
	g_assert_cmpint(cfg.kernel_line, ==, 6);
	g_assert_null(cfg.initrd);
	g_assert_null(cfg.cmdline);
	g_assert_cmpint(cfg.on_poweroff, ==, XLITE_ACTION_DESTROY);
	g_assert_cmpint(cfg.on_reboot, ==, XLITE_ACTION_RESTART);
	g_assert_cmpint(cfg.on_crash, ==, XLITE_ACTION_DESTROY);
	g_assert_false(cfg.uuid_given);
	g_assert_cmpuint(cfg.uuid[6] >> 4, ==, 4);	/* random, version 4 */
	g_assert_cmpuint(cfg.n_disks, ==, 0);
	g_assert_cmpuint(cfg.n_nics, ==, 0);
	xlite_config_dispose(&cfg);
}

static void test_full_domain_is_read(void)
{
	static const char xml[] =
		"<domain type='xen' id='7'>\n"
		"  <name>web.example_1-a</name>\n"
		"  <uuid>C7A5FDB2-CDAF-9455-926A-D65C16DB1809</uuid>\n"
		"  <memory unit='GiB'>2</memory>\n"
		"  <currentMemory unit='MiB'>1024</currentMemory>\n"
		"  <memtune><min_guarantee unit='M'>512</min_guarantee></memtune>\n"
		"  <vcpu placement='static' current='3'>4</vcpu>\n"
		"  <cputune><shares>512</shares><cap>250</cap></cputune>\n"
		"  <os>\n"
		"    <type arch='x86_64' machine='xenpv'>xen</type>\n"
		"    <kernel>/boot/vmlinuz</kernel>\n"
		"    <initrd>/boot/initrd</initrd>\n"
		"    <cmdline>root=/dev/xvda1 console=hvc0</cmdline>\n"
		"  </os>\n"
		"  <on_poweroff>preserve</on_poweroff>\n"
		"  <on_reboot>rename-restart</on_reboot>\n"
		"  <on_crash>coredump-destroy</on_crash>\n"
		"  <devices>\n"
		"    <disk type='block' device='disk'>\n"
		"      <source dev='/dev/vg/web'/><target dev='xvdb' bus='xen'/><readonly/>\n"
		"    </disk>\n"
		"    <interface type='bridge'>\n"
		"      <mac address='00:16:3E:AA:bb:01'/><source bridge='br0'/>\n"
		"    </interface>\n"
		"    <console type='pty'><target type='xen' port='0'/></console>\n"
		"  </devices>\n"
		"  <features><xen><e820_host state='on'/></xen></features>\n"
		"</domain>\n";
	static const uint8_t uuid[16] = { 0xc7, 0xa5, 0xfd, 0xb2, 0xcd, 0xaf, 0x94, 0x55,
					  0x92, 0x6a, 0xd6, 0x5c, 0x16, 0xdb, 0x18, 0x09 };
	static const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0xaa, 0xbb, 0x01 };
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	struct xlite_config cfg;
	char *err = NULL;

	xlite_config_init(&cfg);
	g_assert_cmpint(parse_text(&cfg, xml, warnings, &err), ==, 0);
	g_assert_cmpuint(warnings->len, ==, 0);
	g_assert_cmpstr(cfg.name, ==, "web.example_1-a");
	g_assert_true(cfg.uuid_given);
	g_assert_cmpmem(cfg.uuid, 16, uuid, 16);
	g_assert_cmpuint(cfg.memory_kib, ==, 2 * 1024 * 1024);
	g_assert_cmpuint(cfg.current_kib, ==, 1024 * 1024);
	g_assert_cmpuint(cfg.min_kib, ==, 512 * 1024);
	g_assert_cmpuint(cfg.max_vcpus, ==, 4);
	g_assert_cmpuint(cfg.cur_vcpus, ==, 3);
	g_assert_cmpuint(cfg.weight, ==, 512);
	g_assert_cmpuint(cfg.cap, ==, 250);
	g_assert_cmpstr(cfg.os_type, ==, "xen");
	g_assert_cmpstr(cfg.initrd, ==, "/boot/initrd");
	g_assert_cmpint(cfg.initrd_line, ==, 12);
	g_assert_cmpstr(cfg.cmdline, ==, "root=/dev/xvda1 console=hvc0");
	g_assert_cmpint(cfg.on_poweroff, ==, XLITE_ACTION_PRESERVE);
	g_assert_cmpint(cfg.on_reboot, ==, XLITE_ACTION_RENAME_RESTART);
	g_assert_cmpint(cfg.on_crash, ==, XLITE_ACTION_COREDUMP_DESTROY);
	g_assert_cmpuint(cfg.n_disks, ==, 1);
	g_assert_cmpint(cfg.disks[0].type, ==, XLITE_DISK_BLOCK);
	g_assert_cmpstr(cfg.disks[0].source, ==, "/dev/vg/web");
	g_assert_cmpstr(cfg.disks[0].target, ==, "xvdb");
	g_assert_cmpuint(cfg.disks[0].vdev, ==, 51728);
	g_assert_true(cfg.disks[0].readonly);
	g_assert_false(cfg.disks[0].shareable);
	g_assert_cmpint(cfg.disks[0].line, ==, 19);
	g_assert_cmpuint(cfg.n_nics, ==, 1);
	g_assert_cmpstr(cfg.nics[0].bridge, ==, "br0");
	g_assert_true(cfg.nics[0].mac_given);
	g_assert_cmpmem(cfg.nics[0].mac, 6, mac, 6);
	g_assert_cmpint(cfg.nics[0].line, ==, 22);
	g_assert_true(cfg.e820_host);
	xlite_config_dispose(&cfg);
}

/* ---- memory units ---- */

struct unit_case {
	const char *value, *unit;
	int rc;
	uint64_t kib;
};

static void test_memory_units_follow_libvirt(void)
{
	static const struct unit_case cases[] = {
		{ "1", "b", 0, 1 },		/* rounded up to KiB */
		{ "1024", "bytes", 0, 1 },
		{ "1025", "byte", 0, 2 },
		{ "1", "KB", 0, 1 },		/* 1000 bytes */
		{ "1024", "KB", 0, 1000 },
		{ "1", "k", 0, 1 },
		{ "1", "K", 0, 1 },
		{ "1", "KiB", 0, 1 },
		{ "7", NULL, 0, 7 },		/* KiB by default */
		{ "1", "MB", 0, 977 },
		{ "1", "M", 0, 1024 },
		{ "1", "MiB", 0, 1024 },
		{ "3", "mib", 0, 3072 },	/* any case, as libvirt */
		{ "1", "GB", 0, 976563 },
		{ "1", "G", 0, 1048576 },
		{ "1", "GiB", 0, 1048576 },
		{ "1", "TB", 0, 976562500 },
		{ "1", "T", 0, 1073741824 },
		{ "1", "TiB", 0, 1073741824 },
		{ " 42\n", "MiB", 0, 43008 },	/* white space around the number */
		{ "1", "XB", -EINVAL, 0 },
		{ "1", "MiBs", -EINVAL, 0 },
		{ "1", "", 0, 1 },
		{ "1.5", "GiB", -EINVAL, 0 },
		{ "-1", NULL, -EINVAL, 0 },
		{ "+1", NULL, -EINVAL, 0 },
		{ "", NULL, -EINVAL, 0 },
		{ "0x10", NULL, -EINVAL, 0 },
		{ "18446744073709551615", "EiB", -ERANGE, 0 },
		{ "18446744073709551616", NULL, -ERANGE, 0 },
		{ "18446744073709551615", "b", -ERANGE, 0 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		uint64_t kib = 0;
		int rc = xlite_memory_to_kib(cases[i].value, cases[i].unit, &kib);

		g_test_message("'%s' %s", cases[i].value, cases[i].unit ? cases[i].unit : "(none)");
		g_assert_cmpint(rc, ==, cases[i].rc);
		if (rc == 0)
			g_assert_cmpuint(kib, ==, cases[i].kib);
	}
}

/* The one number parser: digits only, within bounds, else -EINVAL (not a
 * number) or -ERANGE (a number out of bounds). */
static void test_number_parse_is_strict(void)
{
	static const struct {
		const char *s;
		uint64_t min, max;
		int rc;
		uint64_t v;
	} cases[] = {
		{ "0", 0, 10, 0, 0 },
		{ "10", 0, 10, 0, 10 },
		{ "007", 0, 10, 0, 7 },
		{ "18446744073709551615", 0, UINT64_MAX, 0, UINT64_MAX },
		{ "11", 0, 10, -ERANGE, 0 },
		{ "0", 1, 10, -ERANGE, 0 },
		{ "18446744073709551616", 0, UINT64_MAX, -ERANGE, 0 },
		{ "99999999999999999999999", 0, UINT64_MAX, -ERANGE, 0 },
		{ "", 0, 10, -EINVAL, 0 },
		{ NULL, 0, 10, -EINVAL, 0 },
		{ "-1", 0, 10, -EINVAL, 0 },
		{ "-0", 0, 10, -EINVAL, 0 },
		{ "+1", 0, 10, -EINVAL, 0 },
		{ " 1", 0, 10, -EINVAL, 0 },
		{ "1 ", 0, 10, -EINVAL, 0 },
		{ "1x", 0, 10, -EINVAL, 0 },
		{ "1.0", 0, 10, -EINVAL, 0 },
		{ "0x1", 0, 10, -EINVAL, 0 },
		{ "one", 0, 10, -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		uint64_t v = 12345;
		int rc = xlite_number_parse(cases[i].s, cases[i].min, cases[i].max, &v);

		g_test_message("'%s' in [%" PRIu64 ", %" PRIu64 "]", cases[i].s ? cases[i].s : "(null)",
			       cases[i].min, cases[i].max);
		g_assert_cmpint(rc, ==, cases[i].rc);
		g_assert_cmpuint(v, ==, rc == 0 ? cases[i].v : 12345);
	}
}

static void test_memory_unit_attribute_is_applied(void)
{
	static const char xml[] =
		"<domain type='xen'><name>u</name>\n"
		"<memory unit='GB'>1</memory>\n"
		"<currentMemory unit='bytes'>536870912</currentMemory>\n"
		"<memtune><min_guarantee unit='KiB'>65536</min_guarantee></memtune>\n"
		"<os><type>linux</type><kernel>/k</kernel></os></domain>\n";
	struct xlite_config cfg;
	char *err = NULL;

	xlite_config_init(&cfg);
	g_assert_cmpint(parse_text(&cfg, xml, NULL, &err), ==, 0);
	g_assert_cmpuint(cfg.memory_kib, ==, 976563);
	g_assert_cmpuint(cfg.current_kib, ==, 524288);
	g_assert_cmpuint(cfg.min_kib, ==, 65536);
	xlite_config_dispose(&cfg);
}

/* ---- names, uuids, vdevs ---- */

static void test_domain_names(void)
{
	static const char *const good[] = { "a", "web", "Web-01.example_x", "0a", "1.2",
		"a-", "_", "a123456789012345678901234567890123456789012345678901234567890123" };
	static const char *const bad[] = { "", "1234", "007", "-web", "we b", "web/1",
		"wéb", "a:b", "x$y",
		"01234567890123456789012345678901234567890123456789012345678901234" };
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(good); i++)
		g_assert_null(xlite_name_invalid(good[i]));
	for (i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_nonnull(xlite_name_invalid(bad[i]));
}

static void test_uuid_text_forms(void)
{
	uint8_t u[16];
	char s[XLITE_UUID_STRLEN];

	g_assert_cmpint(xlite_uuid_parse("c7a5fdb2-cdaf-9455-926a-d65c16db1809", u), ==, 0);
	xlite_uuid_format(u, s);
	g_assert_cmpstr(s, ==, "c7a5fdb2-cdaf-9455-926a-d65c16db1809");
	g_assert_cmpint(xlite_uuid_parse("C7A5FDB2CDAF9455926AD65C16DB1809", u), ==, 0);
	xlite_uuid_format(u, s);
	g_assert_cmpstr(s, ==, "c7a5fdb2-cdaf-9455-926a-d65c16db1809");
	g_assert_cmpint(xlite_uuid_parse("c7a5fdb2-cdaf-9455-926a-d65c16db180", u), ==, -EINVAL);
	g_assert_cmpint(xlite_uuid_parse("c7a5fdb2-cdaf-9455-926a-d65c16db18090", u), ==, -EINVAL);
	g_assert_cmpint(xlite_uuid_parse("c7a5fdb2xcdaf-9455-926a-d65c16db1809", u), ==, -EINVAL);
	g_assert_cmpint(xlite_uuid_parse("g7a5fdb2-cdaf-9455-926a-d65c16db1809", u), ==, -EINVAL);
	g_assert_cmpint(xlite_uuid_parse("c7a5fdb-2cdaf-9455-926a-d65c16db1809", u), ==, -EINVAL);
	g_assert_cmpint(xlite_uuid_parse("", u), ==, -EINVAL);
}

static void test_generated_uuids_differ(void)
{
	uint8_t a[16], b[16];

	g_assert_cmpint(xlite_uuid_generate(a), ==, 0);
	g_assert_cmpint(xlite_uuid_generate(b), ==, 0);
	g_assert_true(memcmp(a, b, 16) != 0);
	g_assert_cmpuint(a[6] >> 4, ==, 4);
	g_assert_cmpuint(a[8] >> 6, ==, 2);
}

static void test_vdev_numbers(void)
{
	static const struct { const char *name; unsigned int vdev; } good[] = {
		{ "xvda", 51712 },			/* (202 << 8) | (0 << 4) */
		{ "xvdb", 51728 },
		{ "xvdc", 51744 },
		{ "xvdp", (202 << 8) | (15 << 4) },
		{ "xvda1", 51713 },
		{ "xvdb15", 51728 + 15 },
		{ "xvdq", (1u << 28) | (16 << 8) },	/* extended from index 16 on */
		{ "xvdz", (1u << 28) | (25 << 8) },
		{ "xvdaa", (1u << 28) | (26 << 8) },
		{ "xvdba", (1u << 28) | (52 << 8) },
		{ "xvdzz", (1u << 28) | (701 << 8) },
		{ "xvda16", (1u << 28) | 16 },		/* partition > 15: extended */
		{ "xvdq3", (1u << 28) | (16 << 8) | 3 },
	};
	static const char *const bad[] = { "xvd", "hda", "sda", "xvdA", "xvda0", "xvdaaa",
		"xvda256", "xvd1", "xvda01", "vda", "xvda-1", "xvda1x", "" };
	unsigned int vdev;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(good); i++) {
		g_test_message("%s", good[i].name);
		g_assert_cmpint(xlite_vdev_parse(good[i].name, &vdev), ==, 0);
		g_assert_cmpuint(vdev, ==, good[i].vdev);
	}
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("%s", bad[i]);
		g_assert_cmpint(xlite_vdev_parse(bad[i], &vdev), ==, -EINVAL);
	}
}

static void test_actions_by_name(void)
{
	enum xlite_action a;

	g_assert_cmpint(xlite_action_parse("coredump-restart", &a), ==, 0);
	g_assert_cmpint(a, ==, XLITE_ACTION_COREDUMP_RESTART);
	g_assert_cmpstr(xlite_action_name(XLITE_ACTION_RENAME_RESTART), ==, "rename-restart");
	g_assert_cmpint(xlite_action_parse("Destroy", &a), ==, -EINVAL);
}

/* ---- errors: each names FILE:LINE, what is wrong and what was expected ---- */

struct error_case {
	const char *what;
	const char *xml;	/* whole document, or NULL: EXTRA/DEVICES in domain_xml */
	const char *extra, *devices;
	int line;
	const char *needle;	/* must appear in the message */
};

static const struct error_case error_cases[] = {
	{ "not well-formed", "<domain type='xen'>\n<name>x</name>\n<memory>1</memory\n</domain>\n",
	  NULL, NULL, 4, "not well-formed XML: expected '>'" },	/* "</memory \n>" is fine */
	{ "doctype with entity", "<!DOCTYPE domain [<!ENTITY big 'xxxx'>]>\n"
	  "<domain type='xen'><name>&big;</name></domain>\n", NULL, NULL, 1, "<!DOCTYPE> is not accepted" },
	{ "root element", "<?xml version='1.0'?>\n<vm type='xen'/>\n", NULL, NULL, 2,
	  "root element <vm>, expected <domain>" },
	{ "stray text", "<domain type='xen'>\n<name>x</name>\n  stray words\n<memory>1</memory></domain>\n",
	  NULL, NULL, 3, "text 'stray words' inside <domain>, expected only elements" },
	{ "kvm domain", "<domain type='kvm'>\n<name>x</name></domain>\n", NULL, NULL, 1,
	  "domain type 'kvm' is not supported, expected type='xen'" },
	{ "no domain type", "<domain>\n<name>x</name></domain>\n", NULL, NULL, 1,
	  "expected <domain type='xen'>" },
	{ "no name", "<domain type='xen'>\n<memory>1024</memory>\n"
	  "<os><type>linux</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 1,
	  "has no <name>" },
	{ "name with space", "<domain type='xen'>\n<name>my vm</name></domain>\n", NULL, NULL, 2,
	  "invalid domain name 'my vm'" },
	{ "numeric name", "<domain type='xen'>\n\n<name>42</name></domain>\n", NULL, NULL, 3,
	  "all digits" },
	{ "long name", "<domain type='xen'>\n<name>"
	  "a1234567890123456789012345678901234567890123456789012345678901234</name></domain>\n",
	  NULL, NULL, 2, "longer than 64" },
	{ "option-like name", "<domain type='xen'>\n<name>-rf</name></domain>\n", NULL, NULL, 2,
	  "starts with '-'" },
	{ "bad uuid", NULL, "  <uuid>1234-5678</uuid>\n", NULL, 8, "invalid uuid '1234-5678', expected" },
	{ "two memories", NULL, "  <memory>1024</memory>\n", NULL, 8,
	  "second <memory> in <domain> (the first is at line 3)" },
	{ "no memory", "<domain type='xen'>\n<name>x</name>\n"
	  "<os><type>linux</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 1,
	  "has no <memory>" },
	{ "zero memory", "<domain type='xen'><name>x</name>\n\n<memory>0</memory>\n"
	  "<os><type>linux</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 3,
	  "<memory> is 0" },
	{ "absurd memory", "<domain type='xen'><name>x</name>\n<memory unit='TiB'>17</memory>\n"
	  "<os><type>linux</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 2,
	  "more than 16 TiB" },
	{ "memory not a number", "<domain type='xen'><name>x</name>\n<memory>12x</memory>\n"
	  "<os><type>linux</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 2,
	  "<memory> holds '12x', expected a whole number" },
	{ "memory unit", "<domain type='xen'><name>x</name>\n<memory unit='XB'>12</memory>\n"
	  "<os><type>linux</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 2,
	  "unknown unit 'XB', expected" },
	{ "memory overflow", "<domain type='xen'><name>x</name>\n"
	  "<memory unit='EiB'>99999999999</memory>\n"
	  "<os><type>linux</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 2, "too large" },
	{ "current above memory", NULL, "  <currentMemory unit='MiB'>65</currentMemory>\n", NULL, 8,
	  "<currentMemory> (66560 KiB) is larger than <memory> (65536 KiB)" },
	{ "min above current", NULL,
	  "  <currentMemory unit='MiB'>32</currentMemory>\n"
	  "  <memtune>\n    <min_guarantee unit='MiB'>33</min_guarantee>\n  </memtune>\n", NULL, 10,
	  "<min_guarantee> (33792 KiB) is larger than <currentMemory> (32768 KiB)" },
	{ "zero vcpus", NULL, "  <vcpu>0</vcpu>\n", NULL, 8, "<vcpu> '0', expected a number from 1 to 512" },
	{ "too many vcpus", NULL, "  <vcpu>513</vcpu>\n", NULL, 8, "from 1 to 512" },
	{ "vcpus in words", NULL, "  <vcpu>two</vcpu>\n", NULL, 8, "<vcpu> 'two'" },
	{ "vcpus with a sign", NULL, "  <vcpu>+2</vcpu>\n", NULL, 8, "<vcpu> '+2', expected a" },
	{ "vcpus negative", NULL, "  <vcpu>-1</vcpu>\n", NULL, 8, "<vcpu> '-1', expected a" },
	{ "vcpus and junk", NULL, "  <vcpu>2x</vcpu>\n", NULL, 8, "<vcpu> '2x', expected a" },
	{ "vcpus beyond 64 bits", NULL, "  <vcpu>18446744073709551617</vcpu>\n", NULL, 8,
	  "<vcpu> '18446744073709551617', expected a number from 1 to 512" },
	{ "current above vcpus", NULL, "  <vcpu current='3'>2</vcpu>\n", NULL, 8,
	  "<vcpu current='3'> is more than the 2 vCPUs given" },
	{ "zero current vcpus", NULL, "  <vcpu current='0'>2</vcpu>\n", NULL, 8,
	  "<vcpu current=...> '0'" },
	{ "zero shares", NULL, "  <cputune>\n    <shares>0</shares>\n  </cputune>\n", NULL, 9,
	  "<shares> '0', expected a credit scheduler weight from 1 to 65535" },
	{ "huge shares", NULL, "  <cputune><shares>65536</shares></cputune>\n", NULL, 8, "65535" },
	{ "cap above vcpus", NULL, "  <cputune>\n<cap>101</cap></cputune>\n", NULL, 9,
	  "<cap> 101% is more than 1 vCPUs can use, expected at most 100" },
	{ "hvm", "<domain type='xen'><name>x</name><memory>1024</memory>\n<os>\n"
	  "<type>hvm</type><loader>/usr/lib/xen/boot/hvmloader</loader></os></domain>\n", NULL, NULL, 3,
	  "HVM guests are not supported" },
	{ "pvh machine on a pv type", "<domain type='xen'><name>x</name><memory>1024</memory>\n<os>\n"
	  "<type machine='xenpvh'>linux</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 3,
	  "machine 'xenpvh' is not supported for <type>linux</type> (PVH is <type machine='xenpvh'>xenpvh</type>), expected xenpv" },
	{ "pv machine on the pvh type", "<domain type='xen'><name>x</name><memory>1024</memory>\n<os>\n"
	  "<type machine='xenpv'>xenpvh</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 3,
	  "machine 'xenpv' does not go with <type>xenpvh</type>, expected machine='xenpvh'" },
	{ "hvm machine", "<domain type='xen'><name>x</name><memory>1024</memory>\n<os>\n"
	  "<type machine='xenfv'>linux</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 3,
	  "(HVM)" },
	{ "32-bit", "<domain type='xen'><name>x</name><memory>1024</memory>\n<os>\n"
	  "<type arch='i686'>linux</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 3,
	  "arch 'i686' is not supported, expected x86_64" },
	{ "exe os", "<domain type='xen'><name>x</name><memory>1024</memory>\n<os>\n"
	  "<type>exe</type><kernel>/k</kernel></os></domain>\n", NULL, NULL, 3,
	  "os type 'exe' is not supported, expected linux or xen (a PV guest) or xenpvh (a PVH guest)" },
	{ "e820_host neither on nor off", "<domain type='xen'><name>x</name><memory>1024</memory>\n"
	  "<os><type>linux</type><kernel>/k</kernel></os>\n<features>\n<xen>\n"
	  "<e820_host state='yes'/></xen></features></domain>\n", NULL, NULL, 5,
	  "<e820_host state='yes'>: expected state='on' or 'off'" },
	{ "empty bootloader", "<domain type='xen'><name>x</name><memory>1024</memory>\n"
	  "<bootloader> </bootloader>\n<os><type>linux</type></os></domain>\n", NULL, NULL, 2,
	  "<bootloader> is empty, expected pygrub (or its path)" },
	{ "no os", "<domain type='xen'>\n<name>x</name><memory>1024</memory></domain>\n", NULL, NULL, 1,
	  "<domain> has no <os>" },
	{ "no os type", "<domain type='xen'><name>x</name><memory>1024</memory>\n"
	  "<os>\n<kernel>/k</kernel></os></domain>\n", NULL, NULL, 2, "<os> has no <type>" },
	{ "relative kernel", "<domain type='xen'><name>x</name><memory>1024</memory><os>\n"
	  "<type>linux</type>\n<kernel>vmlinuz</kernel></os></domain>\n", NULL, NULL, 3,
	  "<kernel> 'vmlinuz' is not an absolute path" },
	{ "element in text", "<domain type='xen'>\n<name><b>x</b></name></domain>\n", NULL, NULL, 2,
	  "<b> inside <name>, expected only text" },
	{ "bad action", NULL, "  <on_crash>explode</on_crash>\n", NULL, 8,
	  "<on_crash> 'explode', expected destroy, restart, preserve" },
	{ "cdrom", NULL, NULL, "    <disk type='file' device='cdrom'>\n"
	  "<source file='/x.iso'/><target dev='xvdc'/></disk>\n", 9,
	  "disk device 'cdrom' is not supported (no CD-ROM for PV guests), expected device='disk'" },
	{ "floppy", NULL, NULL, "    <disk type='file' device='floppy'/>\n", 9,
	  "disk device 'floppy' is not supported" },
	{ "network disk", NULL, NULL, "    <disk type='network'/>\n", 9,
	  "disk type 'network' is not supported, expected type='file' (an image) or type='block'" },
	{ "vmdk", NULL, NULL, "    <disk type='file'>\n      <driver name='qemu' type='vmdk'/>\n"
	  "<source file='/a.img'/><target dev='xvda'/></disk>\n", 10,
	  "disk format 'vmdk' is not supported, expected type='raw' or type='qcow2'" },
	{ "no disk source", NULL, NULL, "    <disk type='file'>\n<target dev='xvda'/></disk>\n", 9,
	  "<disk> has no <source>, expected <source file='/path'/>" },
	{ "block disk with file=", NULL, NULL, "    <disk type='block'>\n"
	  "<source file='/a.img'/>\n<target dev='xvda'/></disk>\n", 10,
	  "has no dev=..., expected <source dev='/path'/> (file= goes with type='file')" },
	{ "relative disk source", NULL, NULL, "    <disk type='file'>\n<source file='a.img'/>"
	  "<target dev='xvda'/></disk>\n", 10, "disk source 'a.img' is not an absolute path" },
	{ "hda target", NULL, NULL, "    <disk type='file'><source file='/a.img'/>\n"
	  "<target dev='hda'/></disk>\n", 10,
	  "disk target 'hda' is not a Xen PV disk name, expected xvda" },
	{ "no disk target", NULL, NULL, "    <disk type='file'>\n<source file='/a.img'/></disk>\n", 9,
	  "<disk> has no <target>" },
	{ "ide bus", NULL, NULL, "    <disk type='file'><source file='/a.img'/>\n"
	  "<target dev='xvda' bus='ide'/></disk>\n", 10, "disk bus 'ide' is not supported" },
	{ "same target twice", NULL, NULL,
	  "    <disk type='file'><source file='/a.img'/><target dev='xvda'/></disk>\n"
	  "    <disk type='file'><source file='/b.img'/><target dev='xvda'/></disk>\n", 10,
	  "disk target 'xvda' is already used by the disk at line 9" },
	{ "shareable with content", NULL, NULL, "    <disk type='file'><source file='/a.img'/>\n"
	  "<target dev='xvda'/><shareable>yes</shareable></disk>\n", 10,
	  "<shareable> has content, expected <shareable/>" },
	{ "ethernet interface with another script", NULL, NULL, "    <interface type='ethernet'>\n"
	  "<script path='/etc/xen/scripts/vif-nat'/></interface>\n", 10,
	  "script '/etc/xen/scripts/vif-nat' is not supported: xlite runs no hotplug script" },
	{ "ethernet interface on a bridge", NULL, NULL, "    <interface type='ethernet'>\n"
	  "<source bridge='br0'/></interface>\n", 9,
	  "a routed vif is on no bridge" },
	{ "bridged interface with vif-route", NULL, NULL, "    <interface type='bridge'>\n"
	  "<source bridge='br0'/><script path='vif-route'/></interface>\n", 9,
	  "with script vif-route, expected type='ethernet'" },
	{ "bad ip", NULL, NULL, "    <interface type='ethernet'>\n"
	  "<ip address='10.0.0.300'/></interface>\n", 10,
	  "<ip address='10.0.0.300'> is not an IPv4 or IPv6 address" },
	{ "bad mtu", NULL, NULL, "    <interface type='ethernet'>\n"
	  "<mtu size='20'/></interface>\n", 10,
	  "<mtu size='20'>, expected a number from 68 to 65535" },
	{ "bad vif name", NULL, NULL, "    <interface type='ethernet'>\n"
	  "<target dev='a/b'/></interface>\n", 10,
	  "invalid interface name 'a/b'" },
	{ "zero bandwidth", NULL, NULL, "    <interface type='ethernet'>\n"
	  "<bandwidth><outbound average='0'/></bandwidth></interface>\n", 10,
	  "<outbound average='0'>, expected a number from 1 to 4294967295 (KiB/s)" },
	{ "grant frames out of range", NULL, NULL,
	  "    <controller type='xenbus' maxGrantFrames='0'/>\n", 9,
	  "<controller maxGrantFrames='0'>, expected a number from 1 to 65536" },
	{ "event channels out of range", NULL, NULL,
	  "    <controller type='xenbus' maxEventChannels='131072'/>\n", 9,
	  "maxEventChannels='131072'>, expected a number from 1 to 131071" },
	{ "network interface", NULL, NULL, "    <interface type='network'/>\n", 9,
	  "interface type 'network' is not supported" },
	{ "bridge without source", NULL, NULL, "    <interface type='bridge'>\n"
	  "<mac address='00:16:3e:3e:86:60'/></interface>\n", 9,
	  "has no <source>, expected <source bridge='br0'/>" },
	{ "long bridge name", NULL, NULL, "    <interface type='bridge'>\n"
	  "<source bridge='abcdefghijklmnop'/></interface>\n", 10,
	  "invalid bridge name 'abcdefghijklmnop': it is longer than 15 characters" },
	{ "bridge name with slash", NULL, NULL, "    <interface type='bridge'>\n"
	  "<source bridge='br/0'/></interface>\n", 10, "invalid bridge name 'br/0'" },
	{ "bad mac", NULL, NULL, "    <interface type='bridge'><source bridge='br0'/>\n"
	  "<mac address='00:16:3e:zz:00:00'/></interface>\n", 10,
	  "invalid MAC address '00:16:3e:zz:00:00', expected six hex pairs" },
	{ "short mac", NULL, NULL, "    <interface type='bridge'><source bridge='br0'/>\n"
	  "<mac address='00:16:3e:00:00'/></interface>\n", 10, "invalid MAC address" },
	{ "multicast mac", NULL, NULL, "    <interface type='bridge'><source bridge='br0'/>\n"
	  "<mac address='01:00:5e:00:00:01'/></interface>\n", 10,
	  "it is a multicast address, a NIC needs a unicast one" },
	{ "zero mac", NULL, NULL, "    <interface type='bridge'><source bridge='br0'/>\n"
	  "<mac address='00:00:00:00:00:00'/></interface>\n", 10, "all zeros" },
	{ "same mac twice", NULL, NULL,
	  "    <interface type='bridge'><source bridge='br0'/><mac address='00:16:3e:00:00:01'/></interface>\n"
	  "    <interface type='bridge'><source bridge='br1'/><mac address='00:16:3E:00:00:01'/></interface>\n",
	  10, "MAC address 00:16:3e:00:00:01 is already used by the interface at line 9" },
	{ "passthrough", NULL, NULL, "    <hostdev mode='subsystem' type='pci'/>\n", 9,
	  "<hostdev> is not supported: PCI/USB passthrough" },
	{ "9pfs", NULL, NULL, "    <filesystem type='mount'/>\n", 9, "<filesystem> is not supported" },
	{ "pin of a missing vcpu", NULL, "  <vcpu>2</vcpu>\n  <cputune>\n"
	  "    <vcpupin vcpu='2' cpuset='0'/>\n  </cputune>\n", NULL, 10,
	  "<vcpupin vcpu='2'> names a vCPU the domain does not have, expected 0 to 1" },
	{ "vcpu pinned twice", NULL, "  <vcpu>2</vcpu>\n  <cputune>\n"
	  "    <vcpupin vcpu='1' cpuset='0'/>\n    <vcpupin vcpu='1' cpuset='1'/>\n  </cputune>\n",
	  NULL, 11, "pins vCPU 1 a second time (line 10)" },
	{ "pin without cpuset", NULL, "  <cputune><vcpupin vcpu='0'/></cputune>\n", NULL, 8,
	  "<vcpupin> needs vcpu='N' and cpuset='CPUS'" },
	{ "bad cpuset", NULL, "  <cputune><vcpupin vcpu='0' cpuset='1-x'/></cputune>\n", NULL, 8,
	  "<vcpupin cpuset='1-x'>, expected CPU numbers and ranges" },
	{ "cpuset excluding all", NULL, "  <vcpu cpuset='1,^1'>1</vcpu>\n", NULL, 8,
	  "<vcpu cpuset='1,^1'>, expected CPU numbers" },
	{ "cpuset beyond limit", NULL, "  <vcpu cpuset='0-1024'>1</vcpu>\n", NULL, 8,
	  "names a CPU of 1024 or more" },
};

static void test_error(gconstpointer data)
{
	const struct error_case *c = data;
	g_autofree char *xml = c->xml ? g_strdup(c->xml) : domain_xml(c->extra, c->devices);
	g_autofree char *prefix = g_strdup_printf("t.xml:%d: ", c->line);
	struct xlite_config cfg;
	char *err = NULL;

	xlite_config_init(&cfg);
	g_assert_cmpint(parse_text(&cfg, xml, NULL, &err), ==, -EINVAL);
	g_assert_nonnull(err);
	g_test_message("%s", err);
	g_assert_true(g_str_has_prefix(err, prefix));
	g_assert_nonnull(strstr(err, c->needle));
	g_assert_null(strchr(err, '\n'));
	/* nothing else happened: the config is as after _init */
	g_assert_null(cfg.name);
	g_assert_null(cfg.file);
	g_assert_null(cfg.disks);
	g_assert_cmpuint(cfg.n_disks, ==, 0);
	g_assert_cmpuint(cfg.n_nics, ==, 0);
	g_free(err);
	xlite_config_dispose(&cfg);
}

static void test_cpusets_parse_and_format(void)
{
	static const struct { const char *in, *out; } ok[] = {
		{ "0", "0" }, { "0-3", "0-3" }, { "0-3,^2", "0-1,3" }, { "5,1,2", "1-2,5" },
		{ "1023", "1023" }, { "0-7,^0,^7", "1-6" },
	};
	static const char *const bad[] = { "", ",", "1,", "-1", "3-1", "^1", "1-", "a", "1 ", "12345", "1024" };
	struct xlite_cpuset set;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(ok); i++) {
		g_autofree char *s = NULL;

		g_assert_cmpint(xlite_cpuset_parse(ok[i].in, &set), ==, 0);
		s = xlite_cpuset_format(&set, 0);
		g_assert_cmpstr(s, ==, ok[i].out);
	}
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("bad cpuset '%s'", bad[i]);
		g_assert_cmpint(xlite_cpuset_parse(bad[i], &set), <, 0);
	}
	g_assert_cmpint(xlite_cpuset_parse("0-1", &set), ==, 0);
	{
		g_autofree char *all = xlite_cpuset_format(&set, 2);
		g_autofree char *some = xlite_cpuset_format(&set, 4);

		g_assert_cmpstr(all, ==, "all");
		g_assert_cmpstr(some, ==, "0-1");
	}
	g_assert_cmpuint(xlite_cpuset_count(&set), ==, 2);
}

static void test_pins_and_min_are_read(void)
{
	g_autofree char *xml = domain_xml(
		"  <currentMemory unit='MiB'>48</currentMemory>\n"
		"  <memtune><min_guarantee unit='MiB'>32</min_guarantee></memtune>\n"
		"  <cputune><vcpupin vcpu='3' cpuset='2'/><vcpupin vcpu='0' cpuset='1'/>"
		"<shares>300</shares><cap>50</cap></cputune>\n"
		"  <vcpu current='1' cpuset='0-3'>4</vcpu>\n", NULL);
	struct xlite_config cfg;
	char *err = NULL;

	xlite_config_init(&cfg);
	g_assert_cmpint(parse_text(&cfg, xml, NULL, &err), ==, 0);
	g_assert_cmpuint(cfg.min_kib, ==, 32 * 1024);
	g_assert_cmpuint(cfg.current_kib, ==, 48 * 1024);
	g_assert_cmpuint(cfg.memory_kib, ==, 64 * 1024);
	g_assert_cmpuint(cfg.weight, ==, 300);
	g_assert_cmpuint(cfg.cap, ==, 50);
	g_assert_cmpuint(cfg.max_vcpus, ==, 4);
	g_assert_cmpuint(cfg.cur_vcpus, ==, 1);
	/* sorted: the <vcpu cpuset> one first, then by vCPU */
	g_assert_cmpuint(cfg.n_pins, ==, 3);
	g_assert_true(cfg.pins[0].all);
	g_assert_cmpuint(xlite_cpuset_count(&cfg.pins[0].cpus), ==, 4);
	g_assert_false(cfg.pins[1].all);
	g_assert_cmpuint(cfg.pins[1].vcpu, ==, 0);
	g_assert_true(xlite_cpuset_has(&cfg.pins[1].cpus, 1));
	g_assert_cmpuint(cfg.pins[2].vcpu, ==, 3);
	g_assert_true(xlite_cpuset_has(&cfg.pins[2].cpus, 2));
	g_assert_false(xlite_cpuset_has(&cfg.pins[2].cpus, 1));
	xlite_config_dispose(&cfg);
}

static void test_limits_on_device_counts(void)
{
	GString *devs = g_string_new(NULL);
	g_autofree char *xml = NULL;
	struct xlite_config cfg;
	char *err = NULL;
	int i;

	for (i = 0; i <= XLITE_MAX_NICS; i++)
		g_string_append_printf(devs, "<interface type='bridge'><source bridge='br%d'/></interface>\n", i);
	xml = domain_xml(NULL, devs->str);
	g_string_free(devs, TRUE);
	xlite_config_init(&cfg);
	g_assert_cmpint(parse_text(&cfg, xml, NULL, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "more than 32 interfaces"));
	g_free(err);
	xlite_config_dispose(&cfg);
}

static void test_cmdline_limit(void)
{
	g_autofree char *longline = g_strnfill(1024, 'x');
	g_autofree char *okline = g_strnfill(1023, 'x');
	g_autofree char *bad = g_strdup_printf("<domain type='xen'><name>x</name><memory>1024</memory>"
		"<os><type>linux</type><kernel>/k</kernel>\n<cmdline>%s</cmdline></os></domain>", longline);
	g_autofree char *good = g_strdup_printf("<domain type='xen'><name>x</name><memory>1024</memory>"
		"<os><type>linux</type><kernel>/k</kernel>\n<cmdline>%s</cmdline></os></domain>", okline);
	struct xlite_config cfg;
	char *err = NULL;

	xlite_config_init(&cfg);
	g_assert_cmpint(parse_text(&cfg, bad, NULL, &err), ==, -EINVAL);
	g_assert_true(g_str_has_prefix(err, "t.xml:2: <cmdline> is 1024 characters long, expected at most 1023"));
	g_free(err);
	g_assert_cmpint(parse_text(&cfg, good, NULL, &err), ==, 0);
	g_assert_cmpuint(strlen(cfg.cmdline), ==, 1023);
	xlite_config_dispose(&cfg);
}

/* ---- warnings: unknown or ignored things are named, never fatal ---- */

static gboolean has_warning(GPtrArray *w, const char *text)
{
	guint i;

	for (i = 0; i < w->len; i++)
		if (strcmp(w->pdata[i], text) == 0)
			return TRUE;
	return FALSE;
}

static void test_unknown_things_are_warned_about(void)
{
	static const char xml[] =
		"<domain type='xen' xmlns:foo='urn:foo'>\n"
		"  <name>t1</name>\n"
		"  <memory unit='MiB' dimm='2'>64</memory>\n"
		"  <frobnicate level='9'><deep/></frobnicate>\n"
		"  <foo:bar/>\n"
		"  <clock offset='localtime'/>\n"
		"  <features><pae/></features>\n"
		"  <os>\n"
		"    <type>linux</type>\n"
		"    <kernel>/k</kernel>\n"
		"    <boot dev='hd'/>\n"
		"  </os>\n"
		"  <devices>\n"
		"    <graphics type='vnc' port='-1'/>\n"
		"    <input type='mouse' bus='xen'/>\n"
		"    <disk type='file' snapshot='no'><source file='/a.img'/><target dev='xvda'/>\n"
		"      <shareable/></disk>\n"
		"    <interface type='bridge'><source bridge='br0'/>\n"
		"      <script path='vif-bridge'/><model type='e1000'/></interface>\n"
		"    <console type='file'/>\n"
		"    <console type='pty'/>\n"
		"    <emulator>/usr/bin/qemu</emulator>\n"
		"  </devices>\n"
		"  <maxMemory slots='16' unit='GiB'>4</maxMemory>\n"
		"</domain>\n";
	static const char *const expected[] = {
		"t.xml:3: unknown attribute 'dimm' on <memory>, ignored",
		"t.xml:4: unknown element <frobnicate> in <domain>, ignored",
		"t.xml:5: unknown element <foo:bar> in <domain>, ignored",
		"t.xml:6: <clock offset='localtime'> ignored: PV guests keep UTC from Xen",
		"t.xml:7: <pae> ignored: 64-bit PV guests always run with PAE paging",
		"t.xml:11: <boot> ignored: a PV guest boots its <kernel>, or through pvgrub2 from its disk",
		"t.xml:14: <graphics> ignored: xlite PV guests have no framebuffer, use the console",
		"t.xml:15: <input> ignored: xlite PV guests have no framebuffer, use the console",
		"t.xml:16: unknown attribute 'snapshot' on <disk>, ignored",
		"t.xml:19: NIC model 'e1000' ignored: PV guests use netfront",
		"t.xml:20: console type 'file' ignored: xenconsoled gives the console a pty",
		"t.xml:21: second <console> ignored: a PV guest has one console",
		"t.xml:22: <emulator> ignored: PV guests need no device model",
		"t.xml:24: <maxMemory> ignored: PV guests have no memory hotplug; <memory> is the maximum",
	};
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	struct xlite_config cfg;
	char *err = NULL;
	guint i;

	xlite_config_init(&cfg);
	g_assert_cmpint(parse_text(&cfg, xml, warnings, &err), ==, 0);
	for (i = 0; i < warnings->len; i++)
		g_test_message("warning: %s", (char *)warnings->pdata[i]);
	for (i = 0; i < G_N_ELEMENTS(expected); i++) {
		g_test_message("expecting %s", expected[i]);
		g_assert_true(has_warning(warnings, expected[i]));
	}
	g_assert_cmpuint(warnings->len, ==, G_N_ELEMENTS(expected));
	g_assert_cmpuint(cfg.n_disks, ==, 1);
	g_assert_true(cfg.disks[0].shareable);	/* understood, so no warning */
	g_assert_cmpuint(cfg.n_nics, ==, 1);
	xlite_config_dispose(&cfg);
}

static void test_warnings_may_go_nowhere(void)
{
	g_autofree char *xml = domain_xml("  <frobnicate/>\n", "    <graphics type='vnc'/>\n");
	struct xlite_config cfg;
	char *err = NULL;

	xlite_config_init(&cfg);
	g_assert_cmpint(parse_text(&cfg, xml, NULL, &err), ==, 0);
	xlite_config_dispose(&cfg);
}

static void test_examples_are_valid_without_warnings(void)
{
	static const char *const names[] = { "linux-pv.xml", "tiny.xml", "linux-pv-devices.xml" };
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *path = g_test_build_filename(G_TEST_DIST, "examples", names[i], NULL);
		g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
		struct xlite_config cfg;
		char *err = NULL;
		int rc;

		xlite_config_init(&cfg);
		rc = xlite_config_parse_file(&cfg, path, collect_warning, warnings, &err);
		if (rc < 0)
			g_test_message("%s", err);
		g_assert_cmpint(rc, ==, 0);
		g_assert_cmpuint(warnings->len, ==, 0);
		xlite_config_dispose(&cfg);
	}
}

static void test_examples_say_what_the_lab_expects(void)
{
	g_autofree char *linux_pv = g_test_build_filename(G_TEST_DIST, "examples", "linux-pv.xml", NULL);
	g_autofree char *tiny = g_test_build_filename(G_TEST_DIST, "examples", "tiny.xml", NULL);
	g_autofree char *devs = g_test_build_filename(G_TEST_DIST, "examples", "linux-pv-devices.xml", NULL);
	struct xlite_config cfg;
	char *err = NULL;

	xlite_config_init(&cfg);
	g_assert_cmpint(xlite_config_parse_file(&cfg, linux_pv, NULL, NULL, &err), ==, 0);
	g_assert_cmpstr(cfg.name, ==, "linux1");
	g_assert_cmpstr(cfg.kernel, ==, "/lab/guests/vmlinuz");
	g_assert_cmpstr(cfg.initrd, ==, "/lab/guests/initrd.gz");
	g_assert_cmpstr(cfg.cmdline, ==, "console=hvc0");
	g_assert_cmpuint(cfg.memory_kib, ==, 160 * 1024);
	g_assert_cmpint(xlite_config_parse_file(&cfg, tiny, NULL, NULL, &err), ==, 0);
	g_assert_cmpstr(cfg.name, ==, "tiny1");
	g_assert_cmpstr(cfg.kernel, ==, "/lab/guests/tiny.bin");
	g_assert_cmpuint(cfg.memory_kib, ==, 16 * 1024);
	g_assert_cmpint(xlite_config_parse_file(&cfg, devs, NULL, NULL, &err), ==, 0);
	g_assert_cmpuint(cfg.n_disks, ==, 1);
	g_assert_cmpstr(cfg.disks[0].source, ==, "/lab/disk.img");
	g_assert_cmpstr(cfg.disks[0].target, ==, "xvda");
	g_assert_cmpuint(cfg.n_nics, ==, 1);
	g_assert_cmpstr(cfg.nics[0].bridge, ==, "xlbr0");
	xlite_config_dispose(&cfg);
}

static void test_unreadable_files_say_so(void)
{
	struct xlite_config cfg;
	char *err = NULL;

	xlite_config_init(&cfg);
	g_assert_cmpint(xlite_config_parse_file(&cfg, "/nonexistent/dom.xml", NULL, NULL, &err),
			==, -ENOENT);
	g_assert_cmpstr(err, ==, "/nonexistent/dom.xml: cannot read: No such file or directory");
	g_free(err);
	g_assert_cmpint(xlite_config_parse_file(&cfg, "/", NULL, NULL, &err), ==, -EISDIR);
	g_free(err);
	g_assert_null(cfg.name);
	xlite_config_dispose(&cfg);
}

static void test_oversized_input_is_refused(void)
{
	size_t len = 2 * 1024 * 1024;
	g_autofree char *big = g_malloc(len);
	struct xlite_config cfg;
	char *err = NULL;

	memset(big, ' ', len);
	xlite_config_init(&cfg);
	g_assert_cmpint(xlite_config_parse_memory(&cfg, big, len, "big.xml", NULL, NULL, &err),
			==, -EINVAL);
	g_assert_nonnull(strstr(err, "expected a domain XML of at most"));
	g_free(err);
	xlite_config_dispose(&cfg);
}

/* libvirt's PVH spelling (its xlconfigdata test-pvh-type.xml), with and
 * without the machine attribute. */
/* A PVH guest; the second as libvirt's xlconfigdata test-pvh-type, below
 * its <memory> (populate-on-demand, as libxl builds it), and with
 * <e820_host>, a PV setting it ignores with a warning (xl reads it for PV
 * guests only). */
static void test_pvh_guest_is_read(void)
{
	static const char *const types[] = {
		"<type arch='x86_64' machine='xenpvh'>xenpvh</type>", "<type>xenpvh</type>",
	};
	static const unsigned int current[] = { 592896, 403456 };
	static const char *const extra[] = {
		"", "  <features><xen><e820_host state='on'/></xen></features>\n",
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(types); i++) {
		g_autofree char *xml = g_strdup_printf(
			"<domain type='xen'>\n  <name>XenGuest2</name>\n"
			"  <memory unit='KiB'>592896</memory>\n"
			"  <currentMemory unit='KiB'>%u</currentMemory>\n"
			"  <os>\n    %s\n    <kernel>/tmp/vmlinuz</kernel>\n"
			"    <initrd>/tmp/initrd</initrd>\n"
			"    <cmdline>root=/dev/xvda1 console=hvc0</cmdline>\n  </os>\n"
			"  <devices><console type='pty'><target type='xen' port='0'/></console></devices>\n"
			"%s</domain>\n", current[i], types[i], extra[i]);
		g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
		struct xlite_config cfg;
		char *err = NULL;

		xlite_config_init(&cfg);
		g_assert_cmpint(parse_text(&cfg, xml, warnings, &err), ==, 0);
		g_assert_null(err);
		g_assert_cmpstr(cfg.os_type, ==, "xenpvh");
		g_assert_cmpstr(cfg.kernel, ==, "/tmp/vmlinuz");
		g_assert_cmpstr(cfg.initrd, ==, "/tmp/initrd");
		g_assert_cmpstr(cfg.cmdline, ==, "root=/dev/xvda1 console=hvc0");
		g_assert_cmpuint(cfg.memory_kib, ==, 592896);
		g_assert_cmpuint(cfg.current_kib, ==, current[i]);
		g_assert_false(cfg.e820_host);
		g_assert_cmpuint(warnings->len, ==, i);
		if (i)
			g_assert_true(has_warning(warnings, "t.xml:12: <e820_host> ignored: the host's E820 is given to PV guests only (as xl does); a PVH guest gets its own memory map"));
		xlite_config_dispose(&cfg);
	}
}

int main(int argc, char **argv)
{
	size_t i;

	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/parse/minimal-domain-gets-defaults", test_minimal_domain_gets_defaults);
	g_test_add_func("/parse/full-domain-is-read", test_full_domain_is_read);
	g_test_add_func("/parse/pvh-guest-is-read", test_pvh_guest_is_read);
	g_test_add_func("/parse/units/follow-libvirt", test_memory_units_follow_libvirt);
	g_test_add_func("/parse/units/unit-attribute-is-applied", test_memory_unit_attribute_is_applied);
	g_test_add_func("/parse/numbers/strict", test_number_parse_is_strict);
	g_test_add_func("/parse/names", test_domain_names);
	g_test_add_func("/parse/uuid/text-forms", test_uuid_text_forms);
	g_test_add_func("/parse/uuid/generated-ones-differ", test_generated_uuids_differ);
	g_test_add_func("/parse/vdev-numbers", test_vdev_numbers);
	g_test_add_func("/parse/actions-by-name", test_actions_by_name);
	for (i = 0; i < G_N_ELEMENTS(error_cases); i++) {
		g_autofree char *path = g_strdup_printf("/parse/error/%s", error_cases[i].what);

		g_strdelimit(path + 7, " ", '-');
		g_test_add_data_func(path, &error_cases[i], test_error);
	}
	g_test_add_func("/parse/limits/device-counts", test_limits_on_device_counts);
	g_test_add_func("/parse/cpusets/parse-and-format", test_cpusets_parse_and_format);
	g_test_add_func("/parse/resources/pins-and-min-are-read", test_pins_and_min_are_read);
	g_test_add_func("/parse/limits/cmdline", test_cmdline_limit);
	g_test_add_func("/parse/warnings/unknown-things-are-named", test_unknown_things_are_warned_about);
	g_test_add_func("/parse/warnings/may-go-nowhere", test_warnings_may_go_nowhere);
	g_test_add_func("/parse/examples/valid-without-warnings", test_examples_are_valid_without_warnings);
	g_test_add_func("/parse/examples/say-what-the-lab-expects", test_examples_say_what_the_lab_expects);
	g_test_add_func("/parse/files/unreadable", test_unreadable_files_say_so);
	g_test_add_func("/parse/files/oversized", test_oversized_input_is_refused);
	return g_test_run();
}
