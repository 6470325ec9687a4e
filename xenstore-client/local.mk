# xenstore-client: libxsclient (static) and the xlite-xenstore CLI.
noinst_LIBRARIES += xenstore-client/libxsclient.a
xenstore_client_libxsclient_a_SOURCES = \
	xenstore-client/xsc.h \
	xenstore-client/xsc-priv.h \
	xenstore-client/xsc-wire.h \
	xenstore-client/err.c \
	xenstore-client/path.c \
	xenstore-client/perms.c \
	xenstore-client/ctx.c \
	xenstore-client/watch.c \
	xenstore-client/tree.c \
	xenstore-client/format.c \
	xenstore-client/wire.c \
	xenstore-client/wire-conn.c \
	xenstore-client/batch.c \
	xenstore-client/batch-commit.c
xenstore_client_libxsclient_a_CFLAGS = $(AM_CFLAGS) $(XENSTORE_CFLAGS) $(GLIB_CFLAGS)
# What a program linking libxsclient.a needs after it.
XSC_LIBS = xenstore-client/libxsclient.a $(XENSTORE_LIBS) $(GLIB_LIBS)
