/* xl's disk spec and network-attach words, as block-attach and
 * network-attach take them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/device/device.h"

static void clear_disk(struct xlite_disk *d)
{
	free(d->source);
	free(d->target);
	memset(d, 0, sizeof(*d));
}

/* Parses SPEC given as one argv word. */
static int parse1(const char *spec, struct xlite_disk *d, bool *type_given, char **err)
{
	const char *words[1] = { spec };

	return xlite_disk_spec_parse(words, 1, d, type_given, err);
}

static void test_positional_target_format_vdev_access(void)
{
	struct xlite_disk d;
	bool given;
	char *err = NULL;

	g_assert_cmpint(parse1("/img/a.raw,raw,xvdb,r", &d, &given, &err), ==, 0);
	g_assert_cmpstr(d.source, ==, "/img/a.raw");
	g_assert_cmpstr(d.target, ==, "xvdb");
	g_assert_cmpuint(d.vdev, ==, 51728);
	g_assert_true(d.readonly);
	g_assert_false(given);
	clear_disk(&d);
}

static void test_empty_format_defaults_to_raw_and_write(void)
{
	struct xlite_disk d;
	bool given;
	char *err = NULL;

	g_assert_cmpint(parse1("/img/a.raw,,xvdc", &d, &given, &err), ==, 0);
	g_assert_cmpstr(d.target, ==, "xvdc");
	g_assert_false(d.readonly);
	clear_disk(&d);
}

static void test_deprecated_prefix_skips_the_format(void)
{
	struct xlite_disk d;
	bool given;
	char *err = NULL;

	g_assert_cmpint(parse1("phy:/dev/vg/guest,xvda,w", &d, &given, &err), ==, 0);
	g_assert_cmpstr(d.source, ==, "/dev/vg/guest");
	g_assert_cmpstr(d.target, ==, "xvda");
	g_assert_true(given);
	g_assert_cmpint(d.type, ==, XLITE_DISK_BLOCK);
	clear_disk(&d);

	g_assert_cmpint(parse1("file:/img/b.raw,xvdb:disk,ro", &d, &given, &err), ==, 0);
	g_assert_true(given);
	g_assert_cmpint(d.type, ==, XLITE_DISK_FILE);
	g_assert_true(d.readonly);
	clear_disk(&d);
}

static void test_keywords_across_words_and_target_takes_the_rest(void)
{
	const char *words[] = { "vdev=xvdd", "access=rw", "format=raw",
				"target=/img/odd,name.raw" };
	struct xlite_disk d;
	bool given;
	char *err = NULL;

	g_assert_cmpint(xlite_disk_spec_parse(words, 4, &d, &given, &err), ==, 0);
	g_assert_cmpstr(d.source, ==, "/img/odd,name.raw");
	g_assert_cmpstr(d.target, ==, "xvdd");
	g_assert_false(d.readonly);
	clear_disk(&d);
}

static void test_spaces_after_commas_are_allowed(void)
{
	struct xlite_disk d;
	bool given;
	char *err = NULL;

	g_assert_cmpint(parse1("format=raw, vdev=xvde, access=ro, target=/img/e", &d, &given,
			       &err), ==, 0);
	g_assert_cmpstr(d.target, ==, "xvde");
	g_assert_cmpstr(d.source, ==, "/img/e");
	g_assert_true(d.readonly);
	clear_disk(&d);
}

/* Each bad spec, and a word its message must hold. */
static void test_bad_specs_are_refused_with_a_reason(void)
{
	static const struct {
		const char *spec, *why;
	} cases[] = {
		{ "/img/a,qcow2,xvda", "qcow2" },
		{ "/img/a,,hde", "hde" },
		{ "/img/a,,xvda,rx", "rx" },
		{ "/img/a,,xvda,w,extra", "too many" },
		{ "/img/a,,xvda,cdrom", "cdrom" },
		{ "/img/a,,xvda:cdrom", "cdrom" },
		{ "/img/a", "no vdev" },
		{ "vdev=xvda", "no target" },
		{ "img/a,,xvda", "absolute" },
		{ "nbd:host:1,,xvda", "block-nbd hotplug script" },
		{ "/img/a,,xvda,devtype=cdrom", "cdrom" },
		{ "/img/a,,xvda,script=block", "script" },
		{ "/img/a,,xvda,vdev=xvdb", "twice" },
		{ "/img/a,,xvda,bogus=1", "bogus" },
		{ "/img/a,,xvda,backendtype=qdisk", "qdisk" },
	};
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct xlite_disk d;
		bool given;
		char *err = NULL;

		g_test_message("spec %s", cases[i].spec);
		g_assert_cmpint(parse1(cases[i].spec, &d, &given, &err), ==, -EINVAL);
		g_assert_nonnull(err);
		g_assert_nonnull(strstr(err, cases[i].why));
		g_assert_null(d.source);
		g_assert_null(d.target);
		g_free(err);
	}
}

