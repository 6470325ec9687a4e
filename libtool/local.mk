# libtool/: libxlite, the toolstack library (static).
# This file: config (domain XML parser), plan, and the host-device helpers
# (loop devices, bridges). libtool/xen.mk and libtool/device.mk append the
# Xen side.
noinst_LIBRARIES += libtool/libxlite.a
libtool_libxlite_a_SOURCES = \
	libtool/config.h libtool/config.c \
	libtool/parse.h libtool/parse.c libtool/parse-domain.c libtool/parse-os.c \
	libtool/parse-devices.c libtool/parse-finish.c libtool/parse-schema.c \
	libtool/parse-units.c libtool/parse-uuid.c libtool/parse-vdev.c \
	libtool/parse-check.c \
	libtool/mac.h libtool/mac.c \
	libtool/fail.h libtool/fail.c \
	libtool/plan.h libtool/plan-int.h libtool/plan.c libtool/plan-xs.c \
	libtool/plan-domain.c libtool/plan-devices.c libtool/plan-text.c \
	libtool/plan-json.c libtool/expand.c \
	libtool/loopdev.h libtool/loopdev.c \
	libtool/bridge.h libtool/bridge.c
# The schema is compiled in (an installed binary always carries its own);
# it is installed as well, for editors and `xmllint --relaxng`.
nodist_libtool_libxlite_a_SOURCES = libtool/domain-rng.c
libtool_libxlite_a_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS) $(GLIB_CFLAGS) $(XENCTRL_CFLAGS) $(XENGUEST_CFLAGS) $(XENSTORE_CFLAGS)
dist_pkgdata_DATA += libtool/domain.rng
EXTRA_DIST += libtool/rng2c.awk
CLEANFILES += libtool/domain-rng.c

libtool/domain-rng.c: libtool/domain.rng libtool/rng2c.awk
	$(AM_V_GEN)$(MKDIR_P) libtool && \
	$(AWK) -f $(srcdir)/libtool/rng2c.awk $(srcdir)/libtool/domain.rng > $@.tmp && \
	mv $@.tmp $@

# What a program using only the parser and planner links.
XLITE_CONFIG_LIBS = libtool/libxlite.a $(LIBXML_LIBS) $(GLIB_LIBS)

# Tests of the parser, planner and host-device helpers (no Xen needed).
XLITE_CONFIG_TEST_LDADD = $(XLITE_CONFIG_LIBS) -lpthread
XLITE_CONFIG_TEST_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(LIBXML_CFLAGS)
check_PROGRAMS += tests/unit/test-parse tests/unit/test-parse-files \
	tests/unit/test-plan tests/unit/test-plan-golden \
	tests/unit/test-loopdev tests/unit/test-bridge
TESTS += tests/unit/test-parse tests/unit/test-parse-files \
	tests/unit/test-plan tests/unit/test-plan-golden \
	tests/unit/test-loopdev tests/unit/test-bridge \
	tests/test-corpus.sh
tests_unit_test_parse_SOURCES = tests/unit/test-parse.c tests/unit/test-parse-helpers.h
tests_unit_test_parse_CFLAGS = $(XLITE_CONFIG_TEST_CFLAGS)
tests_unit_test_parse_LDADD = $(XLITE_CONFIG_TEST_LDADD)
tests_unit_test_parse_files_SOURCES = tests/unit/test-parse-files.c tests/unit/test-parse-helpers.h
tests_unit_test_parse_files_CFLAGS = $(XLITE_CONFIG_TEST_CFLAGS)
tests_unit_test_parse_files_LDADD = $(XLITE_CONFIG_TEST_LDADD)
tests_unit_test_plan_SOURCES = tests/unit/test-plan.c tests/unit/test-parse-helpers.h
tests_unit_test_plan_CFLAGS = $(XLITE_CONFIG_TEST_CFLAGS)
tests_unit_test_plan_LDADD = $(XLITE_CONFIG_TEST_LDADD)
tests_unit_test_plan_golden_SOURCES = tests/unit/test-plan-golden.c
tests_unit_test_plan_golden_CFLAGS = $(XLITE_CONFIG_TEST_CFLAGS)
tests_unit_test_plan_golden_LDADD = $(XLITE_CONFIG_TEST_LDADD)
tests_unit_test_loopdev_SOURCES = tests/unit/test-loopdev.c
tests_unit_test_loopdev_CFLAGS = $(XLITE_CONFIG_TEST_CFLAGS)
tests_unit_test_loopdev_LDADD = $(XLITE_CONFIG_TEST_LDADD)
tests_unit_test_bridge_SOURCES = tests/unit/test-bridge.c
tests_unit_test_bridge_CFLAGS = $(XLITE_CONFIG_TEST_CFLAGS)
tests_unit_test_bridge_LDADD = $(XLITE_CONFIG_TEST_LDADD)
EXTRA_DIST += tests/test-corpus.sh tests/golden examples
