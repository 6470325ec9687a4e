# xenstore-client: libxsclient (static) and the xlite-xenstore CLI.
noinst_LIBRARIES += xenstore-client/libxsclient.a
xenstore_client_libxsclient_a_SOURCES = \
	xenstore-client/xsc.h \
	xenstore-client/xsc-priv.h \
	xenstore-client/xsc-wire.h \
	xenstore-client/err.c \
	xenstore-client/path.c \
	xenstore-client/perms.c \
	xenstore-client/ctx.c \
	xenstore-client/watch.c \
	xenstore-client/tree.c \
	xenstore-client/format.c \
	xenstore-client/quote.c \
	xenstore-client/wire.c \
	xenstore-client/wire-conn.c \
	xenstore-client/wire-watch.c \
	xenstore-client/batch.c \
	xenstore-client/batch-commit.c \
	xenstore-client/read-many.c \
	xenstore-client/retry.c
xenstore_client_libxsclient_a_CFLAGS = $(AM_CFLAGS) $(XENSTORE_CFLAGS) $(GLIB_CFLAGS)
# What a program linking libxsclient.a needs after it.
XSC_LIBS = xenstore-client/libxsclient.a $(XENSTORE_LIBS) $(XLITE_UTIL_LIBS)

bin_PROGRAMS += xlite-xenstore
xlite_xenstore_SOURCES = \
	xenstore-client/cli.h \
	xenstore-client/cli-main.c \
	xenstore-client/cli-cmdtable.c \
	xenstore-client/cli-rw.c \
	xenstore-client/cli-tree.c \
	xenstore-client/cli-watch.c \
	xenstore-client/cli-batch.c
xlite_xenstore_CFLAGS = $(AM_CFLAGS) $(XENSTORE_CFLAGS) $(GLIB_CFLAGS)
xlite_xenstore_LDADD = $(XSC_LIBS)
man1_MANS += xenstore-client/xlite-xenstore.1
EXTRA_DIST += xenstore-client/xlite-xenstore.1

# Unit tests: everything that needs no xenstored.
XSC_TESTS = \
	tests/unit/test-xsc-perms \
	tests/unit/test-xsc-path \
	tests/unit/test-xsc-format \
	tests/unit/test-xsc-wire \
	tests/unit/test-xsc-batch \
	tests/unit/test-xsc-commit \
	tests/unit/test-xsc-read-many
check_PROGRAMS += $(XSC_TESTS)
TESTS += $(XSC_TESTS)
XSC_TEST_CFLAGS = $(AM_CFLAGS) $(XENSTORE_CFLAGS) $(GLIB_CFLAGS)
tests_unit_test_xsc_perms_CFLAGS = $(XSC_TEST_CFLAGS)
tests_unit_test_xsc_perms_LDADD = $(XSC_LIBS)
tests_unit_test_xsc_path_CFLAGS = $(XSC_TEST_CFLAGS)
tests_unit_test_xsc_path_LDADD = $(XSC_LIBS)
tests_unit_test_xsc_format_CFLAGS = $(XSC_TEST_CFLAGS)
tests_unit_test_xsc_format_LDADD = $(XSC_LIBS)
tests_unit_test_xsc_wire_CFLAGS = $(XSC_TEST_CFLAGS)
tests_unit_test_xsc_wire_LDADD = $(XSC_LIBS)
tests_unit_test_xsc_batch_CFLAGS = $(XSC_TEST_CFLAGS)
tests_unit_test_xsc_batch_LDADD = $(XSC_LIBS)
tests_unit_test_xsc_commit_CFLAGS = $(XSC_TEST_CFLAGS)
tests_unit_test_xsc_commit_LDADD = $(XSC_LIBS)
tests_unit_test_xsc_read_many_CFLAGS = $(XSC_TEST_CFLAGS)
tests_unit_test_xsc_read_many_LDADD = $(XSC_LIBS)
