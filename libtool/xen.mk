# libtool/xen.mk: the Xen side of libxlite (hypervisor ops, apply); appends to libtool/local.mk's rules
libtool_libxlite_a_SOURCES += \
	libtool/hv.h libtool/hv.c \
	libtool/hv_fake.h libtool/hv_fake.c \
	libtool/hv_xen.h libtool/hv_xen.c libtool/hv_xen_xs.c libtool/hv_xen_dev.c \
	libtool/hv_xen_watch.c \
	libtool/hv_xen_build.c \
	libtool/kcache.h libtool/kcache.c \
	libtool/domain.h libtool/domain.c \
	libtool/apply.h libtool/apply.c libtool/apply_lock.c \
	libtool/monitor.h libtool/monitor.c

# What a program linking libxlite.a with the Xen side needs after it.
XLITE_XEN_LIBS = libtool/libxlite.a $(XSC_LIBS) $(XENGUEST_LIBS) $(XENCTRL_LIBS) \
	$(XENTOOLLOG_LIBS) $(LIBXML_LIBS) $(GLIB_LIBS)

# Unit tests of apply, rollback, lookup and the monitor (the fake plays Xen).
XEN_TEST_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENSTORE_CFLAGS) $(LIBXML_CFLAGS)
check_PROGRAMS += tests/unit/test-apply
TESTS += tests/unit/test-apply
tests_unit_test_apply_SOURCES = tests/unit/test-apply.c tests/unit/apply-fixture.h
tests_unit_test_apply_CFLAGS = $(XEN_TEST_CFLAGS)
tests_unit_test_apply_LDADD = $(XLITE_XEN_LIBS)
check_PROGRAMS += tests/unit/test-apply-monitor
TESTS += tests/unit/test-apply-monitor
tests_unit_test_apply_monitor_SOURCES = tests/unit/test-apply-monitor.c tests/unit/apply-fixture.h
tests_unit_test_apply_monitor_CFLAGS = $(XEN_TEST_CFLAGS)
tests_unit_test_apply_monitor_LDADD = $(XLITE_XEN_LIBS)
check_PROGRAMS += tests/unit/test-apply-kcache
TESTS += tests/unit/test-apply-kcache
tests_unit_test_apply_kcache_SOURCES = tests/unit/test-apply-kcache.c
tests_unit_test_apply_kcache_CFLAGS = $(XEN_TEST_CFLAGS)
tests_unit_test_apply_kcache_LDADD = $(XLITE_XEN_LIBS)

# The benchmark's timer (tests/bench/create.sh runs it in the lab's dom0).
pkglibexec_PROGRAMS = tests/bench/xlite-timeit
tests_bench_xlite_timeit_SOURCES = tests/bench/xlite-timeit.c

# The xlite manual (its Xen commands).
man1_MANS += xl-lite/xlite.1
EXTRA_DIST += xl-lite/xlite.1 tests/bench/create.sh
