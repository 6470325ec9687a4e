# libtool/device.mk: virtual disks and networks (device*.c), set up by
# xlite in C with no hotplug scripts; appends to libtool/local.mk's rules.
libtool_libxlite_a_SOURCES += libtool/device.h
