# libtool: rules included by the top Makefile.am
