# libtool/memory/: domains' memory and vCPUs while they run (issue 10), and
# the balancer's policy; appends to libtool/local.mk's library.
libtool_libxlite_a_SOURCES += \
	libtool/memory/memory.h libtool/memory/size.c libtool/memory/domain.c \
	libtool/memory/vcpu.c \
	libtool/memory/conf.h libtool/memory/conf.c \
	libtool/memory/balance.h libtool/memory/balance.c \
	libtool/memory/host.h libtool/memory/host.c \
	libtool/memory/pass.h libtool/memory/pass.c \
	libtool/memory/e820.h libtool/memory/e820.c

check_PROGRAMS += tests/unit/test-memory
TESTS += tests/unit/test-memory
tests_unit_test_memory_SOURCES = tests/unit/test-memory.c
tests_unit_test_memory_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENSTORE_CFLAGS) $(LIBXML_CFLAGS)
tests_unit_test_memory_LDADD = $(XLITE_FAKE_LIBS)

# A guest's memory layout: e820_host (libxl's e820_sanitize) and a PVH
# guest's populate-on-demand.
check_PROGRAMS += tests/unit/test-memory-layout
TESTS += tests/unit/test-memory-layout
tests_unit_test_memory_layout_SOURCES = tests/unit/test-memory-layout.c
tests_unit_test_memory_layout_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENSTORE_CFLAGS) $(LIBXML_CFLAGS)
tests_unit_test_memory_layout_LDADD = $(XLITE_FAKE_LIBS)

# The balancer's policy is pure: its tests link the library alone.
check_PROGRAMS += tests/unit/test-balance
TESTS += tests/unit/test-balance
tests_unit_test_balance_SOURCES = tests/unit/test-balance.c
tests_unit_test_balance_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS)
tests_unit_test_balance_LDADD = $(XLITE_CONFIG_TEST_LDADD)