static void test_nic_words_default_to_xenbr0_and_no_mac(void)
{
	struct xlite_nic n;
	char *err = NULL;

	g_assert_cmpint(xlite_nic_spec_parse(NULL, 0, &n, &err), ==, 0);
	g_assert_cmpstr(n.bridge, ==, "xenbr0");
	g_assert_false(n.mac_given);
	free(n.bridge);
}

static void test_nic_words_take_bridge_and_mac(void)
{
	const char *words[] = { "bridge=xlbr0", "mac=00:16:3e:0a:0b:0c", "type=vif" };
	struct xlite_nic n;
	char *err = NULL;

	g_assert_cmpint(xlite_nic_spec_parse(words, 3, &n, &err), ==, 0);
	g_assert_cmpstr(n.bridge, ==, "xlbr0");
	g_assert_true(n.mac_given);
	g_assert_cmpuint(n.mac[5], ==, 0x0c);
	free(n.bridge);
}

static void test_bad_nic_words_are_refused_with_a_reason(void)
{
	static const struct {
		const char *word, *why;
	} cases[] = {
		{ "bridge=way-too-long-bridge-name", "bridge name" },
		{ "bridge=a/b", "bridge name" },
		{ "mac=01:16:3e:00:00:01", "multicast" },
		{ "mac=00:16:3e:00:00", "MAC" },
		{ "script=vif-nat", "script" },
		{ "type=ioemu", "ioemu" },
		{ "rate=10Mb", "rate" },
		{ "xlbr0", "KEY=VALUE" },
	};
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *words[1] = { cases[i].word };
		struct xlite_nic n;
		char *err = NULL;

		g_test_message("word %s", cases[i].word);
		g_assert_cmpint(xlite_nic_spec_parse(words, 1, &n, &err), ==, -EINVAL);
		g_assert_nonnull(err);
		g_assert_nonnull(strstr(err, cases[i].why));
		g_assert_null(n.bridge);
		g_free(err);
	}
}

static void test_vbd_ids_from_names_and_numbers(void)
{
	unsigned int id;

	g_assert_cmpint(xlite_device_vbd_id("xvda", &id), ==, 0);
	g_assert_cmpuint(id, ==, 51712);
	g_assert_cmpint(xlite_device_vbd_id("51728", &id), ==, 0);
	g_assert_cmpuint(id, ==, 51728);
	g_assert_cmpint(xlite_device_vbd_id("0", &id), ==, -EINVAL);
	g_assert_cmpint(xlite_device_vbd_id("-1", &id), ==, -EINVAL);
	g_assert_cmpint(xlite_device_vbd_id("99999999999", &id), ==, -EINVAL);
	g_assert_cmpint(xlite_device_vbd_id("hda", &id), ==, 0);	/* as libxl numbers it */
	g_assert_cmpuint(id, ==, 768);
	g_assert_cmpint(xlite_device_vbd_id("sdq", &id), ==, -EINVAL);
	g_assert_cmpint(xlite_device_vbd_id("", &id), ==, -EINVAL);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/device/spec/positional-target-format-vdev-access",
			test_positional_target_format_vdev_access);
	g_test_add_func("/device/spec/empty-format-defaults-to-raw-and-write",
			test_empty_format_defaults_to_raw_and_write);
	g_test_add_func("/device/spec/deprecated-prefix-skips-the-format",
			test_deprecated_prefix_skips_the_format);
	g_test_add_func("/device/spec/keywords-across-words-and-target-takes-the-rest",
			test_keywords_across_words_and_target_takes_the_rest);
	g_test_add_func("/device/spec/spaces-after-commas-are-allowed",
			test_spaces_after_commas_are_allowed);
	g_test_add_func("/device/spec/bad-specs-are-refused-with-a-reason",
			test_bad_specs_are_refused_with_a_reason);
	g_test_add_func("/device/spec/nic-words-default-to-xenbr0-and-no-mac",
			test_nic_words_default_to_xenbr0_and_no_mac);
	g_test_add_func("/device/spec/nic-words-take-bridge-and-mac",
			test_nic_words_take_bridge_and_mac);
	g_test_add_func("/device/spec/bad-nic-words-are-refused-with-a-reason",
			test_bad_nic_words_are_refused_with_a_reason);
	g_test_add_func("/device/spec/vbd-ids-from-names-and-numbers",
			test_vbd_ids_from_names_and_numbers);
	return g_test_run();
}
