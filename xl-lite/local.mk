bin_PROGRAMS += xlite
xlite_SOURCES = xl-lite/main.c
