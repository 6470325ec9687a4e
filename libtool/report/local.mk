# libtool/report/: the host's and domains' reports shared by the xlite CLI
# (info, list) and xlited's API; appends to libtool/local.mk's library.
libtool_libxlite_a_SOURCES += \
	libtool/report/report.h libtool/report/host.c libtool/report/domains.c \
	libtool/report/io.c libtool/report/top.h libtool/report/top.c

# xlite dmesg's report on the fake hypervisor.
check_PROGRAMS += tests/unit/test-report-dmesg
TESTS += tests/unit/test-report-dmesg
tests_unit_test_report_dmesg_SOURCES = tests/unit/test-report-dmesg.c
tests_unit_test_report_dmesg_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENSTORE_CFLAGS) $(LIBXML_CFLAGS)
tests_unit_test_report_dmesg_LDADD = $(XLITE_FAKE_LIBS)

# xlite top's table on the fake hypervisor.
check_PROGRAMS += tests/unit/test-report-top
TESTS += tests/unit/test-report-top
tests_unit_test_report_top_SOURCES = tests/unit/test-report-top.c
tests_unit_test_report_top_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENSTORE_CFLAGS) $(LIBXML_CFLAGS)
tests_unit_test_report_top_LDADD = $(XLITE_FAKE_LIBS)
