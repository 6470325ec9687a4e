# libtool/hv/: the hypervisor operations (struct xlite_hv_ops) and their
# implementation on Xen (libxenctrl, libxenguest, xenstore); appends to
# libtool/local.mk's library.
libtool_libxlite_a_SOURCES += \
	libtool/hv/hv.h libtool/hv/hv.c \
	libtool/hv/xen.h libtool/hv/xen.c libtool/hv/xen-xs.c libtool/hv/xen-dev.c \
	libtool/hv/xen-watch.c \
	libtool/hv/xen-build.c libtool/hv/xen-res.c \
	libtool/hv/acpi.h libtool/hv/acpi.c
libtool_libxlite_a_SOURCES += libtool/hv/xen-save.c
libtool_libxlite_a_SOURCES += libtool/hv/xen-mem.c

# What a program linking libxlite.a with the Xen side needs after it.
XLITE_XEN_LIBS = libtool/libxlite.a $(XSC_LIBS) $(XENGUEST_LIBS) $(XENCTRL_LIBS) \
	$(XENTOOLLOG_LIBS) $(LIBXML_LIBS) $(GLIB_LIBS)

# The fake hypervisor plays Xen in unit tests; it is built for `make check`
# only and never linked into what `make install` ships.
check_LIBRARIES += tests/unit/libhvfake.a
tests_unit_libhvfake_a_SOURCES = tests/unit/hv-fake.h tests/unit/hv-fake.c
tests_unit_libhvfake_a_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENSTORE_CFLAGS) $(LIBXML_CFLAGS)
# What a unit test on the fake hypervisor links.
XLITE_FAKE_LIBS = tests/unit/libhvfake.a $(XLITE_XEN_LIBS)

# A PVH guest's ACPI tables (acpi.c is pure).
check_PROGRAMS += tests/unit/test-hv-acpi
TESTS += tests/unit/test-hv-acpi
tests_unit_test_hv_acpi_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS)
tests_unit_test_hv_acpi_LDADD = libtool/libxlite.a $(GLIB_LIBS)
