# libtool/: libxlite, the toolstack library (static).
# This file: util/ (its own library: the helpers every program of the tree
# may link, xlite-xenstore included), and libxlite with parse/ (domain XML
# parser) and plan/ (pure planner); hv/local.mk, apply/local.mk and
# device/local.mk append their folders' sources and tests.
noinst_LIBRARIES += libtool/util/libxliteutil.a
libtool_util_libxliteutil_a_SOURCES = \
	libtool/util/mac.h libtool/util/mac.c \
	libtool/util/fail.h libtool/util/fail.c \
	libtool/util/hostconf.h libtool/util/hostconf.c \
	libtool/util/json.h libtool/util/json.c \
	libtool/util/number.h libtool/util/number.c
libtool_util_libxliteutil_a_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS)
# What a program using libtool/util/ links after it.
XLITE_UTIL_LIBS = libtool/util/libxliteutil.a $(GLIB_LIBS)
check_PROGRAMS += tests/unit/test-util-json
TESTS += tests/unit/test-util-json
tests_unit_test_util_json_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS)
tests_unit_test_util_json_LDADD = $(XLITE_UTIL_LIBS)

noinst_LIBRARIES += libtool/libxlite.a
libtool_libxlite_a_SOURCES = \
	libtool/parse/config.h libtool/parse/config.c \
	libtool/parse/parse.h libtool/parse/parse.c libtool/parse/domain.c libtool/parse/os.c \
	libtool/parse/devices.c libtool/parse/finish.c libtool/parse/schema.c \
	libtool/parse/units.c libtool/parse/uuid.c libtool/parse/vdev.c libtool/parse/nic.c \
	libtool/parse/check.c libtool/parse/cpuset.c \
	libtool/plan/plan.h libtool/plan/plan-int.h libtool/plan/plan.c libtool/plan/xs.c \
	libtool/plan/domain.c libtool/plan/devices.c libtool/plan/text.c \
	libtool/plan/json.c libtool/plan/expand.c
# The schema is compiled in (an installed binary always carries its own);
# it is installed as well, for editors and `xmllint --relaxng`.
nodist_libtool_libxlite_a_SOURCES = libtool/parse/domain-rng.c
libtool_libxlite_a_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS) $(GLIB_CFLAGS) $(XENCTRL_CFLAGS) $(XENGUEST_CFLAGS) $(XENSTORE_CFLAGS)
dist_pkgdata_DATA += libtool/parse/domain.rng
EXTRA_DIST += libtool/parse/rng2c.awk
CLEANFILES += libtool/parse/domain-rng.c

libtool/parse/domain-rng.c: libtool/parse/domain.rng libtool/parse/rng2c.awk
	$(AM_V_GEN)$(MKDIR_P) libtool/parse && \
	$(AWK) -f $(srcdir)/libtool/parse/rng2c.awk $(srcdir)/libtool/parse/domain.rng > $@.tmp && \
	mv $@.tmp $@

# What a program using only the parser and planner links.
XLITE_CONFIG_LIBS = libtool/libxlite.a $(LIBXML_LIBS) $(XLITE_UTIL_LIBS)

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
EXTRA_DIST += tests/test-corpus.sh tests/test-corpus-fields.py tests/corpus tests/golden examples
