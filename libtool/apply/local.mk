# libtool/apply/: turning a plan into a running domain (apply, rollback,
# the name lock), the domain's life after (destroy, lookup, monitor) and
# the kernel cache; appends to libtool/local.mk's library.
libtool_libxlite_a_SOURCES += \
	libtool/apply/kcache.h libtool/apply/kcache.c \
	libtool/apply/domain.h libtool/apply/domain.c \
	libtool/apply/apply.h libtool/apply/apply.c libtool/apply/lock.c \
	libtool/apply/monitor.h libtool/apply/monitor.c \
	libtool/apply/defined.h libtool/apply/defined.c

# Unit tests of apply, rollback, lookup and the monitor (the fake plays Xen).
XEN_TEST_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENSTORE_CFLAGS) $(LIBXML_CFLAGS)
check_PROGRAMS += tests/unit/test-apply
TESTS += tests/unit/test-apply
tests_unit_test_apply_SOURCES = tests/unit/test-apply.c tests/unit/apply-fixture.h
tests_unit_test_apply_CFLAGS = $(XEN_TEST_CFLAGS)
tests_unit_test_apply_LDADD = $(XLITE_FAKE_LIBS)
check_PROGRAMS += tests/unit/test-apply-monitor
TESTS += tests/unit/test-apply-monitor
tests_unit_test_apply_monitor_SOURCES = tests/unit/test-apply-monitor.c tests/unit/apply-fixture.h
tests_unit_test_apply_monitor_CFLAGS = $(XEN_TEST_CFLAGS)
tests_unit_test_apply_monitor_LDADD = $(XLITE_FAKE_LIBS)
check_PROGRAMS += tests/unit/test-apply-kcache
TESTS += tests/unit/test-apply-kcache
tests_unit_test_apply_kcache_SOURCES = tests/unit/test-apply-kcache.c tests/unit/test-tmpdir.h
tests_unit_test_apply_kcache_CFLAGS = $(XEN_TEST_CFLAGS)
tests_unit_test_apply_kcache_LDADD = $(XLITE_FAKE_LIBS)
# Booting from the guest's disk and qcow2 disks (issue 13): parse, plan,
# and create on the fake host.
check_PROGRAMS += tests/unit/test-boot
TESTS += tests/unit/test-boot
tests_unit_test_boot_SOURCES = tests/unit/test-boot.c tests/unit/apply-fixture.h \
	tests/unit/test-parse-helpers.h
tests_unit_test_boot_CFLAGS = $(XEN_TEST_CFLAGS)
tests_unit_test_boot_LDADD = $(XLITE_FAKE_LIBS)
# Defined domains (issue 12): files only.
check_PROGRAMS += tests/unit/test-defined
TESTS += tests/unit/test-defined
tests_unit_test_defined_SOURCES = tests/unit/test-defined.c tests/unit/test-tmpdir.h
tests_unit_test_defined_CFLAGS = $(XEN_TEST_CFLAGS)
tests_unit_test_defined_LDADD = $(XLITE_FAKE_LIBS)
