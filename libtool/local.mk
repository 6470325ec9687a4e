# libtool/: libxlite, the toolstack library (static).
noinst_LIBRARIES += libtool/libxlite.a
libtool_libxlite_a_SOURCES = libtool/config.h libtool/plan.h
libtool_libxlite_a_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS) $(GLIB_CFLAGS) $(XENCTRL_CFLAGS) $(XENGUEST_CFLAGS) $(XENSTORE_CFLAGS)
