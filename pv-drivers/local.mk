# pv-drivers: rules included by the top Makefile.am
