/* Bridges over rtnetlink, in a private network namespace of this test
 * process (the host's interfaces are never touched): skipped when a
 * namespace cannot be made or `ip` is missing. */
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/device/bridge.h"

static gboolean in_netns;

static void ip(const char *args)
{
	g_autofree char *cmd = g_strdup_printf("ip %s", args);
	g_autofree char *out = NULL, *errout = NULL;
	g_autoptr(GError) error = NULL;
	int status;

	if (!g_spawn_command_line_sync(cmd, &out, &errout, &status, &error))
		g_error("%s: %s", cmd, error->message);
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("%s: %s", cmd, errout);
}

static gboolean ready(void)
{
	if (!in_netns)
		g_test_skip("no private network namespace here (needs CAP_SYS_ADMIN and ip)");
	return in_netns;
}

static gboolean link_is_up(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	gboolean up;

	memset(&ifr, 0, sizeof(ifr));
	g_strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	g_assert_cmpint(ioctl(fd, SIOCGIFFLAGS, &ifr), ==, 0);
	up = (ifr.ifr_flags & IFF_UP) != 0;
	close(fd);
	return up;
}

static void test_check_tells_bridges_from_other_links(void)
{
	char *err = NULL;

	if (!ready())
		return;
	g_assert_cmpint(xlite_bridge_check("xbr0", &err), ==, 0);
	g_assert_null(err);
	g_assert_cmpint(xlite_bridge_check("xveth0", &err), ==, -EINVAL);
	g_assert_cmpstr(err, ==, "'xveth0' is not a bridge");
	g_free(err);
	g_assert_cmpint(xlite_bridge_check("nosuchbr", &err), ==, -ENODEV);
	g_assert_cmpstr(err, ==, "bridge 'nosuchbr' does not exist");
	g_free(err);
	g_assert_cmpint(xlite_bridge_check("a/b", &err), ==, -EINVAL);
	g_free(err);
}

static void test_attach_enslaves_and_brings_up(void)
{
	char *err = NULL, *master = NULL;

	if (!ready())
		return;
	g_assert_false(link_is_up("xveth0"));
	g_assert_cmpint(xlite_link_master("xveth0", &master, &err), ==, -ENOENT);
	if (xlite_bridge_attach("xbr0", "xveth0", &err) < 0)
		g_error("%s", err);
	g_assert_cmpint(xlite_link_master("xveth0", &master, &err), ==, 0);
	g_assert_cmpstr(master, ==, "xbr0");
	g_free(master);
	g_assert_true(link_is_up("xveth0"));

	g_assert_cmpint(xlite_bridge_detach("xveth0", &err), ==, 0);
	g_assert_cmpint(xlite_link_master("xveth0", &master, &err), ==, -ENOENT);
	g_assert_false(link_is_up("xveth0"));
}

static void test_attach_to_a_missing_or_non_bridge_fails(void)
{
	char *err = NULL;

	if (!ready())
		return;
	g_assert_cmpint(xlite_bridge_attach("nosuchbr", "xveth0", &err), ==, -ENODEV);
	g_free(err);
	g_assert_cmpint(xlite_bridge_attach("xveth1", "xveth0", &err), ==, -EINVAL);
	g_free(err);
	g_assert_cmpint(xlite_bridge_attach("xbr0", "novif", &err), ==, -ENODEV);
	g_assert_cmpstr(err, ==, "interface 'novif' does not exist");
	g_free(err);
	g_assert_cmpint(xlite_bridge_detach("novif", &err), ==, -ENODEV);
	g_free(err);
}

static void test_wait_sees_a_link_that_appears_later(void)
{
	g_autoptr(GError) error = NULL;
	char *argv[] = { "sh", "-c", "sleep 0.2; ip link add xlate0 type veth peer name xlate1", NULL };
	GPid pid;
	char *err = NULL;

	if (!ready())
		return;
	g_assert_cmpint(xlite_link_wait("xveth0", 100, &err), ==, 0);
	g_assert_cmpint(xlite_link_wait("xlate0", 100, &err), ==, -ETIMEDOUT);
	g_assert_cmpstr(err, ==, "interface 'xlate0' did not appear within 100 ms");
	g_free(err);
	g_assert_true(g_spawn_async(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &pid, &error));
	g_assert_cmpint(xlite_link_wait("xlate0", 5000, &err), ==, 0);
	g_spawn_close_pid(pid);
}

static void test_interface_names(void)
{
	static const char *const good[] = { "br0", "xlbr0", "vif12.0", "a", "br-back",
		"abcdefghijklmno" };
	static const char *const bad[] = { "", ".", "..", "abcdefghijklmnop", "a/b", "a:b",
		"a b", "a\tb", "br\xc3\xa9" };
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(good); i++)
		g_assert_null(xlite_ifname_invalid(good[i]));
	for (i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_nonnull(xlite_ifname_invalid(bad[i]));
}

static gboolean enter_netns(void)
{
	g_autofree char *ip_path = g_find_program_in_path("ip");

	if (!ip_path || unshare(CLONE_NEWNET) < 0)
		return FALSE;
	ip("link set lo up");
	ip("link add xbr0 type bridge");
	ip("link add xveth0 type veth peer name xveth1");
	return TRUE;
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	in_netns = enter_netns();
	g_test_add_func("/bridge/interface-names", test_interface_names);
	g_test_add_func("/bridge/check-tells-bridges-from-other-links",
			test_check_tells_bridges_from_other_links);
	g_test_add_func("/bridge/attach-enslaves-and-brings-up", test_attach_enslaves_and_brings_up);
	g_test_add_func("/bridge/attach-to-missing-or-non-bridge-fails",
			test_attach_to_a_missing_or_non_bridge_fails);
	g_test_add_func("/bridge/wait-sees-a-link-that-appears-later",
			test_wait_sees_a_link_that_appears_later);
	return g_test_run();
}
