# libtool/device/: virtual disks and networks, set up by xlite in C with no
# hotplug scripts (loop devices, bridges, backend/frontend nodes); appends
# to libtool/local.mk's library.
libtool_libxlite_a_SOURCES += \
	libtool/device/loopdev.h libtool/device/loopdev.c \
	libtool/device/bridge.h libtool/device/bridge.c libtool/device/route.c \
	libtool/device/nbd.h libtool/device/nbd.c \
	libtool/device/device.h \
	libtool/device/device-priv.h \
	libtool/device/disk.c \
	libtool/device/held.c \
	libtool/device/set.c \
	libtool/device/nodes.c \
	libtool/device/hotplug.c \
	libtool/device/release.c \
	libtool/device/list.c \
	libtool/device/spec.c \
	libtool/device/xml.c
# The fault injector (XLITE_FAULT) only in a --enable-test-hooks build; its
# unit test compiles it in itself, so `make check` covers it in any build.
if XLITE_TEST_HOOKS
libtool_libxlite_a_SOURCES += libtool/device/fault.c
endif
EXTRA_DIST += libtool/device/fault.c

# Unit tests of the device layer (the fake hypervisor plays Xen).
DEVICE_TEST_LIBS = $(XLITE_FAKE_LIBS)
DEVICE_TEST_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENSTORE_CFLAGS) $(LIBXML_CFLAGS)
# Per-target flags must be spelled out per program (automake cannot share
# them); sources default to the program's name with .c appended.
device_tests = tests/unit/test-device-spec tests/unit/test-device-disk \
	tests/unit/test-device-hotplug tests/unit/test-device-fault \
	tests/unit/test-device-create tests/unit/test-device-held
check_PROGRAMS += $(device_tests)
TESTS += $(device_tests)
tests_unit_test_device_spec_CFLAGS = $(DEVICE_TEST_CFLAGS)
tests_unit_test_device_spec_LDADD = $(DEVICE_TEST_LIBS)
tests_unit_test_device_disk_SOURCES = tests/unit/test-device-disk.c tests/unit/test-tmpdir.h
tests_unit_test_device_disk_CFLAGS = $(DEVICE_TEST_CFLAGS)
tests_unit_test_device_disk_LDADD = $(DEVICE_TEST_LIBS)
tests_unit_test_device_hotplug_CFLAGS = $(DEVICE_TEST_CFLAGS)
tests_unit_test_device_hotplug_LDADD = $(DEVICE_TEST_LIBS)
tests_unit_test_device_fault_SOURCES = tests/unit/test-device-fault.c libtool/device/fault.c
tests_unit_test_device_fault_CFLAGS = $(DEVICE_TEST_CFLAGS)
tests_unit_test_device_fault_LDADD = $(DEVICE_TEST_LIBS)
tests_unit_test_device_create_CFLAGS = $(DEVICE_TEST_CFLAGS)
tests_unit_test_device_create_LDADD = $(DEVICE_TEST_LIBS)
tests_unit_test_device_held_CFLAGS = $(DEVICE_TEST_CFLAGS)
tests_unit_test_device_held_LDADD = $(DEVICE_TEST_LIBS)

# xl's own disk and vif parser cases through xlite's parsers (issue 13).
check_PROGRAMS += tests/unit/test-xl-words tests/unit/test-xl-words-nic
TESTS += tests/unit/test-xl-words tests/unit/test-xl-words-nic
tests_unit_test_xl_words_CFLAGS = $(DEVICE_TEST_CFLAGS)
tests_unit_test_xl_words_LDADD = $(DEVICE_TEST_LIBS)
tests_unit_test_xl_words_nic_CFLAGS = $(DEVICE_TEST_CFLAGS)
tests_unit_test_xl_words_nic_LDADD = $(DEVICE_TEST_LIBS)
EXTRA_DIST += tests/unit/data/xl-words.txt
