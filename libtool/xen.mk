# libtool/xen.mk: the Xen side of libxlite (hypervisor ops, apply); appends to libtool/local.mk's rules
libtool_libxlite_a_SOURCES += \
	libtool/hv.h libtool/hv.c \
	libtool/hv_fake.h libtool/hv_fake.c \
	libtool/hv_xen.h libtool/hv_xen.c libtool/hv_xen_xs.c libtool/hv_xen_dev.c \
	libtool/hv_xen_build.c \
	libtool/kcache.h libtool/kcache.c \
	libtool/domain.h libtool/domain.c \
	libtool/apply.h libtool/apply.c libtool/apply_lock.c \
	libtool/monitor.h libtool/monitor.c

# What a program linking libxlite.a with the Xen side needs after it.
XLITE_XEN_LIBS = libtool/libxlite.a $(XSC_LIBS) $(XENGUEST_LIBS) $(XENCTRL_LIBS) \
	$(XENTOOLLOG_LIBS) $(LIBXML_LIBS) $(GLIB_LIBS)
