# xl-lite: the xlite CLI (and later the xlited daemon).
bin_PROGRAMS += xlite
xlite_SOURCES = xl-lite/main.c xl-lite/cmdtable.c xl-lite/xlite.h
xlite_SOURCES += xl-lite/cmd_validate.c
# The Xen commands (engineer xen): info, list, create and the lifecycle verbs.
xlite_SOURCES += xl-lite/cmd_hv.c xl-lite/cmd_info.c xl-lite/cmd_list.c \
	xl-lite/cmd_create.c xl-lite/cmd_destroy.c xl-lite/cmd_shutdown.c \
	xl-lite/cmd_pause.c xl-lite/cmd_console.c
xlite_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS) $(XENCTRL_CFLAGS) $(XENSTORE_CFLAGS) $(LIBXML_CFLAGS)
if XLITE_STATIC_CLI
# Everything static (libxenguest whole: its image loaders register
# themselves from constructors nothing references).
xlite_SOURCES += xl-lite/static-stubs.c
xlite_LDFLAGS = -static -Wl,--whole-archive,-lxenguest,--no-whole-archive
xlite_LDADD = libtool/libxlite.a xenstore-client/libxsclient.a libtool/util/libxliteutil.a \
	$(XLITE_STATIC_LIBS) -lm -lpthread
else
xlite_LDADD = $(XLITE_XEN_LIBS)
endif
# Devices (engineer dev): block-*/network-* hotplug and listing.
xlite_SOURCES += xl-lite/cmd_device.c xl-lite/cmd_block.c xl-lite/cmd_network.c \
	xl-lite/cmd_device.h
# Resources (issue 10): memory, vCPUs, scheduler.
xlite_SOURCES += xl-lite/cmd_mem.c xl-lite/cmd_vcpu.c xl-lite/cmd_sched.c \
	xl-lite/cmd_balance.c
# Save and restore (issue 11).
xlite_SOURCES += xl-lite/cmd_save.c xl-lite/cmd_migrate.c
# Defined domains (issue 12).
xlite_SOURCES += xl-lite/cmd_define.c
# Troubleshooting and the live table (issue 12).
xlite_SOURCES += xl-lite/cmd_dmesg.c xl-lite/cmd_top.c

# The xlite manual.
man1_MANS += xl-lite/xlite.1
EXTRA_DIST += xl-lite/xlite.1
# The host's configuration file, /etc/xlite/xlite.conf.
man5_MANS += xl-lite/xlite.conf.5
EXTRA_DIST += xl-lite/xlite.conf.5

# bash completion (from the command table, through `xlite help`).
bashcompletion_DATA = xl-lite/completion/xlite
EXTRA_DIST += xl-lite/xlite.bash-completion
CLEANFILES += xl-lite/completion/xlite
xl-lite/completion/xlite: xl-lite/xlite.bash-completion
	$(AM_V_GEN)$(MKDIR_P) xl-lite/completion && cp $(srcdir)/xl-lite/xlite.bash-completion $@
TESTS += tests/test-bash-completion.sh
EXTRA_DIST += tests/test-bash-completion.sh
