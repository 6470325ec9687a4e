# pv-drivers: paravirtual frontends. Rules included by the top Makefile.am.
#
# libpvd.a        portable core: xenbus handshake, rings, blk/net frontends,
#                 agent report; C standard headers and Xen's public io/ only
# libpvd-linux.a  linux-user platform (gntalloc, evtchn, xenbus; TAP; meminfo)
# libpvd-test.a   test platform: in-process loopback backends (unit tests)

noinst_LIBRARIES += pv-drivers/libpvd.a pv-drivers/libpvd-linux.a \
	pv-drivers/libpvd-test.a

pv_drivers_libpvd_a_SOURCES = \
	pv-drivers/core/pvd.h pv-drivers/core/util.c \
	pv-drivers/core/platform.h pv-drivers/core/ring.h \
	pv-drivers/core/xs.h pv-drivers/core/xs.c \
	pv-drivers/core/xenbus_fsm.h pv-drivers/core/xenbus_fsm.c \
	pv-drivers/core/xenbus.h pv-drivers/core/xenbus.c \
	pv-drivers/core/blkfront.h pv-drivers/core/blkfront.c \
	pv-drivers/core/blkfront_io.c \
	pv-drivers/core/netfront.h pv-drivers/core/netfront.c \
	pv-drivers/core/netfront_io.c \
	pv-drivers/core/vbd.h pv-drivers/core/vbd.c \
	pv-drivers/core/agent.h pv-drivers/core/agent.c

pv_drivers_libpvd_linux_a_SOURCES = \
	pv-drivers/platform/linux-user/linux.h pv-drivers/platform/linux-user/linux.c \
	pv-drivers/platform/linux-user/tap.h pv-drivers/platform/linux-user/tap.c \
	pv-drivers/platform/linux-user/meminfo.h pv-drivers/platform/linux-user/meminfo.c
pv_drivers_libpvd_linux_a_CFLAGS = $(AM_CFLAGS) \
	$(XENGNTTAB_CFLAGS) $(XENEVTCHN_CFLAGS) $(XENSTORE_CFLAGS)

pv_drivers_libpvd_test_a_SOURCES = \
	pv-drivers/platform/test/testplat.h pv-drivers/platform/test/testplat_int.h \
	pv-drivers/platform/test/testplat.c \
	pv-drivers/platform/test/blkback.c pv-drivers/platform/test/netback.c
pv_drivers_libpvd_test_a_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS)

# Tools for the guest (the lab copies them into its guest image).
bin_PROGRAMS += pv-drivers/tools/xlite-blkfront pv-drivers/tools/xlite-netfront \
	pv-drivers/tools/xlite-guest-agent
# libxenstore's xs_close() cancels its watch thread: glibc then loads
# libgcc_s.so.1, and aborts where it is missing (minimal guest images).
# Linking it explicitly makes it a visible dependency (ldd lists it, so
# image builders that copy what ldd lists include it).
PVD_TOOL_LIBS = pv-drivers/libpvd-linux.a pv-drivers/libpvd.a \
	$(XENGNTTAB_LIBS) $(XENEVTCHN_LIBS) $(XENSTORE_LIBS) -lgcc_s
PVD_LINK_FLAGS = $(AM_LDFLAGS) -Wl,--no-as-needed
PVD_TOOL_CFLAGS = $(AM_CFLAGS) $(XENGNTTAB_CFLAGS) $(XENEVTCHN_CFLAGS) $(XENSTORE_CFLAGS)

pv_drivers_tools_xlite_blkfront_SOURCES = pv-drivers/tools/xlite-blkfront.c pv-drivers/tools/tool.h
pv_drivers_tools_xlite_blkfront_CFLAGS = $(PVD_TOOL_CFLAGS)
pv_drivers_tools_xlite_blkfront_LDADD = $(PVD_TOOL_LIBS)
pv_drivers_tools_xlite_blkfront_LDFLAGS = $(PVD_LINK_FLAGS)
pv_drivers_tools_xlite_netfront_SOURCES = pv-drivers/tools/xlite-netfront.c pv-drivers/tools/tool.h
pv_drivers_tools_xlite_netfront_CFLAGS = $(PVD_TOOL_CFLAGS)
pv_drivers_tools_xlite_netfront_LDADD = $(PVD_TOOL_LIBS)
pv_drivers_tools_xlite_netfront_LDFLAGS = $(PVD_LINK_FLAGS)
pv_drivers_tools_xlite_guest_agent_SOURCES = pv-drivers/tools/xlite-guest-agent.c pv-drivers/tools/tool.h
pv_drivers_tools_xlite_guest_agent_CFLAGS = $(PVD_TOOL_CFLAGS)
pv_drivers_tools_xlite_guest_agent_LDADD = $(PVD_TOOL_LIBS)
pv_drivers_tools_xlite_guest_agent_LDFLAGS = $(PVD_LINK_FLAGS)

# Unit tests: no Xen, the test platform.
PVD_TEST_LIBS = pv-drivers/libpvd-test.a pv-drivers/libpvd.a $(GLIB_LIBS)
PVD_TEST_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS)
pvd_tests = tests/unit/test-pvd-util tests/unit/test-pvd-xenbus \
	tests/unit/test-pvd-blkfront tests/unit/test-pvd-netfront \
	tests/unit/test-pvd-ring tests/unit/test-pvd-agent \
	tests/unit/test-pvd-portable
check_PROGRAMS += $(pvd_tests)
TESTS += $(pvd_tests)
tests_unit_test_pvd_util_CFLAGS = $(PVD_TEST_CFLAGS)
tests_unit_test_pvd_util_LDADD = $(PVD_TEST_LIBS)
tests_unit_test_pvd_xenbus_CFLAGS = $(PVD_TEST_CFLAGS)
tests_unit_test_pvd_xenbus_LDADD = $(PVD_TEST_LIBS)
tests_unit_test_pvd_blkfront_SOURCES = tests/unit/test-pvd-blkfront.c tests/unit/test-pvd-helpers.h
tests_unit_test_pvd_blkfront_CFLAGS = $(PVD_TEST_CFLAGS)
tests_unit_test_pvd_blkfront_LDADD = $(PVD_TEST_LIBS)
tests_unit_test_pvd_netfront_SOURCES = tests/unit/test-pvd-netfront.c tests/unit/test-pvd-helpers.h
tests_unit_test_pvd_netfront_CFLAGS = $(PVD_TEST_CFLAGS)
tests_unit_test_pvd_netfront_LDADD = $(PVD_TEST_LIBS)
tests_unit_test_pvd_ring_CFLAGS = $(PVD_TEST_CFLAGS)
tests_unit_test_pvd_ring_LDADD = $(PVD_TEST_LIBS)
tests_unit_test_pvd_agent_CFLAGS = $(PVD_TEST_CFLAGS)
tests_unit_test_pvd_agent_LDADD = pv-drivers/libpvd-test.a pv-drivers/libpvd-linux.a \
	pv-drivers/libpvd.a $(GLIB_LIBS)
tests_unit_test_pvd_portable_CFLAGS = $(PVD_TEST_CFLAGS)
tests_unit_test_pvd_portable_LDADD = $(GLIB_LIBS)
