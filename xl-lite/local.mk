# xl-lite: the xlite CLI (and later the xlited daemon).
bin_PROGRAMS += xlite
xlite_SOURCES = xl-lite/main.c xl-lite/cmdtable.c xl-lite/xlite.h
xlite_SOURCES += xl-lite/cmd_validate.c
# The Xen commands (engineer xen): info, list, create and the lifecycle verbs.
xlite_SOURCES += xl-lite/cmd_hv.c xl-lite/cmd_info.c xl-lite/cmd_list.c \
	xl-lite/cmd_create.c xl-lite/cmd_destroy.c xl-lite/cmd_shutdown.c \
	xl-lite/cmd_pause.c xl-lite/cmd_console.c
xlite_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENCTRL_CFLAGS) $(XENSTORE_CFLAGS) $(LIBXML_CFLAGS)
xlite_LDADD = $(XLITE_XEN_LIBS)
# Devices (engineer dev): block-*/network-* hotplug and listing.
xlite_SOURCES += xl-lite/cmd_block.c xl-lite/cmd_network.c xl-lite/cmd_device.h
