# xl-lite: the xlite CLI (and later the xlited daemon).
bin_PROGRAMS += xlite
xlite_SOURCES = xl-lite/main.c xl-lite/cmdtable.c xl-lite/xlite.h
