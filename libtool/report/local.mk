# libtool/report/: the host's and domains' reports shared by the xlite CLI
# (info, list) and xlited's API; appends to libtool/local.mk's library.
libtool_libxlite_a_SOURCES += \
	libtool/report/report.h libtool/report/host.c libtool/report/domains.c

# xlite dmesg's report on the fake hypervisor.
check_PROGRAMS += tests/unit/test-report-dmesg
TESTS += tests/unit/test-report-dmesg
tests_unit_test_report_dmesg_SOURCES = tests/unit/test-report-dmesg.c
tests_unit_test_report_dmesg_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENSTORE_CFLAGS) $(LIBXML_CFLAGS)
tests_unit_test_report_dmesg_LDADD = $(XLITE_FAKE_LIBS)
