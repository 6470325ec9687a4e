/* pv-drivers core helpers: formatting, strict number parsing, paths,
 * vbd names, MAC addresses, first-error-wins. */
#include <glib.h>
#include <string.h>

#include "pv-drivers/core/netfront.h"
#include "pv-drivers/core/pvd.h"
#include "pv-drivers/core/vbd.h"

static void test_fmt_formats_like_printf(void)
{
	char buf[128];
	int n;

	n = pvd_fmt(buf, sizeof(buf), "%s=%d %u %x %lu %llu %zu %c %% %02x %5s|",
		    "a", -42, 42u, 0xbeefu, 7ul, 18446744073709551615ull,
		    (size_t)9, 'z', 0x5u, "ab");
	g_assert_cmpstr(buf, ==, "a=-42 42 beef 7 18446744073709551615 9 z % 05    ab|");
	g_assert_cmpint(n, ==, (int)strlen(buf));
	pvd_fmt(buf, sizeof(buf), "%lld %d", -9223372036854775807ll - 1, 0);
	g_assert_cmpstr(buf, ==, "-9223372036854775808 0");
	{
		const char *volatile nothing = NULL;	/* hidden from -Wformat */

		pvd_fmt(buf, sizeof(buf), "%s", nothing);
		g_assert_cmpstr(buf, ==, "(null)");
	}
}

static void test_fmt_truncates_and_says_so(void)
{
	char buf[6];

	g_assert_cmpint(pvd_fmt(buf, sizeof(buf), "%s", "abcdefgh"), ==, -ENAMETOOLONG);
	g_assert_cmpstr(buf, ==, "abcde");
	g_assert_cmpint(pvd_fmt(buf, sizeof(buf), "%u", 12345u), ==, 5);
	g_assert_cmpint(pvd_fmt(buf, sizeof(buf), "%u", 123456u), ==, -ENAMETOOLONG);
	g_assert_cmpstr(buf, ==, "12345");
}

static void test_parse_u64_accepts_only_plain_decimal(void)
{
	uint64_t v = 7;

	g_assert_cmpint(pvd_parse_u64("0", 10, &v), ==, 0);
	g_assert_cmpuint(v, ==, 0);
	g_assert_cmpint(pvd_parse_u64("18446744073709551615", UINT64_MAX, &v), ==, 0);
	g_assert_cmpuint(v, ==, UINT64_MAX);
	g_assert_cmpint(pvd_parse_u64("18446744073709551616", UINT64_MAX, &v), ==, -ERANGE);
	g_assert_cmpint(pvd_parse_u64("99999999999999999999999", UINT64_MAX, &v), ==, -ERANGE);
	g_assert_cmpint(pvd_parse_u64("11", 10, &v), ==, -ERANGE);
	g_assert_cmpint(pvd_parse_u64("", 10, &v), ==, -EINVAL);
	g_assert_cmpint(pvd_parse_u64("-1", 10, &v), ==, -EINVAL);
	g_assert_cmpint(pvd_parse_u64("+1", 10, &v), ==, -EINVAL);
	g_assert_cmpint(pvd_parse_u64(" 1", 10, &v), ==, -EINVAL);
	g_assert_cmpint(pvd_parse_u64("1 ", 10, &v), ==, -EINVAL);
	g_assert_cmpint(pvd_parse_u64("0x10", 100, &v), ==, -EINVAL);
	g_assert_cmpint(pvd_parse_u64(NULL, 100, &v), ==, -EINVAL);
	g_assert_cmpuint(v, ==, UINT64_MAX);	/* failures leave it alone */
}

static void test_path_joins_or_refuses(void)
{
	char buf[12];

	g_assert_cmpint(pvd_path(buf, sizeof(buf), "a/b", "state"), ==, 0);
	g_assert_cmpstr(buf, ==, "a/b/state");
	g_assert_cmpint(pvd_path(buf, sizeof(buf), "a/b/cd", "state"), ==, -ENAMETOOLONG);
}

static void test_first_error_wins_until_cleared(void)
{
	struct pvd_err e;

	pvd_err_clear(&e);
	g_assert_cmpint(pvd_fail(&e, -EIO, "first %d", 1), ==, -EIO);
	g_assert_cmpint(pvd_fail(&e, -EPROTO, "second"), ==, -EPROTO);
	g_assert_cmpint(e.code, ==, -EIO);
	g_assert_cmpstr(e.msg, ==, "first 1");
	pvd_err_clear(&e);
	pvd_fail(&e, -EPROTO, "second");
	g_assert_cmpstr(e.msg, ==, "second");
}

static void test_vbd_names_map_to_xen_device_ids(void)
{
	static const struct {
		const char *name;
		uint32_t vdev;
	} ok[] = {
		{ "xvda", 51712 }, { "/dev/xvda", 51712 }, { "xvdb", 51728 },
		{ "xvdp", 51952 }, { "xvdq", (1u << 28) | (16u << 8) },
		{ "xvdz", (1u << 28) | (25u << 8) }, { "xvdaa", (1u << 28) | (26u << 8) },
		{ "51712", 51712 }, { "268439552", 268439552 },
	};
	static const char *const bad[] = {
		"", "xvd", "xvdA", "xvda1", "sda", "hda", "xvdaaa", "0", "-1",
		"4294967296", "xvd-", "/dev/",
	};
	uint32_t v;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(ok); i++) {
		g_assert_cmpint(pvd_vbd_parse(ok[i].name, &v), ==, 0);
		g_assert_cmpuint(v, ==, ok[i].vdev);
	}
	for (i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_cmpint(pvd_vbd_parse(bad[i], &v), ==, -EINVAL);
}

static void test_mac_parses_only_six_hex_pairs(void)
{
	uint8_t m[6];

	g_assert_cmpint(pvd_parse_mac("00:16:3e:Ab:cD:ff", m), ==, 0);
	g_assert_cmpmem(m, 6, ((const uint8_t[]){ 0, 0x16, 0x3e, 0xab, 0xcd, 0xff }), 6);
	g_assert_cmpint(pvd_parse_mac("00:16:3e:ab:cd", m), ==, -EINVAL);
	g_assert_cmpint(pvd_parse_mac("00:16:3e:ab:cd:fg", m), ==, -EINVAL);
	g_assert_cmpint(pvd_parse_mac("00-16-3e-ab-cd-ff", m), ==, -EINVAL);
	g_assert_cmpint(pvd_parse_mac("00:16:3e:ab:cd:ff:", m), ==, -EINVAL);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pvd/util/fmt-formats-like-printf", test_fmt_formats_like_printf);
	g_test_add_func("/pvd/util/fmt-truncates-and-says-so", test_fmt_truncates_and_says_so);
	g_test_add_func("/pvd/util/parse-u64-accepts-only-plain-decimal",
			test_parse_u64_accepts_only_plain_decimal);
	g_test_add_func("/pvd/util/path-joins-or-refuses", test_path_joins_or_refuses);
	g_test_add_func("/pvd/util/first-error-wins-until-cleared",
			test_first_error_wins_until_cleared);
	g_test_add_func("/pvd/util/vbd-names-map-to-xen-device-ids",
			test_vbd_names_map_to_xen_device_ids);
	g_test_add_func("/pvd/util/mac-parses-only-six-hex-pairs",
			test_mac_parses_only_six_hex_pairs);
	return g_test_run();
}
