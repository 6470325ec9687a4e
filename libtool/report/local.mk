# libtool/report/: the host's and domains' reports shared by the xlite CLI
# (info, list) and xlited's API; appends to libtool/local.mk's library.
libtool_libxlite_a_SOURCES += \
	libtool/report/report.h libtool/report/host.c libtool/report/domains.c
