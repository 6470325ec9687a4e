# xlited/: the daemon in each dom0 (issue 12): one GLib main loop serving
# the HTTPS API (libmicrohttpd with GnuTLS, a bearer token), Server-Sent
# Events of domain state changes and Prometheus /metrics. Built when
# configure finds libmicrohttpd, GnuTLS and json-glib (--enable-daemon).
# Linked dynamically: those libraries come as shared ones only, and a
# long-running daemon pays the loader once.
EXTRA_DIST += xlited/README.md xlited/xlited.8 xlited/xlited.service.in
if XLITE_DAEMON
XLITED_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENCTRL_CFLAGS) $(XENSTORE_CFLAGS) \
	$(LIBXML_CFLAGS) $(XLITED_DEPS_CFLAGS)
# Everything but main(), for the unit tests too.
noinst_LIBRARIES += xlited/libxlited.a
xlited_libxlited_a_SOURCES = xlited/xlited.h \
	xlited/creds.c xlited/http.c xlited/route.c xlited/api.c xlited/api-domain.c \
	xlited/events.c xlited/metrics.c xlited/reply.c \
	xlited/sample.h xlited/sample.c xlited/www.h xlited/www.c xlited/api-web.c \
	xlited/peers.h xlited/peers.c \
	xlited/supervise.c xlited/api-defined.c xlited/balancer.c xlited/prefetch.c \
	xlited/nodecache.c
xlited_libxlited_a_CFLAGS = $(XLITED_CFLAGS)
XLITED_LDADD = xlited/libxlited.a $(XLITE_XEN_LIBS) $(XLITED_DEPS_LIBS)

sbin_PROGRAMS += xlited/xlited
xlited_xlited_SOURCES = xlited/main.c
xlited_xlited_CFLAGS = $(XLITED_CFLAGS)
xlited_xlited_LDADD = $(XLITED_LDADD)

man8_MANS += xlited/xlited.8
systemdsystemunit_DATA = xlited/xlited.service
CLEANFILES += xlited/xlited.service
xlited/xlited.service: xlited/xlited.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) xlited && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/xlited/xlited.service.in > $@.tmp && mv $@.tmp $@

check_PROGRAMS += tests/unit/test-xlited
check_PROGRAMS += tests/unit/test-xlited-web
TESTS += tests/unit/test-xlited-web
tests_unit_test_xlited_web_SOURCES = tests/unit/test-xlited-web.c
tests_unit_test_xlited_web_CFLAGS = $(XLITED_CFLAGS)
tests_unit_test_xlited_web_LDADD = $(XLITED_LDADD)
TESTS += tests/unit/test-xlited
tests_unit_test_xlited_SOURCES = tests/unit/test-xlited.c
tests_unit_test_xlited_CFLAGS = $(XLITED_CFLAGS)
tests_unit_test_xlited_LDADD = $(XLITED_LDADD)
check_PROGRAMS += tests/unit/test-xlited-prefetch
TESTS += tests/unit/test-xlited-prefetch
tests_unit_test_xlited_prefetch_SOURCES = tests/unit/test-xlited-prefetch.c
tests_unit_test_xlited_prefetch_CFLAGS = $(XLITED_CFLAGS)
tests_unit_test_xlited_prefetch_LDADD = $(XLITED_LDADD)
endif

# The web console (www.c serves it): plain files, no build step; uPlot is
# vendored as its release file with its licence (www/vendor/uplot/README).
xlitedwwwdir = $(pkgdatadir)/www
dist_xlitedwww_DATA = xlited/www/index.html xlited/www/app.js xlited/www/style.css
xlitedvendordir = $(pkgdatadir)/www/vendor/uplot
dist_xlitedvendor_DATA = xlited/www/vendor/uplot/uPlot.iife.min.js \
	xlited/www/vendor/uplot/uPlot.min.css xlited/www/vendor/uplot/LICENSE \
	xlited/www/vendor/uplot/README
