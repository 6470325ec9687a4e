# libtool/save/: save and restore (issue 11): the file format (pure), the
# stream on any descriptor (a pump thread between libxenguest and the
# descriptor), describing a running domain as XML, and the save and
# restore flows; appends to libtool/local.mk's library.
libtool_libxlite_a_SOURCES += \
	libtool/save/format.h libtool/save/format.c \
	libtool/save/stream.h libtool/save/stream.c \
	libtool/save/save.h libtool/save/save.c libtool/save/describe.c \
	libtool/save/migrate.h libtool/save/migrate.c
# The format's CRC-32 is zlib's (libxenguest links it already).
XLITE_XEN_LIBS += $(ZLIB_LIBS)

# Unit tests: the file format (every way a file can be damaged), and save
# and restore on the fake hypervisor (failures leave nothing).
check_PROGRAMS += tests/unit/test-save-format tests/unit/test-save tests/unit/test-migrate
TESTS += tests/unit/test-save-format tests/unit/test-save tests/unit/test-migrate
tests_unit_test_save_format_SOURCES = tests/unit/test-save-format.c
tests_unit_test_save_format_CFLAGS = $(XEN_TEST_CFLAGS)
tests_unit_test_save_format_LDADD = $(XLITE_FAKE_LIBS)
tests_unit_test_save_SOURCES = tests/unit/test-save.c tests/unit/test-tmpdir.h
tests_unit_test_save_CFLAGS = $(XEN_TEST_CFLAGS)
tests_unit_test_save_LDADD = $(XLITE_FAKE_LIBS)
tests_unit_test_migrate_SOURCES = tests/unit/test-migrate.c tests/unit/test-tmpdir.h
tests_unit_test_migrate_CFLAGS = $(XEN_TEST_CFLAGS)
tests_unit_test_migrate_LDADD = $(XLITE_FAKE_LIBS)
